// The daily report export over a simulated day through the real API (carrier batches and staff
// reports with a manual clock), read back as CSV and JSON.
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { carrierBatch } from '../../testing/pages/wall.js';
import type { ExportRow } from '../../shared/export.js';
import { createMemoryArchive } from '../archive/memory.js';
import { ManualClock } from '../clock.js';
import {
  issueToken,
  report,
  startTestApp,
  TEST_ADMIN_TOKEN,
  testSites,
  type TestApp,
} from '../../testing/server/app.js';

const MIN = 60_000;
/** 2026-12-01 00:00 UTC. */
const DAY = Date.UTC(2026, 11, 1);

const get = (t: TestApp, q: string, auth = true) =>
  fetch(`${t.url}/api/admin/export?${q}`, { headers: auth ? { authorization: `Bearer ${TEST_ADMIN_TOKEN}` } : {} });

describe('daily report export', () => {
  let t: TestApp;
  const clock = new ManualClock(DAY + 8 * 60 * MIN);
  const sites = testSites(3);

  beforeAll(async () => {
    t = await startTestApp({ clock, sites });
    const { token } = await issueToken(t, sites[0]!.id);
    // 08:00-11:00: site 0 counted by staff every 10 min (queue 10, 20, ...), sites 1-2 by the carrier.
    for (let m = 0; m < 180; m += 10) {
      clock.set(DAY + 8 * 60 * MIN + m * MIN);
      expect((await report(t, token, sites[0]!.id, { queue: 10 + m, lanesOpen: 1 })).status).toBe(200);
      expect(
        await carrierBatch(t, [
          { siteId: sites[1]!.id, people: 40 },
          { siteId: sites[2]!.id, people: 40 },
        ]),
      ).toBe(200);
    }
    clock.set(DAY + 12 * 60 * MIN);
  });
  afterAll(async () => t?.close());

  it('when asked for a day as CSV, then one row per site and hour with wait, queue and source minutes reads right', async () => {
    const res = await get(t, `from=2026-12-01T08:00:00Z&to=2026-12-01T11:00:00Z&format=csv`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    const text = (await res.text()).replace(/^\uFEFF/, '');
    writeFileSync('screenshots/export-sample.csv', text);
    const [header, ...lines] = text.trimEnd().split('\r\n');
    expect(header).toBe(
      'siteId,name,district,hour,waitMean,waitMax,queueMean,queueMax,served,lanes,lanesOpenMean,staffMinutes,carrierMinutes,noneMinutes',
    );
    expect(lines).toHaveLength(3 * 3);
    const rows = lines.map((l) => l.split(','));
    const first = rows.find((r) => r[0] === sites[0]!.id && r[3] === '2026-12-01T08:00:00.000Z')!;
    // 08:00-08:59 at 10 people more every 10 min: 10,20,...,60 each for 10 minutes.
    expect(first.slice(6, 8)).toEqual(['35', '60']);
    // No served counter in these reports; one lane open of the registry's two.
    expect(first.slice(8, 14)).toEqual(['', '2', '1', '60', '0', '0']);
    const carrier = rows.find((r) => r[0] === sites[1]!.id && r[3] === '2026-12-01T09:00:00.000Z')!;
    // A reading every 10 min counts for CARRIER_STALE_MIN (5) minutes after it: 6 of every 10 minutes.
    // Without a staff count the site has its registry lanes open.
    expect(carrier.slice(10)).toEqual(['2', '0', '36', '24']);
    for (const r of rows) expect(Number(r[11]) + Number(r[12]) + Number(r[13])).toBe(60);
  });

  it('when asked as JSON for one district, then the same numbers come as objects', async () => {
    const res = await get(
      t,
      `from=2026-12-01T08:00:00Z&to=2026-12-01T09:00:00Z&format=json&district=${encodeURIComponent(sites[0]!.district)}`,
    );
    const body = (await res.json()) as { rows: Array<Record<string, unknown>> };
    expect(body.rows.length).toBeGreaterThan(0);
    expect(body.rows.every((r) => r.district === sites[0]!.district)).toBe(true);
    expect(body.rows.find((r) => r.siteId === sites[0]!.id)).toMatchObject({
      queueMean: 35,
      queueMax: 60,
      served: null,
      lanes: 2,
      lanesOpenMean: 1,
      staffMinutes: 60,
    });
  });

  it('when the range is backwards, too long, the format unknown or no admin token is sent, then nothing is exported', async () => {
    const bad = await get(t, 'from=2026-12-02T00:00:00Z&to=2026-12-01T00:00:00Z');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { issues: Array<{ path: string }> }).issues.map((i) => i.path)).toContain('to');
    expect((await get(t, 'from=2026-11-01&to=2026-12-01')).status).toBe(400);
    expect((await get(t, 'from=2026-12-01&to=2026-12-02&format=xls')).status).toBe(400);
    expect((await get(t, 'from=2026-12-01&to=2026-12-02', false)).status).toBe(401);
  });
});

