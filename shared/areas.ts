// A town or district, as `?area=` names it on /lite, /board and /embed: the district's name, the
// town's (street's) name, or "district/town" where a town name is used in two districts.
import type { Site } from './schemas.js';

export function inArea(site: Pick<Site, 'district' | 'street'>, area: string): boolean {
  const a = area.trim();
  return site.district === a || site.street === a || `${site.district}/${site.street ?? ''}` === a;
}
