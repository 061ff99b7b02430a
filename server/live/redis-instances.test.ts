// Several app instances on one Redis, and Redis going away under load. Real Redis only.
import { afterAll, describe, expect, it } from 'vitest';
import { createRedisStore } from '../store/redis.js';
import type { Store } from '../store/types.js';
import { issueToken, report, startTestApp, TEST_ADMIN_TOKEN, type TestApp } from '../../testing/server/app.js';
import { startPrivateRedis } from '../../testing/server/private-redis.js';
import { deletePrefix, redisForTests, TEST_REDIS_URL, uniquePrefix } from '../../testing/server/redis.js';
import { pace } from '../../testing/server/load.js';
import { recorder } from '../../testing/server/socket.js';
import { waitFor } from '../../testing/wait.js';

const hasRedis = await redisForTests();
const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

describe.skipIf(!hasRedis)('two instances sharing one Redis', () => {
  it('when a report is accepted by one instance, then a client of the other gets the delta', async () => {
    const prefix = uniquePrefix('multi');
    const storeA = await createRedisStore({ url: TEST_REDIS_URL, prefix });
    const storeB = await createRedisStore({ url: TEST_REDIS_URL, prefix });
    const a = await startTestApp({ store: storeA, ownStore: true });
    const b = await startTestApp({ store: storeB, ownStore: true });
    cleanups.push(async () => {
      await a.close();
      await b.close();
      await deletePrefix(TEST_REDIS_URL, prefix);
    });
    const viewer = recorder(b.url);
    cleanups.push(async () => void viewer.socket.close());
    await waitFor(() => expect(viewer.got.snapshots).toHaveLength(1));

    const { token, tokenId } = await issueToken(a, 'site-2');
    const r = await report(a, token, 'site-2', { queue: 44 });
    expect(r.status).toBe(200);
    await waitFor(() => {
      const seen = viewer.got.deltas.flatMap((d) => d.sites).find((s) => s.siteId === 'site-2');
      expect(seen).toEqual(r.body.live);
    });
    expect((await (await fetch(`${b.url}/api/sites/site-2`)).json()).live.queue).toBe(44);

    // A token issued on A works on B, and revoking it on B cuts off a staff socket on A.
    const staffOnA = recorder(a.url, { token });
    cleanups.push(async () => void staffOnA.socket.close());
    await waitFor(() => expect(staffOnA.socket.connected).toBe(true));
    expect((await report(b, token, 'site-2', { queue: 45 })).status).toBe(200);
    const del = await fetch(`${b.url}/api/admin/staff-tokens/${tokenId}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
    });
    expect(del.status).toBe(204);
    await waitFor(() => expect(staffOnA.got.revoked).toBe(1));
    expect((await report(a, token, 'site-2', { queue: 46 })).status).toBe(401);
  });
});

describe.skipIf(!hasRedis)('Redis stopped and restarted under writes', () => {
  it('when Redis goes away under load, then writes fail fast with 503, readyz turns 503, and all recovers with no acknowledged report lost', async () => {
    const redis = await startPrivateRedis({ persist: true });
    // Declared before the cleanup that closes them is registered, assigned once they exist.
    /* eslint-disable prefer-const */
    let store: Store | undefined;
    let app: TestApp | undefined;
    /* eslint-enable prefer-const */
    cleanups.push(async () => {
      await app?.close();
      await store?.close();
      await redis.stop().catch(() => {});
    });
    store = await createRedisStore({ url: redis.url, prefix: 'outage:', commandTimeoutMs: 1000 });
    app = await startTestApp({ store });
    const { token } = await issueToken(app, 'site-1');
    const url = `${app.url}/api/sites/site-1/reports`;

    const acknowledged: Array<{ reportId: string; queue: number; observedAt: string }> = [];
    const failures: Array<{ status: number; ms: number }> = [];
    let n = 0;
    const send = async () => {
      const body = {
        reportId: `outage-${String(++n).padStart(5, '0')}`,
        queue: n,
        observedAt: new Date().toISOString(),
      };
      const t0 = performance.now();
      const res = await fetch(url, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      const answer = await res.json();
      if (res.status === 200 && answer.applied) acknowledged.push(body);
      // 200 with applied: false is a report overtaken by a parallel writer's newer one: not a failure.
      else if (res.status !== 200) failures.push({ status: res.status, ms: performance.now() - t0 });
    };
    // Four writers in parallel (at most 200 reports a second), so writes are in flight at the moment
    // Redis stops; a request that gets no answer at all is simply not acknowledged.
    const writers = pace(200, send, 4);
    await waitFor(() => expect(acknowledged.length).toBeGreaterThan(20), { timeout: 10_000 });
    await redis.stop();
    await waitFor(() => expect(failures.length).toBeGreaterThan(5), { timeout: 10_000 });
    await waitFor(async () => expect((await fetch(`${app!.url}/readyz`)).status).toBe(503), {
      timeout: 10_000,
    });
    const ackBeforeRestart = acknowledged.length;
    await redis.start();
    await waitFor(async () => expect((await fetch(`${app!.url}/readyz`)).status).toBe(200), {
      timeout: 15_000,
      interval: 200,
    });
    await waitFor(() => expect(acknowledged.length).toBeGreaterThan(ackBeforeRestart + 20), { timeout: 15_000 });
    await writers.stop();

    expect(failures.every((f) => f.status === 503)).toBe(true);
    expect(Math.max(...failures.map((f) => f.ms))).toBeLessThan(2500);

    // Every acknowledged report is still stored: replaying it gives the first answer (applied),
    // whereas a lost one would now be older than the rest and answer "outdated".
    const latest = acknowledged.reduce((a, b) => (a.observedAt >= b.observedAt ? a : b));
    for (const body of acknowledged) {
      const res = await fetch(url, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      expect((await res.json()).applied, body.reportId).toBe(true);
    }
    const fresh = await createRedisStore({ url: redis.url, prefix: 'outage:' });
    try {
      expect((await fresh.loadSites(['site-1'])).get('site-1')?.staff?.observedAt).toBe(Date.parse(latest.observedAt));
    } finally {
      await fresh.close();
    }
  }, 60_000);
});
