// Chinese tile providers (AutoNavi/Gaode, Tencent, Tianditu's GCJ-02 layers; Baidu's BD-09) draw
// their streets in an offset datum, so WGS-84 sites placed as they are would sit hundreds of
// metres off their streets. These convert between the sites' WGS-84 and the tiles' datum (gcoord,
// a maintained library), for the map to place sites on such tiles. Pure; unit-tested.
import gcoord from 'gcoord';

export type TileCrs = 'wgs84' | 'gcj02' | 'bd09';
export const TILE_CRS: readonly TileCrs[] = ['wgs84', 'gcj02', 'bd09'];

const SYSTEM = { wgs84: gcoord.WGS84, gcj02: gcoord.GCJ02, bd09: gcoord.BD09 } as const;

/** A WGS-84 point in the tiles' datum, as [lat, lng]. */
export function toTileDatum(lat: number, lng: number, crs: TileCrs): [number, number] {
  if (crs === 'wgs84') return [lat, lng];
  const [x, y] = gcoord.transform([lng, lat], gcoord.WGS84, SYSTEM[crs]) as [number, number];
  return [y, x];
}

/** A point read off the tiles (a tap on the map) back in WGS-84, as [lat, lng]. */
export function fromTileDatum(lat: number, lng: number, crs: TileCrs): [number, number] {
  if (crs === 'wgs84') return [lat, lng];
  const [x, y] = gcoord.transform([lng, lat], SYSTEM[crs], gcoord.WGS84) as [number, number];
  return [y, x];
}
