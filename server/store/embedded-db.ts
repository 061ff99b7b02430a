// Durability of the embedded store: every change is also written to an LMDB database, and a write
// is answered only once LMDB has committed and synced it (see docs/store-durability.md). LMDB is
// copy-on-write with a double-buffered meta page, so a crash at any moment leaves the last synced
// transaction intact: recovery is simply opening the file, nothing to replay or repair. The state
// is also kept in memory (memory.ts) for reads and read once, at start, except histories, which
// live in LMDB only (read from its memory map on request): the heap stays small whatever the
// retention, so garbage collection never pauses the loop for long.
//
// Writes are queued by lmdb-js within one event turn and committed together on its own write
// thread (group commit): the event loop only encodes the changed records (a few microseconds
// each), never the whole state, whatever the history length.
import { existsSync, renameSync } from 'node:fs';
import type { RootDatabase } from 'lmdb';
import type { RawSiteState } from '../../shared/domain.js';
import type { Logger } from '../logger.js';
import {
  createMemoryStore,
  type HistoryBackend,
  type MemoryJournal,
  type MemoryState,
  type MemoryStore,
} from './memory.js';
import { readStoreFile } from './memory-file.js';
import { HISTORY_RETENTION_MS, type HistoryPoint, type NoticeRecord, type StaffTokenRecord } from './types.js';

// Key layout: [kind, ...]; ordered-binary keys keep a site's history points in time order.
const SITE = 's';
/**
 * ['h', siteId, minuteMs] -> [atMs, queue, waitMinutes, source, lanesOpen?, served?]: one point per
 * minute, the last write wins. The optional tail is left off when unknown (older points lack it).
 */
const HISTORY = 'h';
/** ['hx', siteId] -> when the site's history expires if not written again (like the Redis key's TTL). */
const HISTORY_EXPIRY = 'hx';
const MINUTE_MS = 60_000;
const REPORT_ID = 'r';
const BATCH_ID = 'b';
const TOKEN = 't';
const NOTICE = 'n';
const META = 'meta';

const FORMAT = 1;

type StoredPoint = [
  atMs: number,
  queue: number | null,
  waitMinutes: number | null,
  source: HistoryPoint['source'],
  lanesOpen?: number | null,
  served?: number,
];

/** A point as an array, as every version stored it: ~4,400 a site are kept, so no names in each value. */
function packPoint(p: HistoryPoint): StoredPoint {
  const v: StoredPoint = [p.atMs, p.queue, p.waitMinutes, p.source];
  if (p.served !== undefined) v.push(p.lanesOpen ?? null, p.served);
  else if (p.lanesOpen !== undefined) v.push(p.lanesOpen);
  return v;
}

function unpackPoint(v: StoredPoint): HistoryPoint {
  const [atMs, queue, waitMinutes, source, lanesOpen, served] = v;
  const p: HistoryPoint = { atMs, queue, waitMinutes, source };
  if (lanesOpen != null) p.lanesOpen = lanesOpen;
  if (served !== undefined) p.served = served;
  return p;
}

/** The database directory for a STORE_FILE setting: `x.json` → `x.lmdb`. */
export function embeddedDbPath(storeFile: string): string {
  return `${storeFile.replace(/\.json$/i, '')}.lmdb`;
}

export interface EmbeddedDbOptions {
  /** Directory of the LMDB environment (created if missing). */
  path: string;
  /** A JSON store file of an earlier version (memory-file.ts), imported once if the database is new. */
  legacyJsonFile?: string | null;
  logger: Logger;
  now?: () => number;
}

export interface EmbeddedDb {
  store: MemoryStore;
  /** The LMDB environment, for data kept beside the store's in sub-databases (archive/lmdb.ts). */
  root: RootDatabase;
  /** Waits for pending writes and closes the database. Idempotent. */
  close(): Promise<void>;
}

