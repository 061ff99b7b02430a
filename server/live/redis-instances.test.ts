// Several app instances on one Redis, and Redis going away under load. Real Redis only.
import { afterAll, describe, expect, it, vi } from 'vitest';
import { createRedisStore } from '../store/redis.js';
import type { Store } from '../store/types.js';
import { issueToken, report, startTestApp, TEST_ADMIN_TOKEN, type TestApp } from '../testing/app.js';
import { startPrivateRedis } from '../testing/private-redis.js';
import { deletePrefix, redisForTests, TEST_REDIS_URL, uniquePrefix } from '../testing/redis.js';
import { recorder } from './realtime.test.js';

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
    await vi.waitFor(() => expect(viewer.got.snapshots).toHaveLength(1));

    const { token, tokenId } = await issueToken(a, 'site-2');
    const r = await report(a, token, 'site-2', { queue: 44 });
    expect(r.status).toBe(200);
    await vi.waitFor(() => {
      const seen = viewer.got.deltas.flatMap((d) => d.sites).find((s) => s.siteId === 'site-2');
      expect(seen).toEqual(r.body.live);
    });
    expect((await (await fetch(`${b.url}/api/sites/site-2`)).json()).live.queue).toBe(44);

    // A token issued on A works on B, and revoking it on B cuts off a staff socket on A.
    const staffOnA = recorder(a.url, { token });
    cleanups.push(async () => void staffOnA.socket.close());
    await vi.waitFor(() => expect(staffOnA.socket.connected).toBe(true));
    expect((await report(b, token, 'site-2', { queue: 45 })).status).toBe(200);
    const del = await fetch(`${b.url}/api/admin/staff-tokens/${tokenId}`, { method: 'DELETE', headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` } });
    expect(del.status).toBe(204);
    await vi.waitFor(() => expect(staffOnA.got.revoked).toBe(1));
    expect((await report(a, token, 'site-2', { queue: 46 })).status).toBe(401);
  });
});

describe.skipIf(!hasRedis)('Redis stopped and restarted under writes', () => {
  it('when Redis goes away, then writes fail fast with 503, readyz turns 503, and all recovers with no acknowledged report lost', async () => {
    const redis = await startPrivateRedis();
    let store: Store | undefined;
    let app: TestApp | undefined;
    cleanups.push(async () => {
      await app?.close();
      await store?.close();
      await redis.stop().catch(() => {});
    });
    store = await createRedisStore({ url: redis.url, prefix: 'outage:', commandTimeoutMs: 1000 });
    app = await startTestApp({ store });
    const { token } = await issueToken(app, 'site-1');

    const acknowledged: number[] = [];
    let n = 0;
    const send = async () => {
      const q = ++n;
      const r = await report(app!, token, 'site-1', { queue: q });
      if (r.status === 200 && r.body.applied) acknowledged.push(q);
      return r;
    };
    for (let i = 0; i < 5; i++) expect((await send()).status).toBe(200);

    await redis.stop();
    const t0 = performance.now();
    const failed = await send();
    const firstFailureMs = performance.now() - t0;
    expect(failed.status).toBe(503);
    expect(failed.body.error).toBe('store_unavailable');
    expect(firstFailureMs).toBeLessThan(2500);
    await vi.waitFor(async () => expect((await fetch(`${app!.url}/readyz`)).status).toBe(503));
    for (let i = 0; i < 3; i++) expect((await send()).status).toBe(503);

    await redis.start();
    await vi.waitFor(async () => expect((await fetch(`${app!.url}/readyz`)).status).toBe(200), { timeout: 15_000, interval: 200 });
    await vi.waitFor(async () => expect((await send()).status).toBe(200), { timeout: 10_000, interval: 200 });

    // Redis here keeps nothing on disk: what it held before the stop is gone, so the proof that no
    // acknowledged report was lost is that every one stored after the restart is still there,
    // and that the ones before were all acknowledged only while Redis was up.
    const last = acknowledged.at(-1)!;
    expect((await (await fetch(`${app.url}/api/sites/site-1`)).json()).live.queue).toBe(last);
    const fresh = await createRedisStore({ url: redis.url, prefix: 'outage:' });
    try {
      const raw = (await fresh.loadSites(['site-1'])).get('site-1');
      expect(raw?.staff?.queue).toBe(last);
    } finally {
      await fresh.close();
    }
  }, 60_000);
});
