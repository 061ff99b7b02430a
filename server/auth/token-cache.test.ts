// The staff token cache of the report path, on real Redis: revocation stops a cached token at
// once on the revoking instance and on another one sharing the Redis, and nothing outlives the TTL.
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../clock.js';
import { createRedisStore } from '../store/redis.js';
import type { Store } from '../store/types.js';
import { redisKeys } from '../store/redis-keys.js';
import { issueToken, report, startTestApp, TEST_ADMIN_TOKEN, type TestApp } from '../../testing/server/app.js';
import { deletePrefix, redisForTests, TEST_REDIS_URL, uniquePrefix } from '../../testing/server/redis.js';
import { StaffTokenCache } from './token-cache.js';
import { hashToken } from './tokens.js';

const hasRedis = await redisForTests();
const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

async function twoInstances(): Promise<{ a: TestApp; b: TestApp; prefix: string; storeA: Store }> {
  const prefix = uniquePrefix('tokcache');
  const storeA = await createRedisStore({ url: TEST_REDIS_URL, prefix });
  const a = await startTestApp({ store: storeA, ownStore: true });
  const b = await startTestApp({ store: await createRedisStore({ url: TEST_REDIS_URL, prefix }), ownStore: true });
  cleanups.push(async () => {
    await a.close();
    await b.close();
    await deletePrefix(TEST_REDIS_URL, prefix);
  });
  return { a, b, prefix, storeA };
}

/**
 * Resolves once `store` has delivered the revocation of `tokenId` to its listeners. The app's own
 * listener was subscribed first, so it has acted on the message by then: a revocation reaches
 * another instance with its pub/sub message (milliseconds), not before (README, Security).
 */
function revokedSeen(store: Store, tokenId: string): Promise<void> {
  return new Promise((resolve) => {
    const off = store.subscribe((m) => {
      if (m.kind === 'revoked' && m.tokenId === tokenId) {
        off();
        resolve();
      }
    });
  });
}

const revoke = (t: TestApp, tokenId: string) =>
  fetch(`${t.url}/api/admin/staff-tokens/${tokenId}`, {
    method: 'DELETE',
    headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
  });

describe.skipIf(!hasRedis)('staff token cache', () => {
  it('when a token used on A is revoked on B, then A refuses it with the very next report once the revocation reaches it', async () => {
    const { a, b, storeA } = await twoInstances();
    for (let round = 0; round < 3; round++) {
      const { token, tokenId } = await issueToken(a, 'site-1');
      // Used on both, so both have it cached.
      expect((await report(a, token, 'site-1', { queue: 1 })).status).toBe(200);
      expect((await report(b, token, 'site-1', { queue: 2 })).status).toBe(200);
      const seen = revokedSeen(storeA, tokenId);
      expect((await revoke(b, tokenId)).status).toBe(204);
      await seen;
      expect((await report(a, token, 'site-1', { queue: 3 })).status).toBe(401);
      expect((await report(b, token, 'site-1', { queue: 3 })).status).toBe(401);
    }
  });

  it('when a token is revoked on the instance that has it cached, then that instance refuses it at once', async () => {
    const { a } = await twoInstances();
    const { token, tokenId } = await issueToken(a, 'site-2');
    expect((await report(a, token, 'site-2', { queue: 1 })).status).toBe(200);
    expect((await revoke(a, tokenId)).status).toBe(204);
    const r = await report(a, token, 'site-2', { queue: 2 });
    expect(r.status).toBe(401);
    expect(r.body.error).toBe('unauthorized');
  });

  it('when a token vanishes from Redis with no message, then a cached copy is used for at most the TTL', async () => {
    const prefix = uniquePrefix('tokttl');
    const store = await createRedisStore({ url: TEST_REDIS_URL, prefix });
    const raw = new Redis(TEST_REDIS_URL);
    cleanups.push(async () => {
      await store.close();
      raw.disconnect();
      await deletePrefix(TEST_REDIS_URL, prefix);
    });
    const rec = {
      tokenId: 'tk_ttl',
      hash: hashToken(`st_${'T'.repeat(43)}`),
      siteId: 'site-1',
      label: null,
      createdAtMs: 1,
    };
    await store.createStaffTokens([rec]);
    const clock = new ManualClock();
    const cache = new StaffTokenCache(store, clock, 300);
    expect(cache.cached(rec.hash)).toBeUndefined();
    expect(await cache.load(rec.hash)).toEqual(rec);
    await raw.hdel(redisKeys(prefix).tokensByHash(), rec.hash);
    expect(cache.cached(rec.hash)).toEqual(rec);
    clock.advance(299);
    expect(cache.cached(rec.hash)).toEqual(rec);
    clock.advance(1);
    expect(cache.cached(rec.hash)).toBeUndefined();
    expect(await cache.load(rec.hash)).toBeNull();
  });

  it('when a revocation or a resync happens while a lookup is in flight or after, then nothing stale is kept', async () => {
    const prefix = uniquePrefix('tokrace');
    const store = await createRedisStore({ url: TEST_REDIS_URL, prefix });
    cleanups.push(async () => {
      await store.close();
      await deletePrefix(TEST_REDIS_URL, prefix);
    });
    const rec = {
      tokenId: 'tk_race',
      hash: hashToken(`st_${'R'.repeat(43)}`),
      siteId: 'site-1',
      label: null,
      createdAtMs: 1,
    };
    await store.createStaffTokens([rec]);
    const cache = new StaffTokenCache(store, new ManualClock());
    const inFlight = cache.load(rec.hash);
    cache.revoked(rec.tokenId);
    expect(await inFlight).toEqual(rec);
    expect(cache.cached(rec.hash)).toBeUndefined();

    await cache.load(rec.hash);
    expect(cache.cached(rec.hash)).toEqual(rec);
    cache.clear();
    expect(cache.cached(rec.hash)).toBeUndefined();

    await cache.load(rec.hash);
    const unsubscribe = store.subscribe((m) => m.kind === 'revoked' && cache.revoked(m.tokenId));
    try {
      await store.revokeStaffToken(rec.tokenId, 'elsewhere');
      await expect.poll(() => cache.cached(rec.hash)).toBeUndefined();
      expect(cache.size).toBe(0);
    } finally {
      unsubscribe();
    }
  });
});
