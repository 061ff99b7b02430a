// The stores under test for the contract suites: the embedded store, a real Redis and a local
// 3-master Redis Cluster, each with a peer instance on the same data and a way to let TTLs pass
// without waiting.
import { Cluster, Redis } from 'ioredis';
import { afterAll } from 'vitest';
import { silentLogger } from '../../server/logger.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openEmbeddedDb } from '../../server/store/embedded-db.js';
import { createRedisStore } from '../../server/store/redis.js';
import type { Store } from '../../server/store/types.js';
import { startPrivateCluster, type PrivateCluster } from './private-cluster.js';
import { deletePrefix, redisForTests, TEST_REDIS_URL, uniquePrefix } from './redis.js';
import { hasRedisBinaries } from './redis-procs.js';

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

// One cluster per test file, made on first use. CI sets REQUIRE_REDIS=1: then the cluster suites
// run even where the binaries seem absent, so failing to make the cluster fails them.
const clusterEnabled = hasRedisBinaries() || process.env.REQUIRE_REDIS === '1';
let cluster: Promise<PrivateCluster> | undefined;
afterAll(async () => {
  await (await cluster?.catch(() => undefined))?.stop();
});

export const implementations = [
  {
    kind: 'embedded',
    enabled: true,
    open: async (): Promise<Harness> => {
      // The embedded store as the server runs it: persisting to LMDB in a temporary directory.
      let clock = T0;
      const dir = mkdtempSync(join(tmpdir(), 'shortline-embedded-'));
      const db = await openEmbeddedDb({ path: join(dir, 'store.lmdb'), now: () => clock, logger: silentLogger() });
      const store = db.store;
      return {
        store,
        peer: async () => store,
        cleanup: async () => {
          await db.close();
          rmSync(dir, { recursive: true, force: true });
        },
        elapse: async (ms) => void (clock += ms),
      };
    },
  },
  {
    kind: 'redis',
    enabled: hasRedis,
    open: () =>
      openRedis(TEST_REDIS_URL, async () => {
        const admin = new Redis(TEST_REDIS_URL);
        return { nodes: [admin], close: () => admin.disconnect() };
      }),
  },
  {
    kind: 'cluster',
    enabled: clusterEnabled,
    open: async () => {
      const c = await (cluster ??= startPrivateCluster());
      return openRedis(c.url, async () => {
        // Keys live on every master: scanning means scanning each of them.
        const seeds = c.nodes.map((n) => ({ host: '127.0.0.1', port: n.port }));
        const admin = new Cluster(seeds);
        await new Promise<void>((resolve, reject) => admin.once('ready', resolve).once('error', reject));
        return { nodes: admin.nodes('master'), close: () => admin.disconnect() };
      });
    },
  },
] as const;

interface Admin {
  /** Connections that together hold every key. */
  nodes: Redis[];
  close(): void;
}

async function openRedis(url: string, openAdmin: () => Promise<Admin>): Promise<Harness> {
  const prefix = uniquePrefix('contract');
  const open = () => createRedisStore({ url, prefix, logger: silentLogger() });
  const stores = [await open()];
  const admin = await openAdmin();
  const eachKey = async (fn: (node: Redis, key: string) => Promise<unknown>) => {
    for (const node of admin.nodes) {
      let cursor = '0';
      do {
        const [next, keys] = await node.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
        cursor = next;
        for (const key of keys) await fn(node, key);
      } while (cursor !== '0');
    }
  };
  return {
    store: stores[0]!,
    peer: async () => {
      const peer = await open();
      stores.push(peer);
      return peer;
    },
    // Redis keeps its own clock: time passing is every TTL under the prefix getting shorter.
    // A key that was given no TTL keeps none, so a forgotten PX fails the expiry tests.
    elapse: (ms) =>
      eachKey(async (node, key) => {
        const ttl = await node.pttl(key);
        if (ttl >= 0 && ttl <= ms) await node.del(key);
        else if (ttl > ms) await node.pexpire(key, ttl - ms);
      }),
    cleanup: async () => {
      await Promise.all(stores.map((s) => s.close()));
      if (url === TEST_REDIS_URL) await deletePrefix(url, prefix);
      else await eachKey((node, key) => node.del(key));
      admin.close();
    },
  };
}
