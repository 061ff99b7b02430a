// "Navigate": a geo: link for whatever map app the phone has, and the common map apps' web links,
// all with WGS-84 coordinates declared so the apps convert to their own datum.
import type { Site } from '../../../shared/schemas.js';

export type NavKey = 'geo' | 'amap' | 'baidu' | 'apple' | 'google';

export function navLinks(site: Pick<Site, 'lat' | 'lng' | 'name'>): Array<{ key: NavKey; href: string }> {
  const { lat, lng } = site;
  const name = encodeURIComponent(site.name);
  return [
    { key: 'geo', href: `geo:${lat},${lng}?q=${lat},${lng}(${name})` },
    {
      key: 'amap',
      href: `https://uri.amap.com/navigation?to=${lng},${lat},${name}&mode=walk&coordinate=wgs84&callnative=1&src=shortline`,
    },
    {
      key: 'baidu',
      href: `https://api.map.baidu.com/marker?location=${lat},${lng}&title=${name}&content=${name}&coord_type=wgs84&output=html&src=shortline`,
    },
    { key: 'apple', href: `https://maps.apple.com/?daddr=${lat},${lng}&q=${name}&dirflg=w` },
    { key: 'google', href: `https://www.google.com/maps/dir/?api=1&destination=${lat},${lng}&travelmode=walking` },
  ];
}
