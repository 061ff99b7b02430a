// The archive in Redis: one hash per hour, `<prefix>archive:<hourMs>`, field siteId -> PackedRow
// as JSON plus the field `~` marking the hour complete, written in one MULTI with the key's expiry.
// Redis drops an hour by itself when retention ends. Rolling up the same hour on several instances
// writes the same fields again: harmless. Every command touches one key, so it runs on a Cluster.
import type { Cluster, Redis } from 'ioredis';
import { StoreUnavailableError } from '../store/types.js';
import { HOUR, type HourRow } from './hour-rows.js';
import { pack, unpack, type HourArchive, type PackedRow } from './types.js';

const DONE = '~';

export function createRedisArchive(client: Redis | Cluster, prefix: string, now: () => number): HourArchive {
  const key = (hourMs: number) => `${prefix}archive:${hourMs}`;
  const guarded = async <T>(what: string, fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (err) {
      throw new StoreUnavailableError(`archive ${what}: ${err instanceof Error ? err.message : String(err)}`, {
        cause: err,
      });
    }
  };
  return {
    kind: 'redis',
    putHour: (hourMs, rows, expiresAtMs) =>
      guarded('write', async () => {
        const ttl = expiresAtMs - now();
        if (ttl <= 0) return;
        const fields: string[] = [];
        for (const [id, r] of rows) fields.push(id, JSON.stringify(pack(r)));
        fields.push(DONE, '1');
        const res = await client
          .multi()
          .hset(key(hourMs), ...fields)
          .pexpire(key(hourMs), ttl)
          .exec();
        const failed = res?.find(([e]) => e);
        if (!res || failed) throw failed?.[0] ?? new Error('transaction aborted');
      }),
    hasHour: (hourMs) => guarded('read', async () => (await client.hexists(key(hourMs), DONE)) === 1),
    hour: (hourMs) =>
      guarded('read', async () => {
        const all = await client.hgetall(key(hourMs));
        const out = new Map<string, HourRow>();
        if (all[DONE] === undefined) return out;
        for (const [id, v] of Object.entries(all))
          if (id !== DONE) out.set(id, unpack(hourMs, JSON.parse(v) as PackedRow));
        return out;
      }),
    siteHours: (siteId, fromMs, toMs) =>
      guarded('read', async () => {
        const hours: number[] = [];
        for (let h = Math.ceil(fromMs / HOUR) * HOUR; h < toMs; h += HOUR) hours.push(h);
        if (!hours.length) return [];
        // Separate commands, not one pipeline: on a Cluster the hours live in different slots.
        // ioredis writes them all at once without waiting for answers, so it costs one round trip.
        const res = await Promise.all(hours.map((h) => client.hmget(key(h), siteId, DONE)));
        const out: HourRow[] = [];
        res.forEach(([row, done], i) => {
          if (row && done) out.push(unpack(hours[i]!, JSON.parse(row) as PackedRow));
        });
        return out;
      }),
    async prune() {
      // Every hour's key carries its expiry.
    },
  };
}
