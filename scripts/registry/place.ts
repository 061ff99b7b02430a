// Where in its district each site goes. The open data has no coordinates below district level, so
// positions are synthetic but shaped like the city: sub-districts (街道) crowd around the district
// seat, towns (镇) spread over the rest, each community sits near its town, and a community's
// second or third site sits a few hundred metres from its first.
import {
  type DistrictShape,
  distanceKm,
  distanceToBoundaryKm,
  offsetKm,
  polygonIndexAt,
  ringAreaKm2,
  ringBounds,
} from './geo.js';
import { gaussian, type Rng } from './random.js';

/**
 * How far inside its district every site stays. The boundaries are simplified to 1/1024 degree
 * (about 100 m) and their datum is not documented (Chinese web maps often use GCJ-02, about 0.5 km
 * off WGS-84 here), so a site this far in is inside the real district whichever datum it is.
 */
export const MARGIN_KM = 0.8;

/** Towns that are islands: 川岛镇 is Shangchuan and Xiachuan islands off Taishan. */
const ISLAND_TOWNS = new Set(['川岛镇']);

type Point = [number, number];

export interface StreetPlan {
  name: string;
  /** Each community's number of sites, in the order the communities are listed. */
  sites: number[];
}

export class Placer {
  private readonly mainland: number;
  private readonly islands: number[];

  constructor(
    private readonly shape: DistrictShape,
    private readonly rng: Rng,
  ) {
    const areas = shape.polygons.map((p) => (p[0] ? ringAreaKm2(p[0]) : 0));
    this.mainland = areas.indexOf(Math.max(...areas));
    // Only islands big enough to have villages with a margin to spare.
    this.islands = areas.flatMap((a, i) => (i !== this.mainland && a > 50 ? [i] : []));
  }

  private fits(p: Point, polygon: number): boolean {
    return (
      polygonIndexAt(this.shape, p[0], p[1]) === polygon && distanceToBoundaryKm(this.shape, p[0], p[1]) >= MARGIN_KM
    );
  }

  private uniformIn(polygon: number): Point {
    const outer = this.shape.polygons[polygon]?.[0];
    if (!outer) throw new Error(`${this.shape.name}: no polygon ${polygon}`);
    const b = ringBounds(outer);
    for (let tries = 0; tries < 100_000; tries++) {
      const p: Point = [b.minLng + this.rng() * (b.maxLng - b.minLng), b.minLat + this.rng() * (b.maxLat - b.minLat)];
      if (this.fits(p, polygon)) return p;
    }
    throw new Error(`${this.shape.name}: no room in polygon ${polygon}`);
  }

  /** Near `around` (normal spread `sigmaKm`), in the same polygon, else anywhere in that polygon. */
  private near(around: Point, sigmaKm: number, polygon: number): Point {
    for (let tries = 0; tries < 200; tries++) {
      const spread = sigmaKm * (1 + tries / 50);
      const p = offsetKm(around, gaussian(this.rng) * spread, gaussian(this.rng) * spread);
      if (this.fits(p, polygon)) return p;
    }
    return this.uniformIn(polygon);
  }

  /** Centres of the streets: sub-districts near the seat, towns as far from each other as fits. */
  private anchors(streets: readonly StreetPlan[]): { at: Point; polygon: number; urban: boolean }[] {
    const placed: Point[] = [this.shape.center];
    return streets.map((s) => {
      const urban = s.name.endsWith('街道');
      const islandTown = ISLAND_TOWNS.has(s.name) && this.islands.length > 0;
      let polygon = this.mainland;
      let at: Point;
      if (urban) {
        at = this.near(this.shape.center, 2.5, polygon);
      } else {
        // Best of a few candidates (Mitchell's algorithm): spreads towns without a grid's look.
        let best: Point | undefined;
        let bestGap = -1;
        for (let k = 0; k < 24; k++) {
          const poly = islandTown ? (this.islands[k % this.islands.length] as number) : this.mainland;
          const c = this.uniformIn(poly);
          const gap = Math.min(...placed.map((p) => distanceKm(p, c)));
          if (gap > bestGap) [best, bestGap, polygon] = [c, gap, poly];
        }
        at = best as Point;
      }
      placed.push(at);
      return { at, polygon, urban };
    });
  }

  /** Coordinates for every site of every street: result[street][community][site]. */
  place(streets: readonly StreetPlan[]): Point[][][] {
    const anchors = this.anchors(streets);
    return streets.map((s, si) => {
      const a = anchors[si] as (typeof anchors)[number];
      return s.sites.map((n) => {
        if (n === 0) return [];
        const home = this.near(a.at, a.urban ? 1.5 : 2.5, a.polygon);
        const points: Point[] = [home];
        for (let k = 1; k < n; k++) points.push(this.near(home, 0.4, a.polygon));
        return points;
      });
    });
  }
}
