// Row "Redis slow or silent": shortline reaches the real Redis through a loopback fault proxy that
// delays every reply or goes silent. Commands time out into 503s, /readyz degrades, the event loop
// of the process running the app stays responsive, and all recovers when Redis answers again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { silentLogger } from '../../server/logger.js';
import { createRedisStore } from '../../server/store/redis.js';
import type { Store } from '../../server/store/types.js';
import { issueToken, startTestApp, type TestApp } from '../../testing/server/app.js';
import { startFaultProxy, type FaultProxy } from '../../testing/server/fault-proxy.js';
import { httpClient, postJson, type HttpClient } from '../../testing/server/http.js';
import { ms, pace, type Pacer } from '../../testing/server/load.js';
import { deletePrefix, redisForTests, TEST_REDIS_URL, uniquePrefix } from '../../testing/server/redis.js';
import { waitFor } from '../../testing/wait.js';

const hasRedis = await redisForTests();
const COMMAND_TIMEOUT_MS = 2000;

let proxy: FaultProxy;
let store: Store;
let t: TestApp;
let http: HttpClient;
let token: string;
let loop: IntervalHistogram;
let background: Pacer;
const prefix = uniquePrefix('slow');
let n = 0;

const write = async () => {
  const t0 = performance.now();
  const res = await postJson(
    http,
    '/api/sites/site-1/reports',
    { reportId: `slow-${String(++n).padStart(6, '0')}`, queue: n % 500 },
    token,
  );
  return { status: res.status, ms: performance.now() - t0, body: res.json as { error?: string } };
};
const ready = async () => {
  const t0 = performance.now();
  const res = await http.send({ path: '/readyz' });
  return { status: res.status, ms: performance.now() - t0 };
};

beforeAll(async () => {
  if (!hasRedis) return;
  const u = new URL(TEST_REDIS_URL);
  proxy = await startFaultProxy({ upstreams: [{ host: u.hostname, port: Number(u.port || 6379) }] });
  store = await createRedisStore({
    url: proxy.url('redis'),
    prefix,
    logger: silentLogger(),
    commandTimeoutMs: COMMAND_TIMEOUT_MS,
  });
  t = await startTestApp({ store, config: { writeRatePerMin: 10_000_000 } });
  http = httpClient(t.url, 64);
  token = (await issueToken(t, 'site-1')).token;
  loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  // Reads keep coming through every phase, as residents' pages would.
  background = pace(50, () => http.send({ path: '/api/live' }));
});

afterAll(async () => {
  if (!hasRedis) return;
  await background.stop();
  loop.disable();
  console.log(
    `[figure] redis-slow: event-loop delay of the app's process over all phases p99 ${ms(loop.percentile(99) / 1e6)}, max ${ms(loop.max / 1e6)}`,
  );
  http.close();
  await t.close();
  await store.close();
  await proxy.close();
  await deletePrefix(TEST_REDIS_URL, prefix);
});

describe.skipIf(!hasRedis)('Redis slow or silent behind a fault proxy', () => {
  it('when every Redis reply takes 500 ms, then writes still succeed, slowly, and /readyz stays ready', async () => {
    expect((await write()).status).toBe(200);
    proxy.setMode({ kind: 'delay', ms: 500 });
    try {
      const w = await write();
      expect(w.status).toBe(200);
      // The write script: one round trip of 500 ms (the token record is cached in process since
      // the write before; without the cache its lookup made it two, see auth/token-cache.ts).
      expect(w.ms).toBeGreaterThan(450);
      const r = await ready();
      expect(r.status).toBe(200);
      console.log(
        `[figure] redis-slow (500 ms per reply): write answered 200 in ${ms(w.ms)}, /readyz 200 in ${ms(r.ms)}`,
      );
    } finally {
      proxy.setMode({ kind: 'pass' });
    }
  });

  it('when Redis goes silent, then writes answer 503 within 2.5 s, /readyz turns 503 within 2 s, and the event loop stays responsive', async () => {
    const before = monitorEventLoopDelay({ resolution: 10 });
    before.enable();
    proxy.setMode({ kind: 'blackhole' });
    const silentAt = performance.now();
    // Several writes at once, as several tablets would send them.
    const [r, ...writes] = await Promise.all([ready(), ...Array.from({ length: 20 }, () => write())]);
    before.disable();
    expect(writes.map((w) => w.status)).toEqual(Array(20).fill(503));
    expect(writes.every((w) => w.body.error === 'store_unavailable')).toBe(true);
    const slowest = Math.max(...writes.map((w) => w.ms));
    expect(slowest).toBeLessThan(2500);
    expect(r.status).toBe(503);
    expect(r.ms).toBeLessThan(2000);
    const p99 = before.percentile(99) / 1e6;
    // Generous: the machine's two cores are shared; a blocked loop would show seconds.
    expect(p99).toBeLessThan(500);
    console.log(
      `[figure] redis-silent: writes detected as unavailable (503) after ${ms(slowest)} at most (command timeout ${COMMAND_TIMEOUT_MS} ms), /readyz 503 after ${ms(r.ms)} (probe timeout 1500 ms), all answered ${ms(performance.now() - silentAt)} after the fault; event-loop p99 ${ms(p99)} meanwhile`,
    );
  });

  it('when Redis answers again, then writes and /readyz recover by themselves', async () => {
    proxy.setMode({ kind: 'pass' });
    const back = performance.now();
    await waitFor(async () => expect((await write()).status).toBe(200), { timeout: 10_000, interval: 100 });
    await waitFor(async () => expect((await ready()).status).toBe(200), { timeout: 10_000, interval: 100 });
    console.log(
      `[figure] redis-silent recovery: writes and /readyz back ${ms(performance.now() - back)} after Redis answered again`,
    );
    const live = (await http.send({ path: '/api/sites/site-1' })).json as { live: { queue: number } };
    expect(live.live.queue).toBe(n % 500);
  });
});
