import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SiteTrendsSchema, TrendsSchema, type SiteTrends, type Trends } from '../../shared/trends.js';
import { carrierBatch } from '../../testing/pages/wall.js';
import { ManualClock } from '../clock.js';
import { resample } from '../live/history.js';
import type { HistoryPoint } from '../store/types.js';
import { computeTrends, eachMinute, sliceTrends } from './trends.js';
import { issueToken, report, startTestApp, testSites, type TestApp } from '../../testing/server/app.js';
import type { Store } from '../store/types.js';

const MIN = 60_000;
// Whole minute, 10:00 in Jiangmen.
const T0 = Date.parse('2026-11-23T02:00:00Z');

describe('trend routes', () => {
  let t: TestApp;
  let clock: ManualClock;

  beforeEach(async () => {
    clock = new ManualClock(T0);
    t = await startTestApp({ clock, sites: testSites(4), config: { staffStaleMin: 15, carrierStaleMin: 5 } });
  });
  afterEach(() => t.close());

  const trends = async (q = ''): Promise<Trends> => {
    const res = await fetch(`${t.url}/api/trends${q}`);
    expect(res.status).toBe(200);
    return TrendsSchema.parse(await res.json());
  };
  const siteTrends = async (): Promise<SiteTrends> => {
    const res = await fetch(`${t.url}/api/trends/sites`);
    expect(res.status).toBe(200);
    return SiteTrendsSchema.parse(await res.json());
  };

  it('when nothing was ever reported, then every minute of 6 hours has an unknown queue (a gap, not zero) and no data', async () => {
    const body = await trends();
    expect(body.hours).toBe(6);
    expect(body.times).toHaveLength(6 * 60 + 1);
    expect(body.times.at(-1)).toBe(new Date(T0).toISOString());
    expect(body.city.queue.every((q) => q === null)).toBe(true);
    expect(body.city.none.every((n) => n === 4)).toBe(true);
    expect(body.city.waitAvg.every((w) => w === null)).toBe(true);
    expect(body.districts.map((d) => d.district).sort()).toEqual(['江海区', '蓬江区']);
  });

  it('when hours is outside 1-24, then 400 invalid_request', async () => {
    for (const h of ['0', '25', 'abc']) {
      const res = await fetch(`${t.url}/api/trends?hours=${h}`);
      expect(res.status).toBe(400);
      expect((await res.json()).error).toBe('invalid_request');
    }
  });

  it('when staff report over time, then the city and district series follow and age out like the live view', async () => {
    const a = await issueToken(t, 'site-1');
    const b = await issueToken(t, 'site-2');
    expect((await report(t, a.token, 'site-1', { queue: 40 })).status).toBe(200); // 40 / (2 x 2) = 10 min: low
    clock.advance(10 * MIN);
    expect((await report(t, b.token, 'site-2', { queue: 100 })).status).toBe(200); // 25 min: medium
    clock.advance(10 * MIN);
    const body = await trends('?hours=1');
    expect(body.times).toHaveLength(61);
    const at = (min: number) => body.times.indexOf(new Date(T0 + min * MIN).toISOString());
    expect(body.city.queue[at(0)]).toBe(40);
    expect(body.city.queue[at(10)]).toBe(140);
    expect(body.city.waitAvg[at(10)]).toBe(17.5);
    expect(body.city.low[at(10)]).toBe(1);
    expect(body.city.medium[at(10)]).toBe(1);
    expect(body.city.none[at(10)]).toBe(2);
    // site-1's report is 15 minutes old at T0+15 and gone after.
    expect(body.city.queue[at(16)]).toBe(100);
    const pengjiang = body.districts.find((d) => d.district === '蓬江区')!; // site-1 and site-3
    const jianghai = body.districts.find((d) => d.district === '江海区')!;
    expect(pengjiang.queue[at(10)]).toBe(40);
    expect(jianghai.queue[at(10)]).toBe(100);
    expect(body.city.queue.at(-1)).toBe(100);
  });

  it('when asked several times in one minute, then the store is read once; the next minute reads again', async () => {
    const store = t.store as Store & { history: Store['history'] };
    const original = store.history.bind(store);
    let reads = 0;
    store.history = (...args) => {
      reads += 1;
      return original(...args);
    };
    try {
      await Promise.all([trends(), trends(), trends()]);
      expect(reads).toBe(4);
      await trends();
      expect(reads).toBe(4);
      // A shorter window of the same minute is cut from the longer one, and equals computing it.
      const short = await trends('?hours=1');
      expect(reads).toBe(4);
      expect(short.times).toHaveLength(61);
      clock.advance(MIN);
      await trends();
      expect(reads).toBe(8);
    } finally {
      store.history = original;
    }
  });

  it('when a shorter window is cut from a longer one, then it equals the shorter window computed on its own', async () => {
    const a = await issueToken(t, 'site-1');
    await report(t, a.token, 'site-1', { queue: 12 });
    clock.advance(90 * MIN);
    await report(t, a.token, 'site-1', { queue: 50 });
    const long = await trends('?hours=3');
    const cut = await trends('?hours=2');
    const fresh = await computeTrends(
      { engine: t.app.engine, store: t.store, clock, config: t.config, sites: t.app.engine.sites },
      2,
      Date.parse(long.at),
    );
    expect(cut).toEqual(JSON.parse(JSON.stringify(fresh)));
    expect(sliceTrends(long, 3)).toBe(long);
  });

  it('when a queue grew over 15 minutes, then /trends/sites gives the queue before and when the site was seen', async () => {
    const a = await issueToken(t, 'site-1');
    await report(t, a.token, 'site-1', { queue: 10 });
    clock.advance(14 * MIN);
    await report(t, a.token, 'site-1', { queue: 30 });
    clock.advance(MIN);
    const body = await siteTrends();
    expect(body.windowMinutes).toBe(15);
    const s1 = body.sites.find((s) => s.siteId === 'site-1')!;
    expect(s1.queueBefore).toBe(10);
    expect(s1.lastSeenAt).toBe(new Date(T0 + 14 * MIN).toISOString());
    expect(s1.disagreement).toBeNull();
    // Sites with nothing to say are left out.
    expect(body.sites.map((s) => s.siteId)).toEqual(['site-1']);
  });

  it('when a dark site was last seen long ago, then lastSeenAt still says when', async () => {
    const a = await issueToken(t, 'site-3');
    await report(t, a.token, 'site-3', { queue: 5 });
    clock.advance(40 * MIN);
    // Ageing happens on the next frame.
    await expect.poll(async () => (await (await fetch(`${t.url}/api/sites/site-3`)).json()).live.source).toBe('none');
    const s3 = (await siteTrends()).sites.find((s) => s.siteId === 'site-3')!;
    expect(s3.lastSeenAt).toBe(new Date(T0).toISOString());
  });

  it('when staff and a fresh carrier estimate differ a lot, then the site is flagged with a ratio and no raw count', async () => {
    const a = await issueToken(t, 'site-2');
    await report(t, a.token, 'site-2', { queue: 20 });
    // More than 3 minutes apart, the pair does not calibrate the site; an uncalibrated site reads
    // 200 people as a queue of about 100 (the estimator's starting a and b) vs 20 counted.
    clock.advance(4 * MIN);
    expect(
      await carrierBatch(t, [
        { siteId: 'site-2', people: 200 },
        { siteId: 'site-4', people: 200 },
      ]),
    ).toBe(200);
    const body = await siteTrends();
    const s2 = body.sites.find((s) => s.siteId === 'site-2')!;
    expect(s2.disagreement?.flagged).toBe(true);
    expect(s2.disagreement?.ratio).toBeGreaterThan(4);
    expect(s2.disagreement?.ratio).toBeLessThan(6);
    // Carrier only: nothing to compare with.
    expect(body.sites.find((s) => s.siteId === 'site-4')?.disagreement ?? null).toBeNull();
    expect(JSON.stringify(body)).not.toContain('people');
  });

  it('when a count is merely old at a busy site, then the carrier seeing the queue gone is no disagreement; just after the count it is', async () => {
    const a = await issueToken(t, 'site-3');
    // Calibrate: six counts, each with a carrier reading of 2 x (queue + 2 in service) + 5.
    for (const q of [10, 30, 20, 40, 15, 35]) {
      await report(t, a.token, 'site-3', { queue: q, lanesOpen: 2 });
      expect(await carrierBatch(t, [{ siteId: 'site-3', people: 2 * (q + 2) + 5 }])).toBe(200);
      clock.advance(5 * MIN);
    }
    const flagged = async () => (await siteTrends()).sites.find((s) => s.siteId === 'site-3')?.disagreement;
    await report(t, a.token, 'site-3', { queue: 14, lanesOpen: 2 });
    // A minute later the carrier sees nobody waiting: the count cannot have drained that fast.
    clock.advance(MIN);
    await carrierBatch(t, [{ siteId: 'site-3', people: 9 }]);
    expect(await flagged()).toMatchObject({ ratio: 0, flagged: true });
    // Twelve minutes after the count (still fresh), two lanes have served its 14 people twice over.
    clock.advance(11 * MIN);
    await carrierBatch(t, [{ siteId: 'site-3', people: 9 }]);
    expect(await flagged()).toMatchObject({ ratio: 0, flagged: false });
  });
});

