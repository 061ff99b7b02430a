// The Redis storage format and the Lua scripts that change it atomically. A script runs alone on
// the server, so "check, then write" can never interleave with another instance's write.
//
// Records are stored as the JSON text TypeScript wrote, and the scripts never re-encode them:
// Lua's cjson prints numbers with 14 significant digits, which would not round-trip a ratio or
// a confidence exactly. What the scripts must compare (observedAt) is stored beside the JSON.
import type { ChainableCommander, Cluster, Redis } from 'ioredis';
import type { Calibration, CarrierRecord, RawSiteState, StaffRecord } from '../../shared/domain.js';
import type { RedisKeys } from './redis-keys.js';
import {
  HISTORY_RETENTION_MS,
  REPORT_ID_TTL_MS,
  type CarrierApplyItem,
  type HistoryPoint,
  type StaffApplyInput,
} from './types.js';

const MINUTE_MS = 60_000;

/** Site hash fields, in the order HMGET asks for them. */
export const RAW_FIELDS = ['staff', 'carrier', 'calibration'] as const;

type Field = string | null;

export function decodeRaw([staff, carrier, calibration]: readonly Field[]): RawSiteState {
  return {
    staff: staff ? (JSON.parse(staff) as StaffRecord) : null,
    carrier: carrier ? (JSON.parse(carrier) as CarrierRecord) : null,
    calibration: calibration ? (JSON.parse(calibration) as Calibration) : null,
  };
}

/**
 * A history point as stored (a sorted-set member): the first four fields by their names, as every
 * version wrote them; the optional ones under one-letter names (`l` lanes open, `s` served) and only
 * when known. ~4,400 points a site are kept, so the names would cost ~8% of the history's memory;
 * an object rather than an array, so instances of an earlier version still read the points.
 */
interface StoredPoint {
  atMs: number;
  queue: number | null;
  waitMinutes: number | null;
  source: HistoryPoint['source'];
  l?: number;
  s?: number;
}

export function encodePoint(p: HistoryPoint): string {
  const v: StoredPoint = { atMs: p.atMs, queue: p.queue, waitMinutes: p.waitMinutes, source: p.source };
  if (p.lanesOpen !== undefined) v.l = p.lanesOpen;
  if (p.served !== undefined) v.s = p.served;
  return JSON.stringify(v);
}

export function decodePoint(text: string): HistoryPoint {
  const v = JSON.parse(text) as StoredPoint;
  const p: HistoryPoint = { atMs: v.atMs, queue: v.queue, waitMinutes: v.waitMinutes, source: v.source };
  if (v.l !== undefined) p.lanesOpen = v.l;
  if (v.s !== undefined) p.served = v.s;
  return p;
}

// One point per minute: the minute's old point goes first, then points past the retention, and
// the key expires with the retention so a site that stops reporting leaves nothing behind.
const WRITE_HISTORY = `
local function writeHistory(key, atMs, point, minuteFrom, minuteTo, cutoff, retentionMs)
  redis.call('ZREMRANGEBYSCORE', key, minuteFrom, minuteTo)
  redis.call('ZADD', key, atMs, point)
  redis.call('ZREMRANGEBYSCORE', key, '-inf', cutoff)
  redis.call('PEXPIRE', key, retentionMs)
end
`;

/** The five history arguments shared by both apply scripts. */
function historyArgs(p: HistoryPoint, nowMs: number): string[] {
  const minute = Math.floor(p.atMs / MINUTE_MS) * MINUTE_MS;
  return [
    String(p.atMs),
    encodePoint(p),
    String(minute),
    `(${minute + MINUTE_MS}`,
    `(${nowMs - HISTORY_RETENTION_MS}`,
    String(HISTORY_RETENTION_MS),
  ];
}

// KEYS: site, report id, history.
// ARGV: bodyHash, observedAt, staff JSON, calibration JSON or '', 6 history args, id TTL, channel,
//       change message, deadline (epoch ms). Returns { outcome, staff, carrier, calibration }
//       (fields nil when unset), or { 'late' } and changes nothing when Redis's own clock is past
//       the deadline: the caller has given up (answered 503) by then, and a 503 means "not stored"
//       (issue 15.6: a hung Redis resuming must not apply writes that were refused meanwhile).
// An outdated report still records its id, so that its replay answers "outdated" again.
const APPLY_STAFF = `${WRITE_HISTORY}
local site, rid, hist = KEYS[1], KEYS[2], KEYS[3]
local now = redis.call('TIME')
if tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000) > tonumber(ARGV[14]) then return { 'late' } end
local function answer(outcome)
  local raw = redis.call('HMGET', site, 'staff', 'carrier', 'calibration')
  return { outcome, raw[1], raw[2], raw[3] }
end
local seen = redis.call('GET', rid)
if seen then
  if string.sub(seen, 3) ~= ARGV[1] then return { 'mismatch' } end
  -- A no-op write, so that a WAIT after this replay also covers the first write, made perhaps
  -- on another connection and not yet replicated (its caller got a 503 and is retrying).
  redis.call('SET', rid, seen, 'KEEPTTL')
  return answer('replay' .. string.sub(seen, 1, 1))
end
local storedAt = tonumber(redis.call('HGET', site, 'staffAt'))
if storedAt and tonumber(ARGV[2]) < storedAt then
  redis.call('SET', rid, '0:' .. ARGV[1], 'PX', ARGV[11])
  return answer('outdated')
end
redis.call('HSET', site, 'staff', ARGV[3], 'staffAt', ARGV[2])
if ARGV[4] ~= '' then redis.call('HSET', site, 'calibration', ARGV[4]) end
writeHistory(hist, ARGV[5], ARGV[6], ARGV[7], ARGV[8], ARGV[9], ARGV[10])
redis.call('PUBLISH', ARGV[12], ARGV[13])
redis.call('SET', rid, '1:' .. ARGV[1], 'PX', ARGV[11])
return answer('applied')
`;

