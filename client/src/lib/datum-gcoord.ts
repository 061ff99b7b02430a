// The datum conversion itself, with gcoord (a maintained library), in a chunk of its own that
// datum.ts loads only for tiles in an offset datum. Pure; unit-tested with known pairs.
import gcoord from 'gcoord';
import type { Datum, DatumShift } from './datum.js';

const SYSTEM = { wgs84: gcoord.WGS84, gcj02: gcoord.GCJ02, bd09: gcoord.BD09 } as const;

export function gcoordShift(datum: Datum): DatumShift {
  const to = SYSTEM[datum];
  return {
    datum,
    toTiles(lat, lng) {
      const [x, y] = gcoord.transform([lng, lat], gcoord.WGS84, to) as [number, number];
      return [y, x];
    },
    fromTiles(lat, lng) {
      const [x, y] = gcoord.transform([lng, lat], to, gcoord.WGS84) as [number, number];
      return [y, x];
    },
  };
}
