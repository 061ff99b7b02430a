// Durability of the embedded store: every change is also written to an LMDB database, and a write
// is answered only once LMDB has committed and synced it (see docs/store-durability.md). LMDB is
// copy-on-write with a double-buffered meta page, so a crash at any moment leaves the last synced
// transaction intact: recovery is simply opening the file, nothing to replay or repair. The state
// is also kept in memory (memory.ts) for reads; LMDB is read once, at start.
//
// Writes are queued by lmdb-js within one event turn and committed together on its own write
// thread (group commit): the event loop only encodes the changed records (a few microseconds
// each), never the whole state, whatever the history length.
import { existsSync, renameSync } from 'node:fs';
import { open, type RootDatabase } from 'lmdb';
import type { RawSiteState } from '../../shared/domain.js';
import type { Logger } from '../logger.js';
import { createMemoryStore, type MemoryJournal, type MemoryState, type MemoryStore } from './memory.js';
import { readStoreFile } from './memory-file.js';
import { HISTORY_RETENTION_MS, type HistoryPoint, type NoticeRecord, type StaffTokenRecord } from './types.js';

// Key layout: [kind, ...]; ordered-binary keys keep a site's history points in time order.
const SITE = 's';
const HISTORY = 'h';
const REPORT_ID = 'r';
const BATCH_ID = 'b';
const TOKEN = 't';
const NOTICE = 'n';
const META = 'meta';

const FORMAT = 1;

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
  /** Waits for pending writes and closes the database. Idempotent. */
  close(): Promise<void>;
}

/** Opens (or creates) the database, loads it, and returns an embedded store persisting to it. */
export async function openEmbeddedDb(opts: EmbeddedDbOptions): Promise<EmbeddedDb> {
  const now = opts.now ?? Date.now;
  const db: RootDatabase = open({
    path: opts.path,
    // Each commit is synced before its promise resolves: an answered write is on disk.
    overlappingSync: false,
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

  const { state: initial, expired } = readState(db, now());
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
    historyPut: (siteId, p) => put([HISTORY, siteId, p.atMs], [p.queue, p.waitMinutes, p.source]),
    historyRemove: (siteId, atMs) => remove([HISTORY, siteId, atMs]),
    reportId: (key, value, exp) => (value ? put([REPORT_ID, key], [value.bodyHash, value.applied, exp]) : remove([REPORT_ID, key])),
    batchId: (key, exp) => (exp === null ? remove([BATCH_ID, key]) : put([BATCH_ID, key], exp)),
    token: (tokenId, rec) => (rec ? put([TOKEN, tokenId], rec) : remove([TOKEN, tokenId])),
    notice: (id, rec) => (rec ? put([NOTICE, id], rec) : remove([NOTICE, id])),
    // Writes commit in order, so the last one committed means all before it are.
    commit: async () => {
      await pending;
    },
  };
  const store = createMemoryStore({ logger: opts.logger, now, initial, journal });
  let closing: Promise<void> | undefined;
  return {
    store,
    close: () => (closing ??= (async () => {
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
  for (const [id, pts] of st.histories) for (const p of pts) db.put([HISTORY, id, p.atMs], [p.queue, p.waitMinutes, p.source]);
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
  const bySite = new Map<string, HistoryPoint[]>();
  for (const { key, value } of db.getRange({ start: [HISTORY], end: [HISTORY, '\uffff'] })) {
    const [, siteId, atMs] = key as [string, string, number];
    const [queue, waitMinutes, source] = value as [number | null, number | null, HistoryPoint['source']];
    let pts = bySite.get(siteId);
    if (!pts) bySite.set(siteId, (pts = []));
    pts.push({ atMs, queue, waitMinutes, source });
  }
  const histories: MemoryState['histories'] = [];
  for (const [siteId, pts] of bySite) {
    // Idle histories expire one retention after their last point, as the Redis key would.
    const expiresAt = pts[pts.length - 1]!.atMs + HISTORY_RETENTION_MS;
    if (expiresAt > t) histories.push([siteId, pts, expiresAt]);
    else for (const p of pts) expired.push([HISTORY, siteId, p.atMs]);
  }
  const tokens: StaffTokenRecord[] = [];
  for (const { value } of range(TOKEN)) tokens.push(value as StaffTokenRecord);
  const notices: NoticeRecord[] = [];
  for (const { value } of range(NOTICE)) notices.push(value as NoticeRecord);
  return { state: { sites, reportIds, batchIds, histories, tokens, notices }, expired };
}
