// How a 50,000-reading carrier batch is best sent to a Redis Cluster, measured against the
// single-node pipeline the store uses on one Redis. Loopback only; makes its own 3-master cluster
// and uses the Redis at TEST_REDIS_URL (default 127.0.0.1:6379) under a throwaway prefix.
//
//   npx tsx scripts/scale/carrier-strategies.ts [rounds=5]
//
// Why it exists: ioredis refuses an explicit pipeline whose keys span cluster nodes, leaving
// auto-pipelining or bounded concurrency; this picked the latter (see README.scale.md).
import { Cluster, Redis } from 'ioredis';
import { defineScripts } from '../../server/store/redis-scripts.js';
import { redisKeys } from '../../server/store/redis-keys.js';
import type { CarrierApplyItem } from '../../server/store/types.js';
import { startPrivateCluster } from '../../testing/server/private-cluster.js';
import { deletePrefix, TEST_REDIS_URL } from '../../testing/server/redis.js';

const N = 50_000;
const CHUNK = 500;
const rounds = Number(process.argv[2] ?? 5);

const items = (t: number): CarrierApplyItem[] =>
  Array.from({ length: N }, (_, i) => ({
    siteId: `s${i}`,
    carrier: { people: i % 100, confidence: 0.5, observedAt: t },
    historyPoint: { atMs: t, queue: 1, waitMinutes: 1, source: 'carrier' },
  }));
const ready = (x: Redis | Cluster) => new Promise((resolve) => x.once('ready', resolve));

const cluster = await startPrivateCluster();
const seeds = cluster.nodes.map((n) => ({ host: '127.0.0.1', port: n.port }));
const single = new Redis(TEST_REDIS_URL);
const auto = new Cluster(seeds, { scaleReads: 'master', enableAutoPipelining: true });
const plain = new Cluster(seeds, { scaleReads: 'master' });
await Promise.all([ready(single), ready(auto), ready(plain)]);

const modes = {
  'one Redis, pipelines of 500': async (list: CarrierApplyItem[], t: number) => {
    const s = defineScripts(single, redisKeys('carrier-strategies:'));
    for (let i = 0; i < N; i += CHUNK) {
      const p = single.pipeline();
      for (const it of list.slice(i, i + CHUNK)) s.queueCarrier(p, it, t);
      await p.exec();
    }
  },
  'cluster, auto-pipelining': (list: CarrierApplyItem[], t: number) => concurrent(auto, list, t),
  'cluster, 500 in flight': (list: CarrierApplyItem[], t: number) => concurrent(plain, list, t),
};

async function concurrent(c: Cluster, list: CarrierApplyItem[], t: number): Promise<void> {
  const s = defineScripts(c, redisKeys('carrier-strategies:'));
  for (let i = 0; i < N; i += CHUNK) {
    await Promise.all(list.slice(i, i + CHUNK).map((it) => s.queueCarrier(c as never, it, t)));
  }
}

const results = new Map<string, number[]>();
try {
  // Interleaved rounds, so a noisy neighbour slows every mode alike.
  for (let r = 0; r < rounds; r++) {
    for (const [name, run] of Object.entries(modes)) {
      const t = Date.now();
      const list = items(t);
      const t0 = performance.now();
      await run(list, t);
      results.set(name, [...(results.get(name) ?? []), Math.round(performance.now() - t0)]);
    }
  }
  for (const [name, ms] of results) {
    const median = [...ms].sort((a, b) => a - b)[Math.floor(ms.length / 2)];
    console.log(`${name.padEnd(30)} median ${median} ms   (${ms.join(', ')})`);
  }
} finally {
  single.disconnect();
  auto.disconnect();
  plain.disconnect();
  await cluster.stop();
  await deletePrefix(TEST_REDIS_URL, 'carrier-strategies:');
}
