// Where residents live and which sites are near them. Residents are placed around "their" site,
// so only that site's neighbours can be nearer or recommended: a few dozen candidates, not 986.
import { distanceMetres, RANK_DEFAULTS, type LatLng } from '../../shared/rank.js';
import type { Site } from '../../shared/schemas.js';
import type { Rng } from './random.js';

/** Further than an hour's walk (shared/rank's limit) nobody is sent. */
export const NEIGHBOUR_RADIUS_M =
  (RANK_DEFAULTS.maxWalkMinutes * RANK_DEFAULTS.walkMetresPerMin) / RANK_DEFAULTS.detour;
/** Enough to hold every site a resident would realistically walk to in a dense district. */
export const MAX_NEIGHBOURS = 40;

export interface Neighbours {
  /** Site indices: the site itself first, then the others by distance. */
  sites: Int32Array;
  /** Distance of each from the site, metres (0 for itself). */
  metres: Float64Array;
}

/** For each site, the sites within the radius, nearest first. */
export function neighbourIndex(
  sites: readonly Site[],
  radiusM = NEIGHBOUR_RADIUS_M,
  max = MAX_NEIGHBOURS,
): Neighbours[] {
  return sites.map((s, i) => {
    const near: Array<[number, number]> = [[0, i]];
    sites.forEach((o, j) => {
      if (j === i) return;
      const d = distanceMetres(s, o);
      if (d <= radiusM) near.push([d, j]);
    });
    near.sort((a, b) => a[0] - b[0]);
    const kept = near.slice(0, max);
    return { sites: Int32Array.from(kept, ([, j]) => j), metres: Float64Array.from(kept, ([d]) => d) };
  });
}

const M_PER_DEG_LAT = 111_320;

/** A home uniformly scattered in a disc around the site (area-uniform, hence the square root). */
export function homeNear(site: LatLng, radiusM: number, rng: Rng): LatLng {
  const r = radiusM * Math.sqrt(rng());
  const a = 2 * Math.PI * rng();
  return {
    lat: site.lat + (r * Math.cos(a)) / M_PER_DEG_LAT,
    lng: site.lng + (r * Math.sin(a)) / (M_PER_DEG_LAT * Math.cos((site.lat * Math.PI) / 180)),
  };
}
