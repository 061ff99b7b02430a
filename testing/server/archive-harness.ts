// The hourly archives under test (server/archive/), each with the store it rolls up from as the
// server pairs them: memory with the in-memory store, LMDB with the embedded store in the same
// temporary environment, Redis with the Redis store on one test prefix. The clock is manual; Redis
// expiry is made to pass by shortening the prefix's TTLs, so retention is tested without waiting.
import { Redis } from 'ioredis';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLmdbArchive } from '../../server/archive/lmdb.js';
import { createMemoryArchive } from '../../server/archive/memory.js';
import { createRedisArchive } from '../../server/archive/redis.js';
import type { HourArchive } from '../../server/archive/types.js';
import { ManualClock } from '../../server/clock.js';
import { silentLogger } from '../../server/logger.js';
import { openEmbeddedDb } from '../../server/store/embedded-db.js';
import { createMemoryStore } from '../../server/store/memory.js';
import { createRedisStore } from '../../server/store/redis.js';
import type { Store } from '../../server/store/types.js';
import { deletePrefix, redisForTests, TEST_REDIS_URL, uniquePrefix } from './redis.js';

export interface ArchiveHarness {
  archive: HourArchive;
  store: Store;
  clock: ManualClock;
  /** Another instance's archive on the same data (for memory and LMDB the same object). */
  peer(): HourArchive;
  /** Moves the clock on, and Redis's TTLs with it. */
  elapse(ms: number): Promise<void>;
  cleanup(): Promise<void>;
}

const hasRedis = await redisForTests();

export const archiveImplementations = [
  {
    kind: 'memory',
    enabled: true,
    open: async (t0: number): Promise<ArchiveHarness> => {
      const clock = new ManualClock(t0);
      const store = createMemoryStore({ now: () => clock.now() });
      const archive = createMemoryArchive(() => clock.now());
      return {
        archive,
        store,
        clock,
        peer: () => archive,
        elapse: async (ms) => clock.advance(ms),
        cleanup: () => store.close(),
      };
    },
  },
  {
    kind: 'lmdb',
    enabled: true,
    open: async (t0: number): Promise<ArchiveHarness> => {
      const clock = new ManualClock(t0);
      const dir = mkdtempSync(join(tmpdir(), 'shortline-archive-'));
      const db = await openEmbeddedDb({
        path: join(dir, 'store.lmdb'),
        now: () => clock.now(),
        logger: silentLogger(),
      });
      const archive = createLmdbArchive(db.root, () => clock.now());
      return {
        archive,
        store: db.store,
        clock,
        peer: () => archive,
        elapse: async (ms) => clock.advance(ms),
        cleanup: async () => {
          await db.close();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    },
  },
  {
    kind: 'redis',
    enabled: hasRedis,
    open: async (t0: number): Promise<ArchiveHarness> => {
      const clock = new ManualClock(t0);
      const prefix = uniquePrefix('archive');
      const store = await createRedisStore({ url: TEST_REDIS_URL, prefix, logger: silentLogger() });
      const clients = [new Redis(TEST_REDIS_URL)];
      const open = () => {
        const c = new Redis(TEST_REDIS_URL);
        clients.push(c);
        return createRedisArchive(c, prefix, () => clock.now());
      };
      const admin = clients[0]!;
      return {
        archive: open(),
        store,
        clock,
        peer: open,
        elapse: async (ms) => {
          clock.advance(ms);
          let cursor = '0';
          do {
            const [next, keys] = await admin.scan(cursor, 'MATCH', `${prefix}archive:*`, 'COUNT', 1000);
            cursor = next;
            for (const key of keys) {
              const ttl = await admin.pttl(key);
              if (ttl >= 0 && ttl <= ms) await admin.del(key);
              else if (ttl > ms) await admin.pexpire(key, ttl - ms);
            }
          } while (cursor !== '0');
        },
        cleanup: async () => {
          await store.close();
          await deletePrefix(TEST_REDIS_URL, prefix);
          for (const c of clients) c.disconnect();
        },
      };
    },
  },
] as const;
