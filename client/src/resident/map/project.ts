import type { DatumShift } from '../../lib/datum.js';

/** Web Mercator at zoom 0 with 256-pixel tiles, as Leaflet's EPSG3857 projects. */
export function project(lat: number, lng: number): [number, number] {
  const max = 85.0511287798;
  const s = Math.sin((Math.max(-max, Math.min(max, lat)) * Math.PI) / 180);
  return [((lng + 180) / 360) * 256, (0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI)) * 256];
}

/** Where a WGS-84 point (a site, a district's middle) is drawn over the tiles, in zoom-0 pixels. */
export function projectOnTiles(lat: number, lng: number, shift: DatumShift): [number, number] {
  return project(...shift.toTiles(lat, lng));
}
