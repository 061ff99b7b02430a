// Watches in Redis, shared by every instance. Every key carries the `{watches}` hash tag, so the
// script and the transactions below touch one slot and also run on a Cluster:
//   <prefix>{watches}:w:<id>        the record (JSON), expiring with the watch
//   <prefix>{watches}:site:<siteId> sorted set of the site's watch ids, scored by expiry
//   <prefix>{watches}:sub:<subKey>  sorted set of the subscription's watch ids, scored by expiry
//   <prefix>{watches}:sites         sorted set of watched site ids, scored by their latest expiry
// Expiry is decided on the app's clock (scores), never on Redis TTLs, which only collect garbage.
// Claiming is DEL of the record: of several instances seeing the same change, one deletes it (1)
// and pushes; the others get 0 and push nothing.
import type { Cluster, Redis } from 'ioredis';
import { WATCH_TTL_MS } from '../../shared/watch.js';
import { StoreUnavailableError } from '../store/types.js';
import type { WatchRecord, WatchStore } from './types.js';

/** Indexes outlive the longest watch by a little, so an idle city leaves nothing behind. */
const INDEX_TTL_MS = WATCH_TTL_MS + 3600_000;

export const watchKeys = (prefix: string) => ({
  record: (id: string) => `${prefix}{watches}:w:${id}`,
  site: (siteId: string) => `${prefix}{watches}:site:${siteId}`,
  sub: (subKey: string) => `${prefix}{watches}:sub:${subKey}`,
  sites: () => `${prefix}{watches}:sites`,
});

// KEYS: record, site set, subscription set, sites set.
// ARGV: id, record JSON, expiresAt, now, max per subscription, record TTL ms, index TTL ms, siteId.
const ADD = `
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', ARGV[4])
if redis.call('ZCARD', KEYS[3]) >= tonumber(ARGV[5]) then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[6])
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
redis.call('ZADD', KEYS[3], ARGV[3], ARGV[1])
local cur = redis.call('ZSCORE', KEYS[4], ARGV[8])
if not cur or tonumber(cur) < tonumber(ARGV[3]) then redis.call('ZADD', KEYS[4], ARGV[3], ARGV[8]) end
for i = 2, 4 do redis.call('PEXPIRE', KEYS[i], ARGV[7]) end
return 1`;

/** Redis failures become the contract's 503 store_unavailable on the routes. */
async function guarded<T>(op: Promise<T>): Promise<T> {
  try {
    return await op;
  } catch (err) {
    throw new StoreUnavailableError('watch store unavailable', { cause: err });
  }
}

/** `client` belongs to the caller, who connects and closes it. */
export function createRedisWatches(client: Redis | Cluster, prefix: string): WatchStore {
  const k = watchKeys(prefix);
  const read = async (ids: string[], nowMs: number): Promise<WatchRecord[]> => {
    if (ids.length === 0) return [];
    const raw = await client.mget(...ids.map(k.record));
    return raw
      .filter((v): v is string => v !== null)
      .map((v) => JSON.parse(v) as WatchRecord)
      .filter((w) => w.expiresAtMs > nowMs);
  };
  const claim = async (w: WatchRecord): Promise<boolean> => {
    const res = await client
      .multi()
      .del(k.record(w.id))
      .zrem(k.site(w.siteId), w.id)
      .zrem(k.sub(w.subKey), w.id)
      .exec();
    return res?.[0]?.[1] === 1;
  };
  return {
    kind: 'redis',
    add: (w, nowMs, max) =>
      guarded(
        client.eval(
          ADD,
          4,
          k.record(w.id),
          k.site(w.siteId),
          k.sub(w.subKey),
          k.sites(),
          w.id,
          JSON.stringify(w),
          w.expiresAtMs,
          nowMs,
          max,
          Math.max(1, w.expiresAtMs - nowMs),
          INDEX_TTL_MS,
          w.siteId,
        ),
      ).then((r) => r === 1),
    remove: (id) =>
      guarded(
        (async () => {
          const v = await client.get(k.record(id));
          return v ? claim(JSON.parse(v) as WatchRecord) : false;
        })(),
      ),
    sitesWatched: async (nowMs) => new Set(await client.zrangebyscore(k.sites(), `(${nowMs}`, '+inf')),
    forSite: async (siteId, nowMs) => read(await client.zrangebyscore(k.site(siteId), `(${nowMs}`, '+inf'), nowMs),
    claim,
    removeSubscription: async (subKey) => {
      const ws = await read(await client.zrange(k.sub(subKey), 0, -1), -Infinity);
      let n = 0;
      for (const w of ws) if (await claim(w)) n++;
      return n;
    },
    close: () => Promise.resolve(),
  };
}
