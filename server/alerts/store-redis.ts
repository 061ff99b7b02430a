// Alerts in Redis, shared by every instance. All keys carry the `{alerts}` hash tag, so the Lua
// scripts below touch one slot and run on a Cluster too. Opening is SET NX on the rule-and-site key:
// of two instances seeing the same condition, one opens the alert and the other gets nothing.
import type { Cluster, Redis } from 'ioredis';
import { newAlertRecord, newestFirst, RESOLVED_KEEP_MS, type AlertRecord, type AlertStore } from './store.js';
import { conditionKey } from './rules.js';

const OPEN = `
if redis.call('SET', KEYS[1], ARGV[1], 'NX') then
  redis.call('SET', KEYS[2], ARGV[2])
  redis.call('ZADD', KEYS[3], ARGV[3], ARGV[1])
  return 1
end
return 0`;

// KEYS: active key, ids zset; ARGV: now, keep ms, record key prefix. Answers the resolved record.
const RESOLVE = `
local id = redis.call('GET', KEYS[1])
if not id then return false end
redis.call('DEL', KEYS[1])
local rk = ARGV[3] .. id
local v = redis.call('GET', rk)
if not v then return false end
local r = cjson.decode(v)
r.resolvedAtMs = tonumber(ARGV[1])
local out = cjson.encode(r)
redis.call('SET', rk, out, 'PX', tonumber(ARGV[2]))
return out`;

// KEYS: record key; ARGV: now, by. Answers {changed, record}.
const ACK = `
local v = redis.call('GET', KEYS[1])
if not v then return false end
local r = cjson.decode(v)
if r.ackAtMs ~= cjson.null and r.ackAtMs ~= nil then return {0, v} end
r.ackAtMs = tonumber(ARGV[1])
r.ackBy = ARGV[2]
local out = cjson.encode(r)
redis.call('SET', KEYS[1], out, 'KEEPTTL')
return {1, out}`;

/** cjson writes 13-digit epoch ms exactly (it keeps 14 significant digits); null stays null. */
const decode = (v: string): AlertRecord => JSON.parse(v) as AlertRecord;

export function createRedisAlertStore(client: Redis | Cluster, prefix: string): AlertStore {
  const base = `${prefix}{alerts}:`;
  const activeKey = (key: string) => `${base}active:${key}`;
  const recPrefix = `${base}rec:`;
  const ids = `${base}ids`;
  return {
    async open(c, nowMs) {
      const rec = newAlertRecord(c, nowMs);
      const ok = await client.eval(
        OPEN,
        3,
        activeKey(conditionKey(c.rule, c.siteId)),
        recPrefix + rec.id,
        ids,
        rec.id,
        JSON.stringify(rec),
        nowMs,
      );
      return ok === 1 ? rec : null;
    },
    async resolve(key, nowMs) {
      const out = (await client.eval(RESOLVE, 2, activeKey(key), ids, nowMs, RESOLVED_KEEP_MS, recPrefix)) as
        string | null;
      return out ? decode(out) : null;
    },
    async acknowledge(id, by, nowMs) {
      const out = (await client.eval(ACK, 1, recPrefix + id, nowMs, by)) as [number, string] | null;
      return out ? { record: decode(out[1]), changed: out[0] === 1 } : null;
    },
    async list(nowMs) {
      const all = await client.zrange(ids, 0, -1);
      if (!all.length) return [];
      const values = await client.mget(...all.map((id) => recPrefix + id));
      const gone: string[] = [];
      const out: AlertRecord[] = [];
      values.forEach((v, i) => {
        if (v === null) gone.push(all[i]!);
        else out.push(decode(v));
      });
      // Records of resolved alerts expire by TTL; their ids leave the index here.
      if (gone.length) await client.zrem(ids, ...gone);
      return out.filter((r) => r.resolvedAtMs === null || nowMs - r.resolvedAtMs <= RESOLVED_KEEP_MS).sort(newestFirst);
    },
    async close() {},
  };
}
