// Chinese tile providers (AutoNavi/Gaode, Tencent; Baidu's BD-09) draw their streets in an offset
// datum, so WGS-84 sites placed as they are would sit hundreds of metres off their streets. A map
// that draws sites over tiles gets one DatumShift for its page and moves every point through it:
// sites, district names and the resident's position on the way in, a tapped point and the map
// centre on the way out. The conversion itself (gcoord) is in datum-gcoord.ts, fetched only when
// the tiles need it: most deployments use WGS-84 tiles, and the resident page's first download has
// a budget (e2e/pages/resident/budget.test.ts).
import type { Meta, TileCrs } from '../../../shared/schemas.js';

/** TILE_CRS's datums, and BD-09, which converts but is not offered (shared/schemas.ts says why). */
export type Datum = TileCrs | 'bd09';

/** Between the sites' WGS-84 and the tiles' datum, points as [lat, lng]. */
export interface DatumShift {
  readonly datum: Datum;
  /** A WGS-84 point where the tiles show it. */
  toTiles(lat: number, lng: number): [number, number];
  /** A point read off the tiles (a tap, the map centre) in WGS-84. */
  fromTiles(lat: number, lng: number): [number, number];
}

/** WGS-84 tiles (OpenStreetMap, Tianditu), or none: points stay as they are. */
export const NO_SHIFT: DatumShift = {
  datum: 'wgs84',
  toTiles: (lat, lng) => [lat, lng],
  fromTiles: (lat, lng) => [lat, lng],
};

/**
 * The datum a page's map works in: the tiles' own, or WGS-84 without tiles (a plain background
 * has no streets to line up with, so sites stay where the registry puts them).
 */
export function mapDatum(meta: Pick<Meta, 'tileUrl' | 'tileCrs'>): Datum {
  return meta.tileUrl ? (meta.tileCrs ?? 'wgs84') : 'wgs84';
}

/** The shift for a datum, loading gcoord only when there is one to make. */
export async function loadShift(datum: Datum): Promise<DatumShift> {
  if (datum === 'wgs84') return NO_SHIFT;
  const { gcoordShift } = await import('./datum-gcoord.js');
  return gcoordShift(datum);
}
