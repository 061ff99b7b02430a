// Which sites a plain page shows, from its query: a point, an area, one site, a typed code or a
// search. Pure: the routes pass in the registry, the live states and the codes.
import { z } from 'zod';
import { distanceMetres, walkMinutes } from '../../shared/rank.js';
import type { LiveState, Site } from '../../shared/schemas.js';
import { normaliseCode } from '../../shared/short-code.js';
import { inArea } from '../../shared/areas.js';

const coord = z
  .string()
  .max(40)
  .regex(/^-?\d{1,3}(\.\d+)?,-?\d{1,3}(\.\d+)?$/);
export const PlainQuery = z.object({
  near: coord.optional().catch(undefined),
  area: z.string().trim().min(1).max(100).optional().catch(undefined),
  site: z.string().max(64).optional().catch(undefined),
  sites: z.string().max(2000).optional().catch(undefined),
  q: z.string().trim().max(100).optional().catch(undefined),
  lang: z.enum(['zh', 'en']).optional().catch(undefined),
  auto: z.literal('1').optional().catch(undefined),
});
export type PlainQuery = z.infer<typeof PlainQuery>;

export interface Shown {
  site: Site;
  live: LiveState | undefined;
  code: string;
  walkMin: number | null;
}

export interface Selection {
  shown: Shown[];
  /** How many more matched than are shown. */
  more: number;
  /** True when a point was given: sorted by walk + wait. */
  byTrip: boolean;
}

/** Enough for any town (the largest has 61 sites) while keeping the page small. */
export const MAX_SHOWN = 80;
const NEAR_SHOWN = 12;

const fold = (s: string) => s.toLowerCase().replace(/\s+/g, '');

function matches(site: Site, code: string, q: string): boolean {
  const f = fold(q);
  if (!f) return false;
  const c = normaliseCode(q);
  if (c && c === code) return true;
  return [site.name, site.district, site.street, site.community, site.address, site.id].some(
    (v) => v !== undefined && fold(v).includes(f),
  );
}

/** Minutes to wait for ordering: unknown or closed sites go last. */
const waitForOrder = (l: LiveState | undefined) =>
  !l || l.level === 'closed' || l.status !== 'open' || l.waitMinutes === null ? 10_000 : l.waitMinutes;

export function selectSites(
  q: PlainQuery,
  sites: readonly Site[],
  liveOf: (id: string) => LiveState | undefined,
  codes: ReadonlyMap<string, string>,
): Selection {
  let picked: Site[];
  const ids = q.sites
    ? new Set(
        q.sites
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
      )
    : null;
  if (q.site) picked = sites.filter((s) => s.id === q.site);
  else if (ids) picked = sites.filter((s) => ids.has(s.id));
  else if (q.area) picked = sites.filter((s) => inArea(s, q.area!));
  else if (q.q) picked = sites.filter((s) => matches(s, codes.get(s.id) ?? '', q.q!));
  else picked = q.near ? [...sites] : [];
  // A typed code alone goes straight to its site.
  const typed = q.q ? normaliseCode(q.q) : null;
  if (typed && !q.site) {
    const exact = sites.filter((s) => codes.get(s.id) === typed);
    if (exact.length) picked = exact;
  }

  const point = q.near ? { lat: Number(q.near.split(',')[0]), lng: Number(q.near.split(',')[1]) } : null;
  let shown: Shown[] = picked.map((site) => {
    const walkMin = point ? walkMinutes(distanceMetres(point, site)) : null;
    return { site, live: liveOf(site.id), code: codes.get(site.id) ?? '', walkMin };
  });
  if (point) {
    // Only the sites within reach are worth a trip: the nearest few by walk, then by walk + wait.
    shown.sort((a, b) => a.walkMin! - b.walkMin!);
    if (!q.area && !q.q && !ids) shown = shown.slice(0, NEAR_SHOWN);
    shown.sort((a, b) => a.walkMin! + waitForOrder(a.live) - (b.walkMin! + waitForOrder(b.live)));
  } else {
    shown.sort((a, b) => waitForOrder(a.live) - waitForOrder(b.live) || (a.site.name < b.site.name ? -1 : 1));
  }
  const more = Math.max(0, shown.length - MAX_SHOWN);
  return { shown: shown.slice(0, MAX_SHOWN), more, byTrip: point !== null };
}
