// GET /api/trends/daily after a simulated week: last week's hours were rolled into the archive when
// they finished (manual clock), the minute history of them is long gone, and the wall's comparison
// reads them from the archive.
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../clock.js';
import { startTestApp, testSites, type TestApp } from '../../testing/server/app.js';
import type { Daily } from '../../shared/trends.js';
import type { Store } from '../store/types.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const WEEK = 7 * 24 * HOUR;
/** Monday 2026-11-30 00:00 in Jiangmen (UTC+8). */
const MIDNIGHT = Date.parse('2026-11-29T16:00:00Z');
const sites = testSites(3);

/**
 * Sites queue 10, 20, 30 (wait 5, 10, 15) every minute from 07:50 to 09:59 local on the day that
 * starts at `midnight`, times `scale`; at 10:00 their figures stop (a 'none' point).
 */
async function morning(store: Store, midnight: number, scale: number): Promise<void> {
  let batch = 0;
  for (let m = 7 * 60 + 50; m <= 10 * 60; m++) {
    const at = midnight + m * MIN;
    await store.applyCarrierBatch({
      batchId: `day-${midnight}-${batch++}`,
      origin: 'test',
      nowMs: at,
      items: sites.map((s, i) => {
        const q = (i + 1) * 10 * scale;
        const stop = m === 10 * 60;
        return {
          siteId: s.id,
          carrier: { people: q, confidence: 1, observedAt: at },
          historyPoint: stop
            ? { atMs: at, queue: null, waitMinutes: null, source: 'none' as const }
            : { atMs: at, queue: q, waitMinutes: q / 2, source: 'carrier' as const },
        };
      }),
    });
  }
}

const daily = async (t: TestApp) => (await (await fetch(`${t.url}/api/trends/daily`)).json()) as Daily;

describe('GET /api/trends/daily', () => {
  let t: TestApp | undefined;
  afterEach(async () => t?.close());

  it('when a week of archive exists, then lastWeek gives the same hours of the same weekday a week before', async () => {
    const clock = new ManualClock(MIDNIGHT - WEEK + 7 * HOUR);
    t = await startTestApp({ clock, sites });
    await morning(t.store, MIDNIGHT - WEEK, 1);
    // Last Monday's hours are rolled up as they finish.
    clock.set(MIDNIGHT - WEEK + 10 * HOUR + 5 * MIN);
    await t.app.archiver.tick();
    // A week later, this Monday's morning: twice the queues.
    clock.set(MIDNIGHT + 7 * HOUR);
    await morning(t.store, MIDNIGHT, 2);
    clock.set(MIDNIGHT + 10 * HOUR + 30 * MIN);
    await t.app.archiver.tick();
    const body = await daily(t);
    expect(body.since).toBe(new Date(MIDNIGHT).toISOString());
    // 07:50-09:59 a week ago: 10 + 20 + 30 in the queue every minute, waits 5, 10 and 15.
    expect(body.lastWeek).toEqual({ queueAvg: 60, queuePeak: 60, waitAvg: 10, minutes: 130 });
    // Today from the minute history: the same minutes, twice the people; the same figures result.
    expect(body.today).toEqual({ queueAvg: 120, queuePeak: 120, waitAvg: 20, minutes: 130 });
  });

  it('when the archive does not reach back a week, then lastWeek is null and today is still given', async () => {
    const clock = new ManualClock(MIDNIGHT + 7 * HOUR);
    t = await startTestApp({ clock, sites });
    await morning(t.store, MIDNIGHT, 1);
    clock.set(MIDNIGHT + 10 * HOUR + 30 * MIN);
    await t.app.archiver.tick();
    const body = await daily(t);
    expect(body.lastWeek).toBeNull();
    expect(body.today).toMatchObject({ queueAvg: 60, queuePeak: 60, waitAvg: 10 });
  });
});
