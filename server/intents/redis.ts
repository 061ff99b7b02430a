// Intents in Redis, shared by every instance: one sorted set (key `<prefix>intents`), a member per
// intent (`<siteId> <random id>`, nothing about the person), scored by its expiry. Reading prunes
// what has expired and counts the rest per site; the key expires on its own once every intent has.
import { randomBytes } from 'node:crypto';
import type { Cluster, Redis } from 'ioredis';
import { INTENT_GRACE_MIN, MAX_ETA_MIN, unseen, type IntentCounter } from './types.js';

/** The key outlives the longest intent by a little, so an idle city leaves nothing behind. */
export const INTENT_KEY_TTL_MS = (MAX_ETA_MIN + INTENT_GRACE_MIN + 5) * 60_000;

export const intentsKey = (prefix: string) => `${prefix}intents`;

/** `client` belongs to the caller, who connects and closes it. */
export function createRedisIntents(client: Redis | Cluster, prefix: string): IntentCounter {
  const key = intentsKey(prefix);
  return {
    kind: 'redis',
    add: async (siteId, expiresAtMs) => {
      await client
        .multi()
        .zadd(key, expiresAtMs, `${siteId} ${randomBytes(8).toString('hex')}`)
        .pexpire(key, INTENT_KEY_TTL_MS)
        .exec();
    },
    counts: async (nowMs, seenAt) => {
      const res = await client
        .multi()
        .zremrangebyscore(key, '-inf', nowMs)
        .zrangebyscore(key, `(${nowMs}`, '+inf', 'WITHSCORES')
        .exec();
      const flat = (res?.[1]?.[1] as string[] | undefined) ?? [];
      const out = new Map<string, number>();
      for (let k = 0; k + 1 < flat.length; k += 2) {
        const m = flat[k]!;
        const site = m.slice(0, m.indexOf(' '));
        if (unseen(site, Number(flat[k + 1]), seenAt)) out.set(site, (out.get(site) ?? 0) + 1);
      }
      return out;
    },
    close: () => Promise.resolve(),
  };
}
