// The Redis store: any number of instances share one Redis; changes reach all of them by pub/sub.
//
// Outages must fail fast: a request gets 503 within about commandTimeoutMs rather than waiting in
// ioredis's offline queue (~73 s by default) and then being written long after its answer. The
// connections reconnect forever on their own, and the subscriber announces a 'resync' after a
// break, since messages published meanwhile are lost.
import { Redis, ReplyError, type RedisOptions } from 'ioredis';
import type { RawSiteState } from '../../shared/domain.js';
import { createLogger, type Logger } from '../logger.js';
import { redisKeys } from './redis-keys.js';
import { decodePoint, decodeRaw, defineScripts, RAW_FIELDS } from './redis-scripts.js';
import {
  BATCH_ID_TTL_MS, StoreUnavailableError,
  type CarrierApplyItem, type ChangeListener, type ChangeMessage, type NoticeRecord, type StaffApplyResult, type StaffTokenRecord, type Store,
} from './types.js';

export interface RedisStoreOptions {
  /** Any ioredis URL; `rediss://` for TLS. */
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

/**
 * Commands per pipeline: amortises round trips, yet a 50,000-reading batch stalls the event loop
 * for ~20-30 ms at most (measured; 2,000 a pipeline gave ~100 ms).
 */
const CHUNK = 500;
/** Sites per 'sites' message, keeping each well under Redis's pub/sub output buffer limits. */
const SITES_PER_MESSAGE = 5_000;
/** Reconnect delays grow by this much per attempt, up to RECONNECT_MAX_MS, forever. */
const RECONNECT_STEP_MS = 200;
const RECONNECT_MAX_MS = 2_000;

type SiteChange = { siteId: string; raw: Partial<RawSiteState> };

export async function createRedisStore(opts: RedisStoreOptions): Promise<Store> {
  const log = (opts.logger ?? createLogger()).child({ module: 'store.redis' });
  const keys = redisKeys(opts.prefix);
  const commandTimeoutMs = opts.commandTimeoutMs ?? 2_000;
  const connectTimeoutMs = opts.connectTimeoutMs ?? 5_000;
  const listeners = new Set<ChangeListener>();
  let closing: Promise<void> | undefined;

  const client = new Redis(opts.url, {
    lazyConnect: true,
    // Fail at once while disconnected instead of queueing; never re-send a command after
    // reconnecting: its caller may already have been told it failed.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    autoResendUnfulfilledCommands: false,
    commandTimeout: commandTimeoutMs,
    connectTimeout: connectTimeoutMs,
    retryStrategy: (attempt) => Math.min(attempt * RECONNECT_STEP_MS, RECONNECT_MAX_MS),
  } satisfies RedisOptions);
  // Subscribing again is done by hand (below) so that 'resync' goes out only once it is in place.
  const sub = client.duplicate({ autoResubscribe: false });
  watch(client, 'commands');
  watch(sub, 'subscriber');

  try {
    await Promise.all([readyWithin(client, connectTimeoutMs), readyWithin(sub, connectTimeoutMs)]);
    await sub.subscribe(keys.changes());
  } catch (err) {
    client.disconnect();
    sub.disconnect();
    throw new Error(`Redis at ${redactUrl(opts.url)} is not reachable: ${(err as Error).message}`, { cause: err });
  }
  const scripts = defineScripts(client, keys);

  sub.on('message', (channel: string, text: string) => {
    if (channel !== keys.changes()) return;
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
  function watch(conn: Redis, name: string): void {
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

  async function execChunk(pipeline: ReturnType<Redis['pipeline']>): Promise<unknown[]> {
    const replies = await pipeline.exec();
    if (!replies) throw new Error('pipeline discarded');
    return replies.map(([err, reply]) => {
      if (err) throw err;
      return reply;
    });
  }

  async function publishChanges(origin: string, changes: SiteChange[]): Promise<void> {
    for (let i = 0; i < changes.length; i += SITES_PER_MESSAGE) {
      const msg: ChangeMessage = { kind: 'sites', origin, sites: changes.slice(i, i + SITES_PER_MESSAGE) };
      await client.publish(keys.changes(), JSON.stringify(msg));
    }
  }

  return {
    kind: 'redis',

    applyStaffReport: (input) => guarded('staff report', async (): Promise<StaffApplyResult> => {
      const change: Partial<RawSiteState> = { staff: input.record };
      if (input.calibration) change.calibration = input.calibration;
      const msg: ChangeMessage = { kind: 'sites', origin: input.origin, sites: [{ siteId: input.siteId, raw: change }] };
      const [outcome, ...fields] = await scripts.applyStaff(input, JSON.stringify(msg));
      if (outcome === 'mismatch') return { outcome };
      const raw = decodeRaw([fields[0] ?? null, fields[1] ?? null, fields[2] ?? null]);
      if (outcome === 'replay1' || outcome === 'replay0') return { outcome: 'replay', applied: outcome === 'replay1', raw };
      return { outcome, raw };
    }),

    // The batch id is set only after every reading is stored: if Redis fails half-way the feed's
    // retry applies the batch again, which is harmless as each reading only replaces older ones.
    applyCarrierBatch: ({ batchId, origin, nowMs, items }) => guarded('carrier batch', async () => {
      if ((await client.exists(keys.batch(batchId))) === 1) return { duplicate: true, applied: 0 };
      const changes: SiteChange[] = [];
      for (let i = 0; i < items.length; i += CHUNK) {
        const chunk = items.slice(i, i + CHUNK);
        const pipeline = client.pipeline();
        for (const item of chunk) scripts.queueCarrier(pipeline, item, nowMs);
        const stored = await execChunk(pipeline);
        chunk.forEach((item, j) => {
          if (stored[j] === 1) changes.push(carrierChange(item));
        });
      }
      await client.set(keys.batch(batchId), '1', 'PX', BATCH_ID_TTL_MS, 'NX');
      await publishChanges(origin, changes);
      return { duplicate: false, applied: changes.length };
    }),

    loadSites: (siteIds) => guarded('load', async () => {
      const out = new Map<string, RawSiteState>();
      for (let i = 0; i < siteIds.length; i += CHUNK) {
        const chunk = siteIds.slice(i, i + CHUNK);
        const pipeline = client.pipeline();
        for (const id of chunk) pipeline.hmget(keys.site(id), ...RAW_FIELDS);
        const replies = await execChunk(pipeline);
        chunk.forEach((id, j) => out.set(id, decodeRaw(replies[j] as Array<string | null>)));
      }
      return out;
    }),

    history: (siteId, fromMs, toMs) => guarded('history', async () => {
      const members = await client.zrangebyscore(keys.history(siteId), score(fromMs), score(toMs));
      return members.map(decodePoint);
    }),

    createStaffToken: (rec) => guarded('token create', async () => {
      // One transaction: a token is findable by its hash exactly when it is revocable by its id.
      await execChunk(client.multi()
        .hset(keys.tokensByHash(), rec.hash, JSON.stringify(rec))
        .hset(keys.tokensById(), rec.tokenId, rec.hash));
    }),

    findStaffToken: (hash) => guarded('token lookup', async () => {
      const json = await client.hget(keys.tokensByHash(), hash);
      return json ? (JSON.parse(json) as StaffTokenRecord) : null;
    }),

    revokeStaffToken: (tokenId, origin) => guarded('token revoke', async () => {
      const json = await scripts.revokeToken(tokenId, origin);
      return json ? (JSON.parse(json) as StaffTokenRecord) : null;
    }),

    listStaffTokens: (siteId) => guarded('token list', async () => {
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
      return [...found.values()].sort(byCreation);
    }),

    putNotice: (rec, origin) => guarded('notice put', async () => {
      await execChunk(client.multi()
        .hset(keys.notices(), rec.id, JSON.stringify(rec))
        .publish(keys.changes(), JSON.stringify({ kind: 'notices', origin })));
    }),

    deleteNotice: (id, origin) => guarded('notice delete', async () => {
      const removed = await client.hdel(keys.notices(), id);
      if (removed) await client.publish(keys.changes(), JSON.stringify({ kind: 'notices', origin }));
      return removed > 0;
    }),

    listNotices: (nowMs) => guarded('notice list', async () => {
      const all = Object.values(await client.hgetall(keys.notices())).map((j) => JSON.parse(j) as NoticeRecord);
      const expired = all.filter((n) => n.expiresAtMs <= nowMs).map((n) => n.id);
      if (expired.length) await client.hdel(keys.notices(), ...expired);
      return all.filter((n) => n.expiresAtMs > nowMs).sort((a, b) => a.createdAtMs - b.createdAtMs || (a.id < b.id ? -1 : 1));
    }),

    subscribe(listener) {
      // A wrapper per subscription, so subscribing one function twice needs two unsubscribes.
      const entry: ChangeListener = (msg) => listener(msg);
      listeners.add(entry);
      return () => {
        listeners.delete(entry);
      };
    },

    ping: () => guarded('ping', async () => {
      await client.ping();
    }),

    close: () => (closing ??= (async () => {
      listeners.clear();
      await Promise.all([client, sub].map(async (conn) => {
        // QUIT lets answers in flight arrive; in an outage it fails fast and we just drop it.
        await conn.quit().catch(() => undefined);
        conn.disconnect();
      }));
    })()),
  };
}

function carrierChange(item: CarrierApplyItem): SiteChange {
  const raw: Partial<RawSiteState> = { carrier: item.carrier };
  if (item.calibration) raw.calibration = item.calibration;
  return { siteId: item.siteId, raw };
}

/** Oldest token first, ties by id (the embedded store sorts the same way). */
const byCreation = (a: StaffTokenRecord, b: StaffTokenRecord): number =>
  a.createdAtMs - b.createdAtMs || (a.tokenId < b.tokenId ? -1 : a.tokenId > b.tokenId ? 1 : 0);

const score = (ms: number): string => (Number.isFinite(ms) ? String(ms) : ms > 0 ? '+inf' : '-inf');

/**
 * Resolves once the connection is ready; ioredis keeps retrying failed attempts meanwhile, so a
 * Redis that is still starting is waited for, and the last error explains a timeout.
 */
function readyWithin(conn: Redis, ms: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let lastError: Error | undefined;
    const onError = (err: Error) => {
      lastError = err;
    };
    const onReady = () => {
      done();
      resolve();
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error(`no answer within ${ms} ms${lastError ? ` (${lastError.message})` : ''}`));
    }, ms);
    function done() {
      clearTimeout(timer);
      conn.off('error', onError);
      conn.off('ready', onReady);
    }
    conn.on('error', onError);
    conn.once('ready', onReady);
    conn.connect().catch(() => undefined);
  });
}

/** The URL without its password, for messages. */
function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparseable URL)';
  }
}
