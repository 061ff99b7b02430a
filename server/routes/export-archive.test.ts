// The export across the end of the per-minute history (73 h): older hours come from the hourly
// archive, newer ones from the minute history, and together they read exactly as if every hour had
// been computed from the full minute history.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { irregularHistory, writeHistory } from '../../testing/server/archive-harness.js';
import { startTestApp, TEST_ADMIN_TOKEN, testSites, type TestApp } from '../../testing/server/app.js';
import type { ExportRow } from '../../shared/export.js';
import { HOUR, hourRows } from '../archive/hour-rows.js';
import { minuteHistoryStart } from '../archive/rollup.js';
import { ManualClock } from '../clock.js';
import type { HistoryPoint } from '../store/types.js';

const MIN = 60_000;
/** 2026-11-02 00:00 UTC. */
const T0 = Date.UTC(2026, 10, 2);
const HOURS = 84;

describe('export across the end of the minute history', () => {
  let t: TestApp;
  const clock = new ManualClock(T0);
  const sites = testSites(3);
  let history: Map<string, HistoryPoint[]>;

  beforeAll(async () => {
    t = await startTestApp({ clock, sites });
    history = irregularHistory(
      sites.map((s) => s.id),
      T0,
      HOURS,
    );
    // 84 hours as they happen: the clock follows the readings and finished hours are rolled up.
    await writeHistory(t.store, history, async (atMs) => {
      if (Math.floor(atMs / HOUR) > Math.floor(clock.now() / HOUR)) await t.app.archiver.tick();
      clock.set(atMs);
    });
    clock.set(T0 + HOURS * HOUR + 5 * MIN);
    await t.app.archiver.tick();
  });
  afterAll(async () => t?.close());

  it('when an export spans archived and minute hours, then every hour is there once, by the same rule', async () => {
    const boundary = minuteHistoryStart(clock.now(), t.config);
    // The boundary falls inside the export, and the minute history before it is really gone.
    expect(boundary).toBeGreaterThan(T0 + 6 * HOUR);
    expect(await t.store.history(sites[0]!.id, T0, boundary - 2 * HOUR)).toEqual([]);
    const from = T0 + HOUR;
    const to = T0 + HOURS * HOUR;
    const res = await fetch(
      `${t.url}/api/admin/export?from=${new Date(from).toISOString()}&to=${new Date(to).toISOString()}&format=json`,
      { headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` } },
    );
    expect(res.status).toBe(200);
    const { rows } = (await res.json()) as { rows: ExportRow[] };
    const stale = { staff: t.config.staffStaleMin * MIN, carrier: t.config.carrierStaleMin * MIN, none: 0 };
    const want = sites.flatMap((s) =>
      hourRows(history.get(s.id)!, from, to, stale).map((r) => ({
        siteId: s.id,
        name: s.name,
        district: s.district,
        lanes: s.lanes,
        ...r,
      })),
    );
    expect(rows).toHaveLength((HOURS - 1) * sites.length);
    expect(rows).toEqual(want);
    // Figures on both sides of the boundary (not an export of empty hours).
    const known = (r: ExportRow) => r.queueMean !== null;
    expect(rows.some((r) => Date.parse(r.hour) < boundary && known(r))).toBe(true);
    expect(rows.some((r) => Date.parse(r.hour) >= boundary && known(r))).toBe(true);
    // Served counts and lanes open on both sides too.
    const extra = (r: ExportRow) => (r.served ?? 0) > 0 && r.lanesOpenMean !== null;
    expect(rows.some((r) => Date.parse(r.hour) < boundary && extra(r))).toBe(true);
    expect(rows.some((r) => Date.parse(r.hour) >= boundary && extra(r))).toBe(true);
  });
});
