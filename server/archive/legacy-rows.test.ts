// Hours archived before lanes open were kept: rows of 8 fields, as earlier versions wrote them into
// LMDB and Redis, still read, with the new field as null.
import { Redis } from 'ioredis';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { open } from 'lmdb';
import { afterAll, describe, expect, it } from 'vitest';
import { deletePrefix, redisForTests, TEST_REDIS_URL, uniquePrefix } from '../../testing/server/redis.js';
import { emptyHourRow, HOUR } from './hour-rows.js';
import { createLmdbArchive } from './lmdb.js';
import { createRedisArchive } from './redis.js';
import { pack, unpack } from './types.js';

const T0 = Date.UTC(2026, 10, 2);
/** waitMean, waitMax, queueMean, queueMax, served, staffMinutes, carrierMinutes, noneMinutes. */
const OLD_ROW = [7.5, 12, 15.2, 24, null, 40, 20, 0];
const READ_AS = {
  ...emptyHourRow(T0),
  waitMean: 7.5,
  waitMax: 12,
  queueMean: 15.2,
  queueMax: 24,
  staffMinutes: 40,
  carrierMinutes: 20,
  noneMinutes: 0,
  served: null,
  lanesOpenMean: null,
};
const hasRedis = await redisForTests();

describe('archived rows of an earlier version', () => {
  it('when a packed row has no lanesOpenMean, then it unpacks as null; a new row round-trips', () => {
    expect(unpack(T0, OLD_ROW as Parameters<typeof unpack>[1])).toEqual(READ_AS);
    const row = { ...READ_AS, served: 31, lanesOpenMean: 2.5 };
    expect(unpack(T0, pack(row))).toEqual(row);
  });

  it('when LMDB holds an hour written by an earlier version, then it reads by hour and by site', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'shortline-archive-legacy-'));
    const root = open({ path: join(dir, 'a.lmdb') });
    try {
      const db = root.openDB({ name: 'archive' });
      await db.put([T0, 'a'], OLD_ROW);
      await db.put([T0, ''], T0 + 10 * HOUR);
      const archive = createLmdbArchive(root, () => T0 + HOUR);
      expect((await archive.hour(T0)).get('a')).toEqual(READ_AS);
      expect(await archive.siteHours('a', T0, T0 + HOUR)).toEqual([READ_AS]);
    } finally {
      await root.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  describe.skipIf(!hasRedis)('in Redis', () => {
    const prefix = uniquePrefix('archive-legacy');
    const client = new Redis(TEST_REDIS_URL);
    afterAll(async () => {
      await deletePrefix(TEST_REDIS_URL, prefix);
      client.disconnect();
    });

    it('when Redis holds an hour written by an earlier version, then it reads by hour and by site', async () => {
      await client.hset(`${prefix}archive:${T0}`, 'a', JSON.stringify(OLD_ROW), '~', '1');
      const archive = createRedisArchive(client, prefix, () => T0 + HOUR);
      expect((await archive.hour(T0)).get('a')).toEqual(READ_AS);
      expect(await archive.siteHours('a', T0, T0 + HOUR)).toEqual([READ_AS]);
    });
  });
});
