// The Redis store: any number of instances share one Redis (a single node, a Sentinel-managed
// master or a Cluster: see redis-url.ts); changes reach all of them by pub/sub.
//
// Outages must fail fast: a request gets 503 within about commandTimeoutMs rather than waiting in
// ioredis's offline queue (redis-connect.ts). The connections reconnect forever on their own, and
// the subscriber announces a 'resync' after a break, since messages published meanwhile are lost.
import { Cluster, Redis, ReplyError } from 'ioredis';
import type { RawSiteState } from '../../shared/domain.js';
import { createLogger, type Logger } from '../logger.js';
import { openConnections, readyWithin } from './redis-connect.js';
import { redisKeys } from './redis-keys.js';
import { execChunk, perItem } from './redis-pipeline.js';
import { redisExclusive } from './lock.js';
import { decodePoint, decodeRaw, defineScripts, RAW_FIELDS, type StaffScriptReply } from './redis-scripts.js';
import { parseRedisUrl, redactRedisUrl } from './redis-url.js';
import {
  BATCH_ID_TTL_MS,
  StoreUnavailableError,
  subscription,
  type CarrierApplyItem,
  type ChangeMessage,
  type NoticeRecord,
  type StaffApplyResult,
  type StaffTokenRecord,
  type Store,
  type Subscription,
} from './types.js';
import { byNoticeAge, byTokenCreation } from './order.js';

export interface RedisStoreOptions {
  /** Any ioredis URL (`rediss://` for TLS), or a `redis+cluster://` or `redis+sentinel://` one. */
  url: string;
  /** Prepended to every key and the channel, so deployments or test runs can share a Redis. Must not contain `{`. @default 'shortline:' */
  prefix?: string;
  /** @default a pino logger */
  logger?: Logger;
  /** A command without an answer after this long fails (503) instead of waiting. @default 2000 */
  commandTimeoutMs?: number;
  /** How long start-up waits for the first connection before giving up. @default 5000 */
  connectTimeoutMs?: number;
}

/** Sites per 'sites' message, keeping each well under Redis's pub/sub output buffer limits. */
const SITES_PER_MESSAGE = 5_000;
/** How long a write waits for its replicas (ackReplicas) before it is answered 503 instead. */
const ACK_TIMEOUT_MS = 1_000;
/**
 * How long before this client gives up on a staff report the script stops accepting it (by
 * Redis's clock): covers the reply's way back. Clocks of Redis and the app are assumed within
 * this of each other (NTP); a Redis clock ahead only turns more slow writes into honest 503s.
 */
const DEADLINE_MARGIN_MS = 500;
/** After an uncertain write, the site is re-read from Redis for this long (retries every 100 ms). */
const RECONCILE_FOR_MS = 120_000;
const RECONCILE_RETRY_MS = 100;
/** Origin of reconciliation messages (local only): an instance id never takes this value. */
const RECONCILE_ORIGIN = 'store:reconcile';

type SiteChange = { siteId: string; raw: Partial<RawSiteState> };
/**
 * The origin of a message that JSON.stringify wrote ({kind, origin, ...}); messages written
 * otherwise (cjson in a script orders keys as it likes) simply do not match and are parsed.
 */
const ORIGIN_OF = /^\{"kind":"[a-z]+","origin":"([^"\\]*)"/;

