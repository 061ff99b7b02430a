// History points written before points carried lanes open and served counters, in the very bytes
// earlier versions stored, read next to new points in both stores.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { deletePrefix, redisForTests, TEST_REDIS_URL, uniquePrefix } from '../../testing/server/redis.js';
import { silentLogger } from '../logger.js';
import { openEmbeddedDb } from './embedded-db.js';
import { encodePoint } from './redis-scripts.js';
import { redisKeys } from './redis-keys.js';
import { createRedisStore } from './redis.js';
import type { HistoryPoint, Store } from './types.js';

const T0 = Date.UTC(2025, 4, 1, 2, 0, 0);
const MIN = 60_000;
const OLD: HistoryPoint = { atMs: T0, queue: 9, waitMinutes: 4, source: 'staff' };
const NEW: HistoryPoint = { atMs: T0 + MIN, queue: 11, waitMinutes: 5, source: 'staff', lanesOpen: 2, served: 40 };
const hasRedis = await redisForTests();

/** Writes NEW through the store's own write path (a carrier batch carrying the point). */
const writeNew = (store: Store) =>
  store.applyCarrierBatch({
    batchId: 'legacy-points-new',
    origin: 'test',
    nowMs: NEW.atMs,
    items: [{ siteId: 's1', carrier: { people: 20, confidence: 1, observedAt: NEW.atMs }, historyPoint: NEW }],
  });

describe('history points of an earlier version', () => {
  it('when a point has no optional field, then Redis stores the same text as before them', () => {
    expect(encodePoint(OLD)).toBe('{"atMs":1746064800000,"queue":9,"waitMinutes":4,"source":"staff"}');
  });

  it('when the embedded database holds a 4-field point, then it reads without lanes or counter', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'shortline-legacy-points-'));
    const db = await openEmbeddedDb({ path: join(dir, 'store.lmdb'), now: () => T0 + MIN, logger: silentLogger() });
    try {
      // The key layout of embedded-db.ts: ['h', siteId, minute] -> point, ['hx', siteId] -> expiry.
      await db.root.put(['h', 's1', T0], [OLD.atMs, OLD.queue, OLD.waitMinutes, OLD.source]);
      await db.root.put(['hx', 's1'], T0 + 3600_000);
      await writeNew(db.store);
      expect(await db.store.history('s1', 0, Infinity)).toStrictEqual([OLD, NEW]);
    } finally {
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  describe.skipIf(!hasRedis)('in Redis', () => {
    const prefix = uniquePrefix('legacy-points');
    const admin = new Redis(TEST_REDIS_URL);
    afterAll(async () => {
      await deletePrefix(TEST_REDIS_URL, prefix);
      admin.disconnect();
    });

    it('when Redis holds a point as earlier versions wrote it, then it reads without lanes or counter', async () => {
      const store = await createRedisStore({ url: TEST_REDIS_URL, prefix, logger: silentLogger() });
      try {
        const old = `{"atMs":${OLD.atMs},"queue":9,"waitMinutes":4,"source":"staff"}`;
        await admin.zadd(redisKeys(prefix).history('s1'), OLD.atMs, old);
        await writeNew(store);
        expect(await store.history('s1', 0, Infinity)).toStrictEqual([OLD, NEW]);
      } finally {
        await store.close();
      }
    });
  });
});
