// The stores under test for the contract suites: the embedded store and a real Redis, each with
// a peer instance on the same data and a way to let TTLs pass without waiting.
import { Redis } from 'ioredis';
import { silentLogger } from '../logger.js';
import { createMemoryStore } from '../store/memory.js';
import { createRedisStore } from '../store/redis.js';
import type { Store } from '../store/types.js';
import { deletePrefix, redisForTests, TEST_REDIS_URL, uniquePrefix } from './redis.js';

export const hasRedis = await redisForTests();
export const T0 = Date.UTC(2025, 4, 1, 2, 0, 0);

/** One store under test, plus what the tests need around it. */
export interface Harness {
  store: Store;
  /** Another instance on the same data; for memory the same object, shared as app instances share it. */
  peer(): Promise<Store>;
  /** Lets time pass for the store's TTLs, so expiry is tested without waiting a week. */
  elapse(ms: number): Promise<void>;
  cleanup(): Promise<void>;
}

export const implementations = [
  {
    kind: 'embedded', enabled: true,
    open: async (): Promise<Harness> => {
      let clock = T0;
      const store = createMemoryStore({ now: () => clock, logger: silentLogger() });
      return {
        store, peer: async () => store, cleanup: () => store.close(),
        elapse: async (ms) => void (clock += ms),
      };
    },
  },
  {
    kind: 'redis', enabled: hasRedis,
    open: async (): Promise<Harness> => {
      const prefix = uniquePrefix('contract');
      const open = () => createRedisStore({ url: TEST_REDIS_URL, prefix, logger: silentLogger() });
      const stores = [await open()];
      const admin = new Redis(TEST_REDIS_URL);
      return {
        store: stores[0]!,
        peer: async () => {
          const peer = await open();
          stores.push(peer);
          return peer;
        },
        // Redis keeps its own clock: time passing is every TTL under the prefix getting shorter.
        // A key that was given no TTL keeps none, so a forgotten PX fails the expiry tests.
        elapse: async (ms) => {
          let cursor = '0';
          do {
            const [next, keys] = await admin.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
            cursor = next;
            for (const key of keys) {
              const ttl = await admin.pttl(key);
              if (ttl >= 0 && ttl <= ms) await admin.del(key);
              else if (ttl > ms) await admin.pexpire(key, ttl - ms);
            }
          } while (cursor !== '0');
        },
        cleanup: async () => {
          await Promise.all(stores.map((s) => s.close()));
          admin.disconnect();
          await deletePrefix(TEST_REDIS_URL, prefix);
        },
      };
    },
  },
] as const;