describe('daily report export of served counts and lanes open', () => {
  let t: TestApp;
  const clock = new ManualClock(DAY + 8 * 60 * MIN);
  const archive = createMemoryArchive(() => clock.now());
  const sites = testSites(2);
  const [counted, plain] = sites.map((s) => s.id) as [string, string];
  // Site 1's tablet counts people served; it restarts at 09:10 and counts from 5 again.
  const served = [100, 120, 140, 160, 180, 200, 210, 5, 25, 45, 65, 85];
  const lanes = [2, 2, 2, 2, 3, 3, 3, 1, 1, 1, 1, 1];

  beforeAll(async () => {
    t = await startTestApp({ clock, sites, archive });
    const tokens = [(await issueToken(t, counted)).token, (await issueToken(t, plain)).token];
    for (let k = 0; k < served.length; k++) {
      clock.set(DAY + 8 * 60 * MIN + k * 10 * MIN);
      const a = await report(t, tokens[0]!, counted, { queue: 12, lanesOpen: lanes[k], served: served[k] });
      expect(a.status).toBe(200);
      // Site 2's reports carry no counter: nothing of site 1's may show up in its rows.
      expect((await report(t, tokens[1]!, plain, { queue: 8, lanesOpen: 2 })).status).toBe(200);
      if (k % 6 === 0) {
        // A carrier reading in the same minute replaces the report's history point (one a minute);
        // it carries the fresh report's counter, so the hours' first counters (100, 210) still count.
        clock.advance(30_000);
        expect(await carrierBatch(t, [{ siteId: counted, people: 30 }])).toBe(200);
      }
    }
    clock.set(DAY + 10 * 60 * MIN + 5 * MIN);
  });
  afterAll(async () => t?.close());

  const query = 'from=2026-12-01T08:00:00Z&to=2026-12-01T10:00:00Z';
  // 08:00: 100 -> 200; lanes 2 for 40 minutes, 3 for 20 (140/60). 09:00: 200 at 08:50 -> 210, the
  // restart (5), then 5 -> 85: 10 + 80; lanes 3 for 10 minutes, 1 for 50 (80/60).
  const want = [
    { siteId: counted, hour: '2026-12-01T08:00:00.000Z', served: 100, lanes: 2, lanesOpenMean: 2.3 },
    { siteId: counted, hour: '2026-12-01T09:00:00.000Z', served: 90, lanes: 2, lanesOpenMean: 1.3 },
    { siteId: plain, hour: '2026-12-01T08:00:00.000Z', served: null, lanes: 2, lanesOpenMean: 2 },
    { siteId: plain, hour: '2026-12-01T09:00:00.000Z', served: null, lanes: 2, lanesOpenMean: 2 },
  ];

  it("when staff reports carry served counters over two hours, then JSON rows have each hour's increase and mean lanes open", async () => {
    const res = await get(t, `${query}&format=json`);
    expect(res.status).toBe(200);
    const { rows } = (await res.json()) as { rows: ExportRow[] };
    expect(rows.map(pick)).toEqual(want);
  });

  it('when the same hours are asked as CSV, then the served and lanesOpenMean columns read the same', async () => {
    const res = await get(t, `${query}&format=csv`);
    const [header, ...lines] = (await res.text())
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    const cols = header!.split(',');
    const rows = lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [cols[i], v])));
    expect(rows.map((r) => [r.siteId, r.hour, r.served, r.lanes, r.lanesOpenMean])).toEqual(
      want.map((w) => [w.siteId, w.hour, w.served === null ? '' : String(w.served), '2', String(w.lanesOpenMean)]),
    );
  });

  it('when the hours are rolled into the archive, then the archived rows carry the same served and lanes open', async () => {
    await t.app.archiver.tick();
    for (const w of want) {
      const row = (await archive.hour(Date.parse(w.hour))).get(w.siteId);
      expect(row).toMatchObject({ served: w.served, lanesOpenMean: w.lanesOpenMean });
    }
  });
});

const pick = (r: ExportRow) => ({
  siteId: r.siteId,
  hour: r.hour,
  served: r.served,
  lanes: r.lanes,
  lanesOpenMean: r.lanesOpenMean,
});

describe('daily report export when a staff report arrives late', () => {
  let t: TestApp;
  const clock = new ManualClock(DAY + 8 * 60 * MIN);
  const sites = testSites(1);
  const site = sites[0]!.id;

  beforeAll(async () => {
    t = await startTestApp({ clock, sites });
    const { token } = await issueToken(t, site);
    const at = (min: number) => new Date(DAY + 8 * 60 * MIN + min * MIN).toISOString();
    expect((await report(t, token, site, { queue: 5, served: 100, observedAt: at(0) })).status).toBe(200);
    // Carrier readings every minute; the tablet's 08:03 count (110) only gets through at 08:07.
    for (let m = 1; m <= 7; m++) {
      clock.set(DAY + 8 * 60 * MIN + m * MIN);
      expect(await carrierBatch(t, [{ siteId: site, people: 20 }])).toBe(200);
    }
    expect((await report(t, token, site, { queue: 6, served: 110, observedAt: at(3) })).status).toBe(200);
    clock.set(DAY + 8 * 60 * MIN + 20 * MIN);
    expect((await report(t, token, site, { queue: 6, served: 130 })).status).toBe(200);
    clock.set(DAY + 9 * 60 * MIN + 5 * MIN);
  });
  afterAll(async () => t?.close());

  it('when readings were recorded between the count and its late arrival, then the hour counts each person once', async () => {
    const res = await get(t, 'from=2026-12-01T08:00:00Z&to=2026-12-01T09:00:00Z&format=json');
    const { rows } = (await res.json()) as { rows: ExportRow[] };
    // 100 -> 110 -> 130; the readings of 08:04-08:07 must not read as a drop back to 100.
    expect(rows.map((r) => r.served)).toEqual([30]);
  });
});
