// Builds server/data/jiangmen-sites.json: Jiangmen's 986 nucleic-acid sampling sites (the number
// the city ran in September 2022) over its seven districts, on the real streets, towns, residents'
// committees and villages, inside the real district boundaries. Lanes, hours and positions within
// a district are synthetic (see scripts/registry/*). Deterministic: the same bytes on every run.
//
//   npm run gen:registry
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { addPinyin } from '../server/registry/pinyin.js';
import { type Site, SiteSchema } from '../shared/schemas.js';
import { apportion, coverEveryGroup } from './registry/allocate.js';
import { siteAttributes } from './registry/attributes.js';
import {
  type Community,
  communityShortName,
  DISTRICTS,
  isPlaceholder,
  isUrban,
  loadJiangmenDivisions,
} from './registry/divisions.js';
import { loadDistrictShapes } from './registry/geo.js';
import { Placer } from './registry/place.js';
import { mulberry32, seedFrom } from './registry/random.js';

export const SITE_COUNT = 986;
export const OUTPUT_FILE = fileURLToPath(new URL('../server/data/jiangmen-sites.json', import.meta.url));
const SEED = 'shortline/jiangmen/2022-09';
/** Most sites one community gets (named 1号, 2号, 3号). */
const MAX_PER_COMMUNITY = 3;
/** A residents' committee serves a denser neighbourhood than a village does. */
const URBAN_WEIGHT = 2;

const round6 = (x: number) => Math.round(x * 1e6) / 1e6;

export function generateRegistry(): Site[] {
  const divisions = loadJiangmenDivisions();
  const shapes = new Map(loadDistrictShapes().map((s) => [s.code, s]));
  const served = divisions.communities.filter((c) => !isPlaceholder(c));

  // Short names repeat across the city (幸福社区, 中心村, ...); those get their town in front.
  const shortCount = new Map<string, number>();
  for (const c of served)
    shortCount.set(communityShortName(c.name), (shortCount.get(communityShortName(c.name)) ?? 0) + 1);
  const streetName = new Map(divisions.streets.map((s) => [s.code, s.name]));
  const label = (c: Community) => {
    const short = communityShortName(c.name);
    return (shortCount.get(short) ?? 0) > 1 ? `${streetName.get(c.streetCode)}${short}` : short;
  };

  const rng = mulberry32(seedFrom(SEED));
  const perDistrict = apportion(
    SITE_COUNT,
    DISTRICTS.map((d) => d.population),
    rng,
  );

  const sites: Site[] = [];
  DISTRICTS.forEach((district, di) => {
    const shape = shapes.get(district.code);
    if (!shape || shape.name !== district.name) throw new Error(`no boundary for ${district.name}`);
    const drng = mulberry32(seedFrom(`${SEED}/${district.code}`));
    const communities = served.filter((c) => c.districtCode === district.code);
    const counts = apportion(
      perDistrict[di] as number,
      communities.map((c) => (isUrban(c) ? URBAN_WEIGHT : 1)),
      drng,
      MAX_PER_COMMUNITY,
    );
    const firstOfStreet = new Map<string, number>();
    communities.forEach((c, i) => {
      if (!firstOfStreet.has(c.streetCode)) firstOfStreet.set(c.streetCode, i);
    });
    coverEveryGroup(
      counts,
      communities.map((c) => c.streetCode),
      firstOfStreet,
    );

    const streetCodes = [...firstOfStreet.keys()];
    const plans = streetCodes.map((code) => ({
      name: streetName.get(code) ?? code,
      sites: communities.flatMap((c, i) => (c.streetCode === code ? [counts[i] as number] : [])),
    }));
    const points = new Placer(shape, drng).place(plans);

    let n = 0;
    streetCodes.forEach((code, si) => {
      const street = streetName.get(code) ?? code;
      communities
        .filter((c) => c.streetCode === code)
        .forEach((c, ci) => {
          const spots = points[si]?.[ci] ?? [];
          spots.forEach(([lng, lat], k) => {
            n++;
            const numbered = spots.length > 1 ? `${k + 1}号` : '';
            sites.push({
              id: `jm-${district.pinyin}-${String(n).padStart(4, '0')}`,
              name: `${label(c)}${numbered}核酸采样点`,
              district: district.name,
              street,
              community: c.name,
              address: `江门市${district.name}${street}${communityShortName(c.name)}`,
              lat: round6(lat),
              lng: round6(lng),
              ...siteAttributes(drng, isUrban(c)),
            });
          });
        });
    });
  });

  const names = new Set(sites.map((s) => s.name));
  if (names.size !== sites.length) throw new Error('site names are not unique');
  if (sites.length !== SITE_COUNT) throw new Error(`made ${sites.length} sites, not ${SITE_COUNT}`);
  // Pinyin written into the file: the server then never loads pinyin-pro's dictionary (~10 MB of
  // memory per instance) for the bundled city; registries without it get theirs at load.
  return addPinyin(sites.map((s) => SiteSchema.parse(s)));
}

/** A value on one line, with the spacing the rest of the file uses. */
function inline(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(inline).join(', ')}]`;
  if (v !== null && typeof v === 'object') {
    return `{ ${Object.entries(v)
      .map(([k, x]) => `${JSON.stringify(k)}: ${inline(x)}`)
      .join(', ')} }`;
  }
  return JSON.stringify(v);
}

/**
 * Pretty JSON with one field per line and each opening period on one line: readable, and a
 * change to one site is a small diff (plain `JSON.stringify(.., 2)` spreads a site over 40 lines).
 */
export function formatRegistry(sites: readonly Site[]): string {
  const blocks = sites.map((site) => {
    const fields = Object.entries(site).map(([k, v]) =>
      k === 'hours' && Array.isArray(v)
        ? `    "hours": [\n${v.map((h) => `      ${inline(h)}`).join(',\n')}\n    ]`
        : `    ${JSON.stringify(k)}: ${inline(v)}`,
    );
    return `  {\n${fields.join(',\n')}\n  }`;
  });
  return `[\n${blocks.join(',\n')}\n]\n`;
}

export function summarise(sites: readonly Site[]): string[] {
  return DISTRICTS.map((d) => {
    const mine = sites.filter((s) => s.district === d.name);
    const count = (tag: string) => mine.filter((s) => s.tags?.includes(tag)).length;
    const lanes = mine.reduce((sum, s) => sum + s.lanes, 0);
    return (
      `${d.name} ${d.pinyin.padEnd(9)} ${String(mine.length).padStart(4)} sites, ` +
      `${new Set(mine.map((s) => s.street)).size} streets/towns, ` +
      `${new Set(mine.map((s) => s.community)).size} communities, ` +
      `${lanes} lanes, ${count('24h')} 24h, ${count('green-channel')} green-channel, ` +
      `${mine.filter((s) => s.serviceRatePerLane !== undefined).length} with own service rate`
    );
  });
}

function main(): void {
  const sites = generateRegistry();
  writeFileSync(OUTPUT_FILE, formatRegistry(sites));
  for (const line of summarise(sites)) console.log(line);
  console.log(`${sites.length} sites -> ${OUTPUT_FILE}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) main();
