// Nearby sites for redirecting people: the closest ones, with their live load, shortest wait first
// among those within walking or short-ride distance.
import type { LiveState, Site } from '../../../shared/schemas.js';

const EARTH_M = 6_371_000;
const rad = (d: number) => (d * Math.PI) / 180;

/** Great-circle distance in metres (WGS-84 treated as a sphere: plenty for a few km). */
export function distanceM(a: Pick<Site, 'lat' | 'lng'>, b: Pick<Site, 'lat' | 'lng'>): number {
  const dLat = rad(b.lat - a.lat);
  const dLng = rad(b.lng - a.lng);
  const s = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_M * Math.asin(Math.min(1, Math.sqrt(s)));
}

export interface NearbySite {
  site: Site;
  distanceM: number;
}

/** The `limit` closest other sites within `maxM`, closest first. */
export function nearestSites(home: Site, sites: readonly Site[], limit = 6, maxM = 10_000): NearbySite[] {
  return sites
    .filter((s) => s.id !== home.id)
    .map((site) => ({ site, distanceM: distanceM(home, site) }))
    .filter((n) => n.distanceM <= maxM)
    .sort((a, b) => a.distanceM - b.distanceM)
    .slice(0, limit);
}

/** The nearby site worth sending people to: open, known wait, shorter than here. */
export function bestAlternative(
  here: LiveState | undefined,
  nearby: readonly NearbySite[],
  live: ReadonlyMap<string, LiveState>,
): string | null {
  let best: { id: string; wait: number } | null = null;
  for (const n of nearby) {
    const l = live.get(n.site.id);
    if (!l || l.status !== 'open' || l.waitMinutes === null) continue;
    if (here?.waitMinutes != null && l.waitMinutes >= here.waitMinutes) continue;
    if (!best || l.waitMinutes < best.wait) best = { id: n.site.id, wait: l.waitMinutes };
  }
  return best?.id ?? null;
}

/** "350 m", "1.2 km". */
export function formatDistance(m: number): string {
  return m < 1000 ? `${Math.round(m / 10) * 10} m` : `${(m / 1000).toFixed(1)} km`;
}