// KEYS: site, history. ARGV: observedAt, carrier JSON, calibration JSON or '', 6 history args.
// Returns 1 if stored, 0 if older than the stored reading. No PUBLISH: a batch of 50,000 readings
// is announced by its caller in a few messages, not 50,000.
const APPLY_CARRIER = `${WRITE_HISTORY}
local site, hist = KEYS[1], KEYS[2]
local storedAt = tonumber(redis.call('HGET', site, 'carrierAt'))
if storedAt and tonumber(ARGV[1]) < storedAt then return 0 end
redis.call('HSET', site, 'carrier', ARGV[2], 'carrierAt', ARGV[1])
if ARGV[3] ~= '' then redis.call('HSET', site, 'calibration', ARGV[3]) end
writeHistory(hist, ARGV[4], ARGV[5], ARGV[6], ARGV[7], ARGV[8], ARGV[9])
return 1
`;

// KEYS: tokens by id, tokens by hash. ARGV: token id, channel, origin.
// Returns the removed record (JSON) or nil; only one of two concurrent revocations gets it.
const REVOKE_TOKEN = `
local hash = redis.call('HGET', KEYS[1], ARGV[1])
if not hash then return false end
redis.call('HDEL', KEYS[1], ARGV[1])
local rec = redis.call('HGET', KEYS[2], hash)
if not rec then return false end
redis.call('HDEL', KEYS[2], hash)
local siteId = cjson.decode(rec).siteId
redis.call('PUBLISH', ARGV[2], cjson.encode({ kind = 'revoked', origin = ARGV[3], tokenId = ARGV[1], siteId = siteId }))
return rec
`;

const NAMES = {
  staff: 'shortlineApplyStaff',
  carrier: 'shortlineApplyCarrier',
  revoke: 'shortlineRevokeToken',
} as const;

export type StaffScriptOutcome = 'applied' | 'outdated' | 'replay1' | 'replay0' | 'mismatch' | 'late';
export type StaffScriptReply = [StaffScriptOutcome, Field?, Field?, Field?];

export interface Scripts {
  /** `deadlineMs`: epoch ms after which (by Redis's clock) the script refuses with 'late'. */
  applyStaff(input: StaffApplyInput, message: string, deadlineMs: number): Promise<StaffScriptReply>;
  /**
   * Queues one reading on a pipeline, whose reply is 1 (stored) or 0 (older than stored). Given
   * the client itself (a cluster, auto-pipelined) it returns the promise of that reply.
   */
  queueCarrier(target: ChainableCommander, item: CarrierApplyItem, nowMs: number): unknown;
  revokeToken(tokenId: string, origin: string): Promise<string | null>;
}

/**
 * Registers the scripts on a client. ioredis sends EVALSHA and falls back to EVAL when Redis has
 * not seen the script (first use, a restarted Redis, another cluster node), also inside pipelines.
 * On a cluster each script runs on the node of its first key; all its keys share that key's slot.
 */
export function defineScripts(client: Redis | Cluster, keys: RedisKeys): Scripts {
  client.defineCommand(NAMES.staff, { numberOfKeys: 3, lua: APPLY_STAFF });
  client.defineCommand(NAMES.carrier, { numberOfKeys: 2, lua: APPLY_CARRIER });
  client.defineCommand(NAMES.revoke, { numberOfKeys: 2, lua: REVOKE_TOKEN });
  return {
    applyStaff: (input, message, deadlineMs) => {
      const { siteId, record } = input;
      return invoke(client, NAMES.staff, [
        keys.site(siteId),
        keys.reportId(siteId, record.reportId),
        keys.history(siteId),
        input.bodyHash,
        String(record.observedAt),
        JSON.stringify(record),
        input.calibration ? JSON.stringify(input.calibration) : '',
        ...historyArgs(input.historyPoint, input.nowMs),
        String(REPORT_ID_TTL_MS),
        keys.changes(),
        message,
        String(Math.floor(deadlineMs)),
      ]) as Promise<StaffScriptReply>;
    },
    queueCarrier: (target, item, nowMs) =>
      invoke(target, NAMES.carrier, [
        keys.site(item.siteId),
        keys.history(item.siteId),
        String(item.carrier.observedAt),
        JSON.stringify(item.carrier),
        item.calibration ? JSON.stringify(item.calibration) : '',
        ...historyArgs(item.historyPoint, nowMs),
      ]),
    revokeToken: (tokenId, origin) =>
      invoke(client, NAMES.revoke, [
        keys.tokensById(),
        keys.tokensByHash(),
        tokenId,
        keys.changes(),
        origin,
      ]) as Promise<string | null>,
  };
}

// defineCommand adds methods ioredis's types cannot know about; this is the one untyped step.
function invoke(target: Redis | Cluster | ChainableCommander, name: string, args: string[]): unknown {
  const fn = (target as unknown as Record<string, unknown>)[name];
  if (typeof fn !== 'function') throw new Error(`Redis script ${name} is not defined on this client`);
  return (fn as (...a: string[]) => unknown).apply(target, args);
}