/** Opens (or creates) the database, loads it, and returns an embedded store persisting to it. */
export async function openEmbeddedDb(opts: EmbeddedDbOptions): Promise<EmbeddedDb> {
  const now = opts.now ?? Date.now;
  // Loaded here, not at the top: the native module and its 16 MB shared buffer cost ~12 MB of RSS,
  // which a server on Redis or STORE_FILE=off never needs.
  const { open } = await import('lmdb');
  const db: RootDatabase = open({
    path: opts.path,
    // Commits sync on lmdb-js's own thread, overlapping the next transaction; a write is answered
    // only after db.flushed (see commit below). Measured: the non-overlapping mode costs the event
    // loop about twice the p99 delay (docs/store-durability.md).
    overlappingSync: true,
    noSync: false,
    // Larger than any realistic state; LMDB grows the file only as it is used.
    mapSize: 8 * 1024 ** 3,
  });
  const log = opts.logger.child({ module: 'store.embedded-db' });

  if (db.get(META) === undefined) {
    const legacy = opts.legacyJsonFile && existsSync(opts.legacyJsonFile) ? readStoreFile(opts.legacyJsonFile) : null;
    await db.transaction(() => {
      if (legacy) writeState(db, legacy);
      db.put(META, { format: FORMAT, createdAt: now() });
    });
    await db.flushed;
    if (legacy && opts.legacyJsonFile) {
      // Kept, renamed, so a second start does not import it again over newer data.
      renameSync(opts.legacyJsonFile, `${opts.legacyJsonFile}.migrated`);
      log.warn({ from: opts.legacyJsonFile, to: opts.path }, 'migrated the JSON store file to the embedded database');
    }
  }

  const { state, expired } = readState(db, now());
  const initial = state;
  // Entries that expired while the server was down, removed so the file stays bounded.
  if (expired.length > 0) {
    for (const key of expired) void db.remove(key as never);
    await db.flushed;
  }
  let pending: Promise<unknown> = Promise.resolve();
  const put = (key: unknown[], value: unknown) => {
    pending = db.put(key as never, value);
  };
  const remove = (key: unknown[]) => {
    pending = db.remove(key as never);
  };
  const journal: MemoryJournal = {
    site: (siteId, raw) => put([SITE, siteId], raw),
    reportId: (key, value, exp) =>
      value ? put([REPORT_ID, key], [value.bodyHash, value.applied, exp]) : remove([REPORT_ID, key]),
    batchId: (key, exp) => (exp === null ? remove([BATCH_ID, key]) : put([BATCH_ID, key], exp)),
    token: (tokenId, rec) => (rec ? put([TOKEN, tokenId], rec) : remove([TOKEN, tokenId])),
    notice: (id, rec) => (rec ? put([NOTICE, id], rec) : remove([NOTICE, id])),
    // Writes commit in order, so the last one committed means all before it are; db.flushed then
    // resolves once that commit is synced to disk (fsync), which is when a write may be answered.
    commit: async () => {
      await pending;
      await db.flushed;
    },
  };
  const history: HistoryBackend = {
    write(siteId, p, nowMs) {
      historyExpiry(siteId);
      put([HISTORY, siteId, Math.floor(p.atMs / MINUTE_MS) * MINUTE_MS], packPoint(p));
      // Trimmed from the oldest end: usually one point, read from the memory map (no I/O).
      const cutoff = nowMs - HISTORY_RETENTION_MS;
      for (const { key, value } of db.getRange({
        start: [HISTORY, siteId],
        end: [HISTORY, siteId, cutoff + MINUTE_MS],
      })) {
        if ((value as [number])[0] >= cutoff) break;
        remove(key as unknown[]);
      }
      put([HISTORY_EXPIRY, siteId], now() + HISTORY_RETENTION_MS);
    },
    read(siteId, fromMs, toMs) {
      if (!historyExpiry(siteId)) return [];
      const out: HistoryPoint[] = [];
      const start = Math.floor(fromMs / MINUTE_MS) * MINUTE_MS;
      const end = Number.isFinite(toMs) ? toMs + 1 : Number.MAX_SAFE_INTEGER;
      for (const { value } of db.getRange({
        start: [HISTORY, siteId, Number.isFinite(start) ? start : 0],
        end: [HISTORY, siteId, end],
      })) {
        const atMs = (value as StoredPoint)[0];
        if (atMs >= fromMs && atMs <= toMs) out.push(unpackPoint(value as StoredPoint));
      }
      return out;
    },
  };
  /** False (and the points removed) once the site's history has expired; true while it lives. */
  function historyExpiry(siteId: string): boolean {
    const exp = db.get([HISTORY_EXPIRY, siteId] as never) as number | undefined;
    if (exp === undefined) return false;
    if (exp > now()) return true;
    for (const key of db.getKeys({ start: [HISTORY, siteId], end: [HISTORY, siteId, Number.MAX_SAFE_INTEGER] }))
      remove(key as unknown[]);
    remove([HISTORY_EXPIRY, siteId]);
    return false;
  }
  const store = createMemoryStore({ logger: opts.logger, now, initial, journal, history });
  let closing: Promise<void> | undefined;
  return {
    store,
    root: db,
    close: () =>
      (closing ??= (async () => {
        await store.close();
        await pending.catch(() => undefined);
        await db.flushed;
        await db.close();
      })()),
  };
}

