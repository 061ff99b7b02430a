import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { Site } from '../../shared/schemas.js';
import { DEFAULT_SITES_FILE, loadRegistry, RegistryError } from './load.js';

const EXAMPLE_CSV = fileURLToPath(new URL('../data/example-sites.csv', import.meta.url));
const HEADER = 'id,name,district,lat,lng,lanes';
const dir = mkdtempSync(join(tmpdir(), 'shortline-registry-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
/** Writes `content` to a fresh file with the given extension and returns its path. */
function file(ext: string, content: string): string {
  const path = join(dir, `sites-${++n}${ext}`);
  writeFileSync(path, content);
  return path;
}

const site = (over: Partial<Site> = {}): Site => ({
  id: 'a1',
  name: 'A',
  district: '蓬江区',
  lat: 22.6,
  lng: 113.08,
  lanes: 2,
  ...over,
});

/** The RegistryError thrown by loading `path`, for looking at its message and problems. */
function failure(path: string): RegistryError {
  try {
    loadRegistry(path);
  } catch (err) {
    if (err instanceof RegistryError) return err;
    throw err;
  }
  throw new Error(`${path} loaded without error`);
}

describe('loadRegistry, valid files', () => {
  it('when the example CSV is loaded, then its five sites come back decoded', () => {
    const sites = loadRegistry(EXAMPLE_CSV);
    expect(sites).toHaveLength(5);
    expect(sites[0]).toEqual({
      id: 'ex-pengjiang-1',
      name: '羊桥社区核酸采样点',
      district: '蓬江区',
      street: '白沙街道',
      community: '羊桥社区居委会',
      address: '江门市蓬江区白沙街道羊桥社区',
      lat: 22.593235,
      lng: 113.088567,
      lanes: 5,
      hours: [
        { open: '08:00', close: '12:00' },
        { open: '14:00', close: '21:00' },
      ],
      tags: ['green-channel'],
      // Added by the loader for the page's English (CONTRACT "Site", extension).
      pinyin: {
        name: 'Yangqiao Shequ Hesuan Caiyangdian',
        district: 'Pengjiang Qu',
        street: 'Baisha Jiedao',
        address: 'Jiangmen Shi Pengjiang Qu Baisha Jiedao Yangqiao Shequ',
        initials: 'yqsqhscyd pjq bsjd',
      },
    });
    expect(sites[1]?.address).toBe('江门市江海区江南街道桥南社区, 社区服务中心门前');
    expect(sites[1]?.hours?.[2]).toEqual({ days: [6, 7], open: '09:00', close: '17:00' });
    expect(sites[1]?.serviceRatePerLane).toBe(2.2);
    expect(sites[2]?.hours).toBeUndefined();
    expect(sites[2]?.tags).toEqual(['24h', 'green-channel']);
    expect(sites[4]?.name).toBe('三埠街道"流动采样车"');
    expect(sites[4]?.community).toBeUndefined();
  });

  it('when a JSON array of sites is loaded, then the sites come back as given', () => {
    const sites = [site(), site({ id: 'b2', hours: [{ days: [1, 2], open: '08:00', close: '12:00' }], tags: ['24h'] })];
    const loaded = loadRegistry(file('.json', JSON.stringify(sites)));
    expect(loaded.map(({ pinyin: _, ...given }) => given)).toEqual(sites);
  });

  it('when a JSON site gives its own pinyin, then it is kept; a site with no Chinese gets none', () => {
    const own = { name: 'Zhang Shequ', district: 'Pengjiang Qu', initials: 'zsq pjq' };
    const [given, latin] = loadRegistry(
      file('.json', JSON.stringify([site({ name: '长社区', pinyin: own }), site({ id: 'b2', district: 'D' })])),
    );
    expect(given?.pinyin).toEqual(own);
    expect(latin?.pinyin).toBeUndefined();
  });

  it('when the extension is upper case, then the file is still read by its type', () => {
    expect(loadRegistry(file('.CSV', `${HEADER}\na1,A,D,1,2,3\n`))).toHaveLength(1);
  });

  it('when columns come in another order, then cells are matched by header', () => {
    const sites = loadRegistry(file('.csv', 'lanes,lng,lat,district,name,id\r\n3,113,22,D,"A, b",x\r\n'));
    expect(sites).toEqual([{ id: 'x', name: 'A, b', district: 'D', lat: 22, lng: 113, lanes: 3 }]);
  });

  it('when DEFAULT_SITES_FILE is asked for, then it is the absolute path of the bundled registry', () => {
    expect(DEFAULT_SITES_FILE).toMatch(/^\/.*server\/data\/jiangmen-sites\.json$/);
  });
});

describe('loadRegistry, broken files', () => {
  it('when a CSV cell is out of range, then the error names the file, row and field', () => {
    const path = file('.csv', `${HEADER}\na1,A,D,22,113,2\na2,B,D,22,113,2\na3,C,D,91,113,2\n`);
    const err = failure(path);
    expect(err.name).toBe('RegistryError');
    expect(err.file).toBe(path);
    expect(err.message).toMatch(new RegExp(`^${path} row 3, field "lat": .*90`));
  });

  it('when several rows have faults, then every problem is listed, not only the first', () => {
    const csv = `${HEADER},hours,tags\na1,,D,abc,113,2,,\na2,B,D,22,200,0,25:00-26:00,\na3,C,D,22,113,2,8-12,${'x'.repeat(40)}\n`;
    const err = failure(file('.csv', csv));
    const where = err.problems.map((p) => p.replace(/^.* (row \d+, field "[^"]+").*$/, '$1'));
    expect(where).toEqual([
      'row 1, field "name"',
      'row 1, field "lat"',
      'row 2, field "lng"',
      'row 2, field "lanes"',
      'row 2, field "hours"',
      'row 2, field "hours"',
      'row 3, field "hours"',
      'row 3, field "tags"',
    ]);
    expect(err.problems[0]).toMatch(/required, but the cell is empty/);
    expect(err.problems[1]).toMatch(/"abc" is not a number/);
    expect(err.problems[4]).toMatch(/period 1 open: time as HH:MM/);
    expect(err.problems[7]).toMatch(/tag 1/);
    expect(err.message).toMatch(/: 8 problems: /);
  });

  it('when there are more than 20 problems, then 20 are listed and the rest counted', () => {
    const rows = Array.from({ length: 25 }, (_, i) => `a${i},A,D,99,113,2`).join('\n');
    const err = failure(file('.csv', `${HEADER}\n${rows}\n`));
    expect(err.problems).toHaveLength(25);
    expect(err.message).toMatch(/row 20, field "lat".*; and 5 more$/);
    expect(err.message).not.toMatch(/row 21/);
  });

  it('when two CSV rows share an id, then both rows are named', () => {
    const err = failure(file('.csv', `${HEADER}\na1,A,D,22,113,2\nb,B,D,22,113,2\na1,C,D,22,113,2\n`));
    expect(err.message).toMatch(/row 3, field "id": duplicate id "a1" \(also at row 1\)/);
  });

  it('when two JSON entries share an id, then both indexes are named', () => {
    const err = failure(file('.json', JSON.stringify([site(), site({ name: 'B' })])));
    expect(err.message).toMatch(/index 1, field "id": duplicate id "a1" \(also at index 0\)/);
  });

  it('when a JSON entry is invalid, then its array index and field path are named', () => {
    const bad = site({ hours: [{ open: '8am', close: '12:00' }] });
    const err = failure(file('.json', JSON.stringify([site(), bad])));
    expect(err.message).toMatch(/index 1, field "hours\.0\.open": time as HH:MM/);
  });

  it('when a JSON entry has a key the schema does not know, then the key is named', () => {
    const err = failure(file('.json', JSON.stringify([{ ...site(), serviceRate: 2 }])));
    expect(err.message).toMatch(/index 0, unknown field "serviceRate"/);
  });

  it('when the JSON is not an array, then it says so', () => {
    expect(failure(file('.json', '{"sites":[]}')).message).toMatch(/expected a JSON array of sites/);
  });

  it('when the JSON does not parse, then it says invalid JSON', () => {
    expect(failure(file('.json', '[{"id": "a1",]')).message).toMatch(/sites-\d+\.json: invalid JSON \(/);
  });

  it.each([
    ['an empty JSON array', '.json', '[]'],
    ['a CSV with only a header', '.csv', `${HEADER}\n`],
  ])('when the file is %s, then the registry is refused as empty', (_, ext, content) => {
    expect(failure(file(ext, content)).message).toMatch(/no sites in the registry/);
  });

  it('when a CSV file is empty, then it says there is no header', () => {
    expect(failure(file('.csv', '')).message).toMatch(/no header row/);
  });

  it('when the extension is neither .json nor .csv, then it is refused before reading', () => {
    expect(failure(join(dir, 'sites.yaml')).message).toMatch(/unknown extension "\.yaml"/);
  });

  it('when the file cannot be read, then the error names it and the reason', () => {
    const path = join(dir, 'missing.json');
    expect(failure(path).message).toMatch(new RegExp(`^${path}: cannot read the file \\(ENOENT`));
  });

  it('when the CSV header has an unknown column, then the column is named', () => {
    const err = failure(file('.csv', `${HEADER},colour\na1,A,D,22,113,2,red\n`));
    expect(err.message).toMatch(/header, column "colour": unknown column/);
  });

  it('when a required column is missing, then it is named', () => {
    expect(failure(file('.csv', 'id,name,district,lat,lng\na1,A,D,22,113\n')).message).toMatch(
      /column "lanes": required column is missing/,
    );
  });

  it('when a row has the wrong number of cells, then the row and the counts are given', () => {
    const err = failure(file('.csv', `${HEADER}\na1,A,D,22,113,2\na2,"B,C",D,22,113\na3,A,D,22,113,2,9\n`));
    expect(err.problems).toEqual([
      expect.stringMatching(/row 2: 5 cells, but the header has 6 \(line 3\)/),
      expect.stringMatching(/row 3: 7 cells, but the header has 6 \(line 4\)/),
    ]);
  });

  it('when a quote is left open, then the error gives the line', () => {
    expect(failure(file('.csv', `${HEADER}\na1,"A,D,22,113,2\n`)).message).toMatch(
      / line 2: a quoted cell is never closed/,
    );
  });

  it('when the id breaks the id pattern, then the id field is named', () => {
    expect(failure(file('.csv', `${HEADER}\nno spaces,A,D,22,113,2\n`)).message).toMatch(/row 1, field "id": site id/);
  });
});

describe('what loading a registry costs', () => {
  // In a process of its own: whether pinyin-pro was loaded is a fact about the whole process.
  const loads = (path: string) => {
    const script = [
      `import { createRequire } from 'node:module';`,
      `import { loadRegistry } from ${JSON.stringify(fileURLToPath(new URL('./load.ts', import.meta.url)))};`,
      `const sites = loadRegistry(${JSON.stringify(path)});`,
      `const cache = Object.keys(createRequire(import.meta.url).cache);`,
      `console.log(JSON.stringify({ pinyinPro: cache.some((k) => k.includes('pinyin-pro')), withPinyin: sites.filter((s) => s.pinyin).length, sites: sites.length }));`,
    ].join('\n');
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      encoding: 'utf8',
    });
    return JSON.parse(out.trim().split('\n').pop()!) as { pinyinPro: boolean; withPinyin: number; sites: number };
  };

  it('when the bundled registry is loaded, then every site has its pinyin and pinyin-pro is never loaded', () => {
    expect(loads(DEFAULT_SITES_FILE)).toEqual({ pinyinPro: false, withPinyin: 986, sites: 986 });
  });

  it('when a registry without pinyin is loaded, then pinyin-pro is loaded to make it', () => {
    expect(loads(EXAMPLE_CSV)).toMatchObject({ pinyinPro: true });
  });
});
