// Reference for the carrier batch: the Redis work of a batch and nothing else. The same script
// call per reading that shortline's Redis store makes (same keys, same storage format), sent as a
// raw ioredis pipeline of 1,000 commands a round trip, like `redis-benchmark -P 1000`.
import { Redis } from 'ioredis';
import { redisKeys } from '../../../server/store/redis-keys.js';
import { defineScripts } from '../../../server/store/redis-scripts.js';
import type { CarrierApplyItem } from '../../../server/store/types.js';
import { childOptions, serveParent } from '../lib/child.js';
import { REDIS_URL } from '../lib/redis-clean.js';
import { benchSites } from '../lib/sites.js';
import { commonHandlers } from './common.js';

export interface RefCarrierOptions {
  prefix: string;
  sites: number;
}

const PIPELINE = 1000;
const opts = childOptions<RefCarrierOptions>();
const ids = benchSites(opts.sites).map((s) => s.id);
const redis = new Redis(REDIS_URL);
const scripts = defineScripts(redis, redisKeys(opts.prefix));

/** Applies one reading per site; returns the milliseconds taken. */
async function apply(): Promise<number> {
  const t0 = performance.now();
  const now = Date.now();
  for (let i = 0; i < ids.length; i += PIPELINE) {
    const p = redis.pipeline();
    for (const siteId of ids.slice(i, i + PIPELINE)) {
      const people = (i * 31) % 400;
      const item: CarrierApplyItem = {
        siteId,
        carrier: { people, confidence: 0.9, observedAt: now },
        historyPoint: {
          atMs: now,
          queue: Math.round(people / 2),
          waitMinutes: Math.round(people / 8),
          source: 'carrier',
        },
      };
      scripts.queueCarrier(p, item, now);
    }
    const replies = await p.exec();
    if (!replies || replies.some(([err]) => err)) throw new Error('pipeline failed');
  }
  return performance.now() - t0;
}

serveParent({ ...commonHandlers(() => 1), apply }, { pid: process.pid }, async () => {
  await redis.quit();
});