describe('eachMinute', () => {
  it('when given any history, then it yields exactly the values resample() serves', () => {
    const point = fc.record({
      atMs: fc.integer({ min: 0, max: 600 * MIN }),
      queue: fc.option(fc.integer({ min: 0, max: 500 }), { nil: null }),
      waitMinutes: fc.option(fc.integer({ min: 0, max: 120 }), { nil: null }),
      source: fc.constantFrom('staff' as const, 'carrier' as const, 'none' as const),
    });
    fc.assert(
      fc.property(
        fc.array(point, { maxLength: 40 }),
        fc.integer({ min: 0, max: 300 * MIN }),
        fc.integer({ min: 0, max: 400 * MIN }),
        fc.integer({ min: 1, max: 30 }),
        fc.integer({ min: 1, max: 30 }),
        (pts, from, span, staffMin, carrierMin) => {
          const sorted: HistoryPoint[] = [...pts].sort((a, b) => a.atMs - b.atMs);
          const stale = { staff: staffMin * MIN, carrier: carrierMin * MIN, none: 0 };
          const served = resample(sorted, from, from + span, stale);
          const mine: Array<{ queue: number | null; waitMinutes: number | null }> = [];
          eachMinute(sorted, from, from + span, stale, (i, queue, waitMinutes) => {
            expect(i).toBe(mine.length);
            mine.push({ queue, waitMinutes });
          });
          expect(mine).toEqual(served.map(({ queue, waitMinutes }) => ({ queue, waitMinutes })));
        },
      ),
      { numRuns: 300 },
    );
  });
});