function writeState(db: RootDatabase, st: MemoryState): void {
  for (const [id, raw] of st.sites) db.put([SITE, id], raw);
  for (const [k, v, exp] of st.reportIds) db.put([REPORT_ID, k], [v.bodyHash, v.applied, exp]);
  for (const [k, exp] of st.batchIds) db.put([BATCH_ID, k], exp);
  for (const [id, pts, exp] of st.histories) {
    for (const p of pts) db.put([HISTORY, id, Math.floor(p.atMs / MINUTE_MS) * MINUTE_MS], packPoint(p));
    db.put([HISTORY_EXPIRY, id], exp);
  }
  for (const t of st.tokens) db.put([TOKEN, t.tokenId], t);
  for (const n of st.notices) db.put([NOTICE, n.id], n);
}

/** The whole database as a MemoryState, expired entries left out (removed on their next touch). */
function readState(db: RootDatabase, t: number): { state: MemoryState; expired: unknown[][] } {
  const expired: unknown[][] = [];
  const range = (kind: string) => db.getRange({ start: [kind], end: [kind, '\uffff'] });
  const sites: MemoryState['sites'] = [];
  for (const { key, value } of range(SITE)) sites.push([(key as unknown[])[1] as string, value as RawSiteState]);
  const reportIds: MemoryState['reportIds'] = [];
  for (const { key, value } of range(REPORT_ID)) {
    const [bodyHash, applied, exp] = value as [string, boolean, number];
    if (exp > t) reportIds.push([(key as unknown[])[1] as string, { bodyHash, applied }, exp]);
    else expired.push(key as unknown[]);
  }
  // ExpiringMap expects its entries oldest first.
  reportIds.sort((a, b) => a[2] - b[2]);
  const batchIds: MemoryState['batchIds'] = [];
  for (const { key, value } of range(BATCH_ID)) {
    if ((value as number) > t) batchIds.push([(key as unknown[])[1] as string, value as number]);
    else expired.push(key as unknown[]);
  }
  batchIds.sort((a, b) => a[1] - b[1]);
  // Histories stay in LMDB (see the history backend); expired ones go on their next touch.
  const histories: MemoryState['histories'] = [];
  const tokens: StaffTokenRecord[] = [];
  for (const { value } of range(TOKEN)) tokens.push(value as StaffTokenRecord);
  const notices: NoticeRecord[] = [];
  for (const { value } of range(NOTICE)) notices.push(value as NoticeRecord);
  return { state: { sites, reportIds, batchIds, histories, tokens, notices }, expired };
}
