import { describe, expect, it } from 'vitest';
import { fromTileDatum, toTileDatum } from './datum.js';

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
