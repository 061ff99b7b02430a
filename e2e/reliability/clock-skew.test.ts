// Row "tablet clock 10 min fast or a day slow": such reports are refused with a clear message, and
// whatever their skew, a report never overwrites newer data (wrong overwrites = 0).
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../server/clock.js';
import { issueToken, startTestApp, type TestApp } from '../../testing/server/app.js';
import { carrierHeaders } from '../../testing/server/carrier.js';
import { fuzzSeed } from '../../testing/server/fuzz.js';
import { httpClient, postJson, type HttpClient } from '../../testing/server/http.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const clock = new ManualClock(Date.parse('2026-11-22T02:00:00Z'));
let t: TestApp;
let http: HttpClient;
let token: string;
let n = 0;

const iso = (ms: number) => new Date(ms).toISOString();
const staffOf = () => t.app.engine.rawOf('site-1').staff;
const send = (skewMs: number, queue: number) =>
  postJson(
    http,
    '/api/sites/site-1/reports',
    { reportId: `skew-${String(++n).padStart(6, '0')}`, queue, observedAt: iso(clock.now() + skewMs) },
    token,
  );

beforeAll(async () => {
  t = await startTestApp({ clock });
  http = httpClient(t.url, 8);
  token = (await issueToken(t, 'site-1')).token;
});
afterAll(async () => {
  http.close();
  await t.close();
});

describe('reports from a tablet with a wrong clock', () => {
  it('when the tablet clock is 10 min fast, then 400 observed_in_future tells to check the clock, and nothing changes', async () => {
    expect((await send(0, 20)).status).toBe(200);
    const r = await send(10 * MIN, 99);
    expect(r.status).toBe(400);
    expect(r.json).toMatchObject({ error: 'observed_in_future', message: expect.stringMatching(/clock/) });
    expect(staffOf()?.queue).toBe(20);
  });

  it('when the tablet clock is a day slow, then 400 observed_too_old, and nothing changes', async () => {
    const r = await send(-24 * HOUR - MIN, 99);
    expect(r.status).toBe(400);
    expect(r.json).toMatchObject({ error: 'observed_too_old', message: expect.stringMatching(/24 hours/) });
    expect(staffOf()?.queue).toBe(20);
  });

  it('when a carrier feed stamps its readings 10 min ahead or a day behind, then 400 and nothing changes', async () => {
    for (const [skew, code] of [
      [10 * MIN, 'observed_in_future'],
      [-25 * HOUR, 'observed_too_old'],
    ] as const) {
      const raw = JSON.stringify({
        batchId: `skew-batch-${skew}`,
        observedAt: iso(clock.now() + skew),
        readings: [{ siteId: 'site-1', people: 5 }],
      });
      const res = await http.send({
        method: 'POST',
        path: '/api/feeds/carrier',
        headers: carrierHeaders(raw, clock.now()),
        body: raw,
      });
      expect([res.status, (res.json as { error: string }).error]).toEqual([400, code]);
    }
    expect(t.app.engine.rawOf('site-1').carrier).toBeNull();
  });

  it('when reports of any clock skew arrive in any order, then the stored report is always the newest one within bounds (wrong overwrites = 0)', async () => {
    const seed = fuzzSeed();
    let wrong = 0;
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.oneof(
            fc.integer({ min: -30 * HOUR, max: 30 * HOUR }),
            fc.constantFrom(10 * MIN, -24 * HOUR, -24 * HOUR - 1, 2 * MIN, 2 * MIN + 1, 0),
          ),
          { minLength: 1, maxLength: 8 },
        ),
        async (skews) => {
          runs++;
          clock.advance(MIN);
          for (const skew of skews) {
            const before = staffOf();
            const queue = 1 + (n % 9000);
            const r = await send(skew, queue);
            const after = staffOf();
            const observedAt = clock.now() + skew;
            const inBounds = skew <= 2 * MIN && skew >= -24 * HOUR;
            const shouldApply = inBounds && (!before || observedAt >= before.observedAt);
            if (!inBounds) expect(r.status).toBe(400);
            else expect(r.status).toBe(200);
            // A wrong overwrite: the stored report changed when it should not have, or to something else.
            if (shouldApply ? after?.queue !== queue : JSON.stringify(after) !== JSON.stringify(before)) wrong++;
          }
        },
      ),
      { seed, numRuns: 150 },
    );
    console.log(
      `[figure] clock-skew: ${runs} runs, ${n} reports with skews from -30 h to +30 h (seed ${seed}): wrong overwrites=${wrong}`,
    );
    expect(wrong).toBe(0);
  });
});
