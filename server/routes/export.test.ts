// The daily report export over a simulated day through the real API (carrier batches and staff
// reports with a manual clock), read back as CSV and JSON.
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { carrierBatch } from '../../testing/pages/wall.js';
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
      'siteId,name,district,hour,waitMean,waitMax,queueMean,queueMax,served,lanes,staffMinutes,carrierMinutes,noneMinutes',
    );
    expect(lines).toHaveLength(3 * 3);
    const rows = lines.map((l) => l.split(','));
    const first = rows.find((r) => r[0] === sites[0]!.id && r[3] === '2026-12-01T08:00:00.000Z')!;
    // 08:00-08:59 at 10 people more every 10 min: 10,20,...,60 each for 10 minutes.
    expect(first.slice(6, 8)).toEqual(['35', '60']);
    expect(first.slice(10)).toEqual(['60', '0', '0']);
    const carrier = rows.find((r) => r[0] === sites[1]!.id && r[3] === '2026-12-01T09:00:00.000Z')!;
    // A reading every 10 min counts for CARRIER_STALE_MIN (5) minutes after it: 6 of every 10 minutes.
    expect(carrier.slice(10)).toEqual(['0', '36', '24']);
    for (const r of rows) expect(Number(r[10]) + Number(r[11]) + Number(r[12])).toBe(60);
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