export async function createRedisStore(opts: RedisStoreOptions): Promise<Store> {
  const log = (opts.logger ?? createLogger()).child({ module: 'store.redis' });
  const keys = redisKeys(opts.prefix);
  const commandTimeoutMs = opts.commandTimeoutMs ?? 2_000;
  const connectTimeoutMs = opts.connectTimeoutMs ?? 5_000;
  const listeners = new Set<Subscription>();
  let closing: Promise<void> | undefined;

  // Subscribing again is done by hand (below) so that 'resync' goes out only once it is in place.
  const { client, sub, ackReplicas } = openConnections(parseRedisUrl(opts.url), { commandTimeoutMs, connectTimeoutMs });
  const ackTimeoutMs = Math.min(ACK_TIMEOUT_MS, commandTimeoutMs / 2);
  const deadlineMarginMs = Math.min(DEADLINE_MARGIN_MS, commandTimeoutMs / 4);
  watch(client, 'commands');
  watch(sub, 'subscriber');

  try {
    await Promise.all([readyWithin(client, connectTimeoutMs), readyWithin(sub, connectTimeoutMs)]);
    await sub.subscribe(keys.changes());
  } catch (err) {
    client.disconnect();
    sub.disconnect();
    throw new Error(`Redis at ${redactRedisUrl(opts.url)} is not reachable: ${(err as Error).message}`, { cause: err });
  }
  const scripts = defineScripts(client, keys);
  const exclusive = redisExclusive(client, keys.lock);

  sub.on('message', (channel: string, text: string) => {
    if (channel !== keys.changes()) return;
    if (unwanted(text)) return;
    let msg: ChangeMessage;
    try {
      msg = JSON.parse(text) as ChangeMessage;
    } catch (err) {
      log.warn({ err }, 'ignoring an unreadable change message');
      return;
    }
    deliver(msg);
  });
  sub.on('ready', () => {
    sub.subscribe(keys.changes()).then(
      () => deliver({ kind: 'resync', origin: '' }),
      (err: unknown) => log.warn({ err }, 'subscribing again failed; retrying on the next reconnect'),
    );
  });

  /** True when every listener ignores the message's origin (read off the text, not parsed). */
  function unwanted(text: string): boolean {
    if (listeners.size === 0) return false;
    const origin = ORIGIN_OF.exec(text)?.[1];
    if (origin === undefined) return false;
    for (const l of listeners) if (l.ignore !== origin) return false;
    return true;
  }

  /**
   * After an uncertain write: reads the site from Redis as soon as it answers (retrying for a
   * while) and hands it to local listeners under an origin no instance ignores, so this instance
   * shows what the store holds. Forward-only merging makes a redundant delivery harmless.
   */
  const reconciling = new Set<string>();
  function reconcile(siteId: string): void {
    if (reconciling.has(siteId)) return;
    reconciling.add(siteId);
    const giveUpAt = Date.now() + RECONCILE_FOR_MS;
    const attempt = () => {
      if (closing) return void reconciling.delete(siteId);
      client.hmget(keys.site(siteId), ...RAW_FIELDS).then(
        (fields) => {
          reconciling.delete(siteId);
          deliver({ kind: 'sites', origin: RECONCILE_ORIGIN, sites: [{ siteId, raw: decodeRaw(fields) }] });
        },
        () => {
          if (Date.now() < giveUpAt) setTimeout(attempt, RECONCILE_RETRY_MS).unref();
          else reconciling.delete(siteId);
        },
      );
    };
    attempt();
  }

  function deliver(msg: ChangeMessage): void {
    for (const listener of [...listeners]) {
      try {
        listener(msg);
      } catch (err) {
        log.error({ err }, 'change listener failed');
      }
    }
  }

  // Logs each outage once, not every reconnect attempt; start-up failures are reported by the
  // error createRedisStore throws instead.
  function watch(conn: Redis | Cluster, name: string): void {
    let up = false;
    let wasDown = false;
    conn.on('error', (err: Error) => {
      if (up && !closing) log.warn({ err, connection: name }, 'Redis error');
    });
    conn.on('close', () => {
      if (!up || closing) return;
      up = false;
      wasDown = true;
      log.warn({ connection: name }, 'lost the connection to Redis; reconnecting');
    });
    conn.on('ready', () => {
      if (wasDown) log.info({ connection: name }, 'reconnected to Redis');
      up = true;
    });
  }

  /** Every failure becomes StoreUnavailableError (503); a ReplyError is a bug, so it is logged. */
  async function guarded<T>(what: string, fn: () => Promise<T>): Promise<T> {
    if (closing) throw new StoreUnavailableError('store closed');
    try {
      return await fn();
    } catch (err) {
      if (err instanceof StoreUnavailableError) throw err;
      if (err instanceof ReplyError) log.error({ err, what }, 'Redis refused a command');
      // ioredis's own words for "disconnected" speak of streams and offline queues.
      const reason = client.status === 'ready' ? (err as Error).message : `not connected (${client.status})`;
      throw new StoreUnavailableError(`Redis ${what} failed: ${reason}`, { cause: err });
    }
  }

  /**
   * With ackReplicas, waits until that many replicas hold every write this connection has made,
   * so a failover cannot lose an acknowledged write. Failing that it answers 503: the write may
   * still surface later, which is why clients retry with the same id.
   */
  async function replicated(): Promise<void> {
    if (!ackReplicas) return;
    const acked = await client.wait(ackReplicas, ackTimeoutMs);
    if (acked < ackReplicas)
      throw new StoreUnavailableError(`only ${acked} of ${ackReplicas} replicas confirmed the write`);
  }

  async function publishChanges(origin: string, changes: SiteChange[]): Promise<void> {
    for (let i = 0; i < changes.length; i += SITES_PER_MESSAGE) {
      const msg: ChangeMessage = { kind: 'sites', origin, sites: changes.slice(i, i + SITES_PER_MESSAGE) };
      await client.publish(keys.changes(), JSON.stringify(msg));
    }
  }

  return {
    kind: 'redis',

    applyStaffReport: (input) =>
      guarded('staff report', async (): Promise<StaffApplyResult> => {
        const change: Partial<RawSiteState> = { staff: input.record };
        if (input.calibration) change.calibration = input.calibration;
        const msg: ChangeMessage = {
          kind: 'sites',
          origin: input.origin,
          sites: [{ siteId: input.siteId, raw: change }],
        };
        // The script refuses to run past this moment (by Redis's clock), a margin before this
        // client gives up on the command: a write answered 503 can then never apply later.
        const deadlineMs = Date.now() + commandTimeoutMs - deadlineMarginMs;
        let reply: StaffScriptReply;
        try {
          reply = await scripts.applyStaff(input, JSON.stringify(msg), deadlineMs);
        } catch (err) {
          // Uncertain: the script may have run just before the reply was lost. This instance skips
          // its own change messages, so it re-reads the site once Redis answers again.
          reconcile(input.siteId);
          throw err;
        }
        const [outcome, ...fields] = reply;
        if (outcome === 'late')
          throw new StoreUnavailableError('Redis ran the staff report after its deadline and refused it');
        if (outcome === 'mismatch') return { outcome };
        await replicated();
        const raw = decodeRaw([fields[0] ?? null, fields[1] ?? null, fields[2] ?? null]);
        if (outcome === 'replay1' || outcome === 'replay0')
          return { outcome: 'replay', applied: outcome === 'replay1', raw };
        return { outcome, raw };
      }),

    // The batch id is set only after every reading is stored: if Redis fails half-way the feed's
    // retry applies the batch again, which is harmless as each reading only replaces older ones.
    applyCarrierBatch: ({ batchId, origin, nowMs, items }) =>
      guarded('carrier batch', async () => {
        if ((await client.exists(keys.batch(batchId))) === 1) return { duplicate: true, applied: 0 };
        const stored = await perItem(client, items, (target, item) => scripts.queueCarrier(target, item, nowMs));
        const changes = items.filter((_, j) => stored[j] === 1).map(carrierChange);
        await client.set(keys.batch(batchId), '1', 'PX', BATCH_ID_TTL_MS, 'NX');
        await replicated();
        await publishChanges(origin, changes);
        return { duplicate: false, applied: changes.length };
      }),

    loadSites: (siteIds) =>
      guarded('load', async () => {
        const replies = await perItem(client, siteIds, (target, id) => target.hmget(keys.site(id), ...RAW_FIELDS));
        return new Map(siteIds.map((id, j) => [id, decodeRaw(replies[j] as Array<string | null>)]));
      }),

    history: (siteId, fromMs, toMs) =>
      guarded('history', async () => {
        const members = await client.zrangebyscore(keys.history(siteId), score(fromMs), score(toMs));
        return members.map(decodePoint);
      }),

    createStaffTokens: (recs) =>
      guarded('token create', async () => {
        // One transaction (both keys share the {tokens} slot): a token is findable by its hash
        // exactly when it is revocable by its id, and a batch is stored whole or not at all.
        if (recs.length === 0) return;
        await execChunk(
          client
            .multi()
            .hset(keys.tokensByHash(), ...recs.flatMap((r) => [r.hash, JSON.stringify(r)]))
            .hset(keys.tokensById(), ...recs.flatMap((r) => [r.tokenId, r.hash])),
        );
        await replicated();
      }),

    findStaffToken: (hash) =>
      guarded('token lookup', async () => {
        const json = await client.hget(keys.tokensByHash(), hash);
        return json ? (JSON.parse(json) as StaffTokenRecord) : null;
      }),

    revokeStaffToken: (tokenId, origin) =>
      guarded('token revoke', async () => {
        const json = await scripts.revokeToken(tokenId, origin);
        if (json) await replicated();
        return json ? (JSON.parse(json) as StaffTokenRecord) : null;
      }),

    listStaffTokens: (siteId) =>
      guarded('token list', async () => {
        // Keyed by hash: HSCAN may return a field twice while Redis resizes the hash.
        const found = new Map<string, StaffTokenRecord>();
        let cursor = '0';
        do {
          const [next, flat] = await client.hscan(keys.tokensByHash(), cursor, 'COUNT', 1000);
          cursor = next;
          for (let i = 1; i < flat.length; i += 2) {
            const rec = JSON.parse(flat[i]!) as StaffTokenRecord;
            if (siteId === undefined || rec.siteId === siteId) found.set(rec.hash, rec);
          }
        } while (cursor !== '0');
        return [...found.values()].sort(byTokenCreation);
      }),

    putNotice: (rec, origin) =>
      guarded('notice put', async () => {
        await execChunk(
          client
            .multi()
            .hset(keys.notices(), rec.id, JSON.stringify(rec))
            .publish(keys.changes(), JSON.stringify({ kind: 'notices', origin })),
        );
        await replicated();
      }),

    deleteNotice: (id, origin) =>
      guarded('notice delete', async () => {
        const removed = await client.hdel(keys.notices(), id);
        if (!removed) return false;
        await replicated();
        await client.publish(keys.changes(), JSON.stringify({ kind: 'notices', origin }));
        return true;
      }),

    listNotices: (nowMs) =>
      guarded('notice list', async () => {
        const all = Object.values(await client.hgetall(keys.notices())).map((j) => JSON.parse(j) as NoticeRecord);
        const expired = all.filter((n) => n.expiresAtMs <= nowMs).map((n) => n.id);
        if (expired.length) await client.hdel(keys.notices(), ...expired);
        return all.filter((n) => n.expiresAtMs > nowMs).sort(byNoticeAge);
      }),

    subscribe(listener, opts) {
      const entry = subscription(listener, opts);
      listeners.add(entry);
      return () => {
        listeners.delete(entry);
      };
    },

    exclusive: (name, fn) => guarded(`lock ${name}`, () => exclusive(name, fn)),

    ping: () =>
      guarded('ping', async () => {
        await client.ping();
      }),

    close: () =>
      (closing ??= (async () => {
        listeners.clear();
        await Promise.all(
          [client, sub].map(async (conn) => {
            // QUIT lets answers in flight arrive; in an outage it fails fast and we just drop it.
            await conn.quit().catch(() => undefined);
            conn.disconnect();
          }),
        );
      })()),
  };
}

function carrierChange(item: CarrierApplyItem): SiteChange {
  const raw: Partial<RawSiteState> = { carrier: item.carrier };
  if (item.calibration) raw.calibration = item.calibration;
  return { siteId: item.siteId, raw };
}

const score = (ms: number): string => (Number.isFinite(ms) ? String(ms) : ms > 0 ? '+inf' : '-inf');
