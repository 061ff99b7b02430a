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
import type { HistoryPoint, Store } from '../../server/store/types.js';
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

const MIN = 60_000;
const HOUR = 60 * MIN;

/**
 * Irregular history for `siteIds` from `fromMs` for `hours`: readings every 7 to 19 minutes (gaps
 * longer than the freshness windows), staff and carrier mixed, a 'none' point now and then, some
 * readings without a wait. Figures carry lanes open; staff points a served counter that restarts
 * each UTC day. Deterministic.
 */
export function irregularHistory(
  siteIds: readonly string[],
  fromMs: number,
  hours: number,
): Map<string, HistoryPoint[]> {
  const out = new Map<string, HistoryPoint[]>();
  siteIds.forEach((id, k) => {
    const pts: HistoryPoint[] = [];
    let served = 0;
    let servedDay = -1;
    let seed = 7 + k * 13;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (
      let t = fromMs + Math.floor(rnd() * 10) * MIN;
      t < fromMs + hours * HOUR;
      t += (7 + Math.floor(rnd() * 13)) * MIN
    ) {
      const r = rnd();
      const source = r < 0.45 ? 'staff' : r < 0.9 ? 'carrier' : 'none';
      const queue = source === 'none' ? null : Math.floor(rnd() * 80);
      const p: HistoryPoint = {
        atMs: t,
        queue,
        waitMinutes: queue === null || rnd() < 0.1 ? null : Math.round(queue / 2),
        source,
      };
      if (queue !== null) p.lanesOpen = 1 + (queue % 3);
      if (source === 'staff') {
        // A new day starts the counter again from a small number (the reset the roll-up must see).
        const day = Math.floor(t / (24 * HOUR));
        served = day === servedDay ? served + 1 + (queue! % 5) : queue! % 4;
        servedDay = day;
        p.served = served;
      }
      pts.push(p);
    }
    out.set(id, pts);
  });
  return out;
}

/**
 * Writes the points through the store's own API in time order, one carrier batch per point;
 * `before(atMs)` runs first for each, so a test can move its clock and roll up hours meanwhile.
 */
export async function writeHistory(
  store: Store,
  history: Map<string, HistoryPoint[]>,
  before?: (atMs: number) => Promise<void>,
): Promise<void> {
  const all = [...history].flatMap(([siteId, pts]) => pts.map((p) => ({ siteId, p })));
  all.sort((x, y) => x.p.atMs - y.p.atMs);
  for (const { siteId, p } of all) {
    await before?.(p.atMs);
    await store.applyCarrierBatch({
      batchId: `b-${siteId}-${p.atMs}`,
      origin: 'test',
      nowMs: p.atMs,
      items: [{ siteId, carrier: { people: p.queue ?? 0, confidence: 1, observedAt: p.atMs }, historyPoint: p }],
    });
  }
}
