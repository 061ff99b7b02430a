import { describe, expect, it } from 'vitest';
import { gcoordShift } from './datum-gcoord.js';
import { type Datum, loadShift, mapDatum, NO_SHIFT } from './datum.js';

const SHIFTS = { wgs84: NO_SHIFT, gcj02: gcoordShift('gcj02'), bd09: gcoordShift('bd09') };
const toTileDatum = (lat: number, lng: number, d: Datum) => SHIFTS[d].toTiles(lat, lng);
const fromTileDatum = (lat: number, lng: number, d: Datum) => SHIFTS[d].fromTiles(lat, lng);

/** Metres between two [lat, lng] points (equirectangular; fine at these distances). */
const metres = (a: [number, number], b: [number, number]) => {
  const k = 111_195;
  return Math.hypot((a[0] - b[0]) * k, (a[1] - b[1]) * k * Math.cos((a[0] * Math.PI) / 180));
};

describe('tile datum (GCJ-02 / BD-09)', () => {
  it('GCJ-02 (45, 123) is WGS-84 (44.99804071, 122.99395597), the pair gcoord documents', () => {
    const [lat, lng] = fromTileDatum(45, 123, 'gcj02');
    expect(lat).toBeCloseTo(44.99804071, 6);
    expect(lng).toBeCloseTo(122.99395597, 6);
    const back = toTileDatum(44.99804071, 122.99395597, 'gcj02');
    expect(metres(back, [45, 123])).toBeLessThan(1);
  });

  it('in Jiangmen a WGS-84 site moves a few hundred metres on GCJ-02 tiles, roughly north-east (east > 400 m)', () => {
    const site: [number, number] = [22.58, 113.08];
    const tile = toTileDatum(...site, 'gcj02');
    expect(metres(site, tile)).toBeGreaterThan(300);
    expect(metres(site, tile)).toBeLessThan(800);
    expect(tile[1]).toBeGreaterThan(site[1]);
    // A tap on the tile map at that spot is the site again, to within a metre.
    expect(metres(fromTileDatum(...tile, 'gcj02'), site)).toBeLessThan(1);
  });

  it('BD-09 is further off than GCJ-02, and round-trips too', () => {
    const site: [number, number] = [22.58, 113.08];
    const bd = toTileDatum(...site, 'bd09');
    expect(metres(site, bd)).toBeGreaterThan(metres(site, toTileDatum(...site, 'gcj02')));
    expect(metres(fromTileDatum(...bd, 'bd09'), site)).toBeLessThan(2);
  });

  it('WGS-84 tiles (OpenStreetMap) and places outside China are left as they are', () => {
    expect(toTileDatum(22.58, 113.08, 'wgs84')).toEqual([22.58, 113.08]);
    expect(toTileDatum(51.5, -0.12, 'gcj02')).toEqual([51.5, -0.12]);
  });
});

describe('the datum a map works in', () => {
  it('when tiles are configured, then it is their TILE_CRS (WGS-84 when a server does not say)', () => {
    expect(mapDatum({ tileUrl: 'https://t/{z}/{x}/{y}.png', tileCrs: 'gcj02' })).toBe('gcj02');
    expect(mapDatum({ tileUrl: 'https://t/{z}/{x}/{y}.png', tileCrs: 'wgs84' })).toBe('wgs84');
    expect(mapDatum({ tileUrl: 'https://t/{z}/{x}/{y}.png' })).toBe('wgs84');
  });

  it('when there are no tiles, then sites stay in WGS-84 whatever TILE_CRS says', () => {
    expect(mapDatum({ tileUrl: null, tileCrs: 'gcj02' })).toBe('wgs84');
  });

  it('when the datum is WGS-84, then no conversion is loaded; for GCJ-02, then gcoord is', async () => {
    expect(await loadShift('wgs84')).toBe(NO_SHIFT);
    const shift = await loadShift('gcj02');
    expect(shift.datum).toBe('gcj02');
    expect(shift.toTiles(22.58, 113.08)).toEqual(gcoordShift('gcj02').toTiles(22.58, 113.08));
  });
});
