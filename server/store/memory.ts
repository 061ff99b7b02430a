// The embedded store: everything in this process, for a single machine without Redis. It keeps
// the Redis store's semantics (idempotency, out-of-order checks, TTLs, history retention,
// asynchronous change messages) so the app cannot tell them apart; contract.test.ts checks that.
// Several app instances in one process may share one memory store, like instances share a Redis.
import { emptyRaw, type RawSiteState } from '../../shared/domain.js';
import { createLogger, type Logger } from '../logger.js';
import {
  BATCH_ID_TTL_MS,
  HISTORY_RETENTION_MS,
  REPORT_ID_TTL_MS,
  StoreUnavailableError,
  subscription,
  type CarrierApplyItem,
  type ChangeListener,
  type ChangeMessage,
  type HistoryPoint,
  type NoticeRecord,
  type StaffTokenRecord,
  type Store,
} from './types.js';
import { localExclusive } from './lock.js';
import { copyPoint, copyRaw, ExpiringMap, lowerBound, upperBound } from './memory-data.js';
import { byNoticeAge, byTokenCreation } from './order.js';
import { nextTurn, READINGS_PER_TURN } from '../turns.js';

export interface MemoryStoreOptions {
  /**
   * The clock TTLs are measured with (report ids, batch ids, idle history), standing in for
   * Redis's own clock; tests inject one to expire data without waiting days.
   * @default Date.now
   */
  now?: () => number;
  /** Where a throwing change listener is reported. @default a pino logger */
  logger?: Logger;
  /** State to start from, as dumped by a previous store (see memory-file.ts). */
  initial?: MemoryState;
  /**
   * Where every change is also written (embedded-durable.ts: LMDB). A write is answered only once
   * the journal has committed it; if a commit fails the store stops answering (503), because its
   * memory then holds a change the disk does not.
   */
  journal?: MemoryJournal;
  /**
   * Where histories live instead of this process's heap (embedded-db.ts keeps them in LMDB only:
   * millions of small objects in the heap make every major GC pause the event loop for seconds).
   */
  history?: HistoryBackend;
}

/** A site's history with the semantics of the Redis script (see writeHistory below). */
export interface HistoryBackend {
  write(siteId: string, point: HistoryPoint, nowMs: number): void;
  read(siteId: string, fromMs: number, toMs: number): HistoryPoint[];
}

/**
 * The changes of the store, one call per changed record, issued synchronously while the store
 * changes; `commit` resolves once everything issued so far is durable.
 */
export interface MemoryJournal {
  site(siteId: string, raw: RawSiteState): void;
  /** null: removed (expired). */
  reportId(key: string, value: { bodyHash: string; applied: boolean } | null, expiresAt: number): void;
  batchId(key: string, expiresAt: number | null): void;
  token(tokenId: string, rec: StaffTokenRecord | null): void;
  notice(id: string, rec: NoticeRecord | null): void;
  commit(): Promise<void>;
}

/** Everything the store holds, as plain data: what memory-file.ts writes to disk. */
export interface MemoryState {
  sites: Array<[string, RawSiteState]>;
  reportIds: Array<[string, { bodyHash: string; applied: boolean }, number]>;
  batchIds: Array<[string, number]>;
  histories: Array<[string, HistoryPoint[], number]>;
  tokens: StaffTokenRecord[];
  notices: NoticeRecord[];
}

export interface MemoryStore extends Store {
  /** A copy of the whole state. */
  dump(): MemoryState;
  /** Grows with every change; a persister saves when it moved. */
  readonly changeCount: number;
}

const MINUTE_MS = 60_000;

export function createMemoryStore(opts: MemoryStoreOptions = {}): MemoryStore {
  const now = opts.now ?? Date.now;
  const log = (opts.logger ?? createLogger()).child({ module: 'store.memory' });
  const sites = new Map<string, RawSiteState>();
  const journal = opts.journal;
  const reportIds = new ExpiringMap<{ bodyHash: string; applied: boolean }>(
    now,
    REPORT_ID_TTL_MS,
    journal && {
      set: (k, v, exp) => journal.reportId(k, v, exp),
      deleted: (k) => journal.reportId(k, null, 0),
    },
  );
  const batchIds = new ExpiringMap<true>(
    now,
    BATCH_ID_TTL_MS,
    journal && {
      set: (k, _v, exp) => journal.batchId(k, exp),
      deleted: (k) => journal.batchId(k, null),
    },
  );
  const histories = new Map<string, { points: HistoryPoint[]; expiresAt: number }>();
  const tokensByHash = new Map<string, StaffTokenRecord>();
  const tokenHashById = new Map<string, string>();
  const notices = new Map<string, NoticeRecord>();
  const listeners = new Set<ChangeListener>();
  const exclusive = localExclusive();
  let closed = false;
  let changeCount = 0;
  if (opts.initial) restore(opts.initial);

  function restore(st: MemoryState): void {
    for (const [id, raw] of st.sites) sites.set(id, copyRaw(raw));
    for (const [k, v, exp] of st.reportIds) reportIds.restore(k, { ...v }, exp);
    for (const [k, exp] of st.batchIds) batchIds.restore(k, true, exp);
    for (const [id, pts, exp] of st.histories) histories.set(id, { points: pts.map(copyPoint), expiresAt: exp });
    for (const t of st.tokens) {
      tokensByHash.set(t.hash, { ...t });
      tokenHashById.set(t.tokenId, t.hash);
    }
    for (const n of st.notices) notices.set(n.id, { ...n });
  }

  function assertOpen(): void {
    if (closed) throw new StoreUnavailableError(broken ? 'store failed to persist a change' : 'store closed');
  }

  let broken = false;
  /** Resolves with `value` once everything changed so far is durable (at once without a journal). */
  async function durable<T>(value: T): Promise<T> {
    if (!journal) return value;
    try {
      await journal.commit();
    } catch (err) {
      log.error({ err }, 'the embedded store could not persist a change; refusing every request from now on');
      broken = true;
      closed = true;
      throw new StoreUnavailableError('store failed to persist a change', { cause: err });
    }
    return value;
  }

  // Delivered after the write call has returned, never inside it, as with Redis pub/sub; a
  // listener that throws must not keep the message from the others.
  function publish(msg: ChangeMessage): void {
    changeCount += 1;
    queueMicrotask(() => {
      if (closed) return;
      for (const listener of [...listeners]) {
        try {
          listener(msg);
        } catch (err) {
          log.error({ err }, 'change listener failed');
        }
      }
    });
  }

  /** The site's history, or undefined once it has expired like the Redis key would. */
  function liveHistory(siteId: string) {
    const h = histories.get(siteId);
    if (h && h.expiresAt <= now()) {
      histories.delete(siteId);
      return undefined;
    }
    return h;
  }

  // Mirrors the Redis script: one point per minute (the last write wins), points older than the
  // retention (counted from the writer's nowMs) trimmed, the whole history expiring when idle.
  function writeHistory(siteId: string, point: HistoryPoint, nowMs: number): void {
    if (opts.history) return opts.history.write(siteId, point, nowMs);
    let h = liveHistory(siteId);
    if (!h) histories.set(siteId, (h = { points: [], expiresAt: 0 }));
    const pts = h.points;
    const minute = Math.floor(point.atMs / MINUTE_MS) * MINUTE_MS;
    const from = lowerBound(pts, minute);
    pts.splice(from, lowerBound(pts, minute + MINUTE_MS) - from);
    pts.splice(lowerBound(pts, point.atMs), 0, copyPoint(point));
    pts.splice(0, lowerBound(pts, nowMs - HISTORY_RETENTION_MS));
    h.expiresAt = now() + HISTORY_RETENTION_MS;
  }

  function applyCarrierItem(item: CarrierApplyItem, nowMs: number): boolean {
    const stored = sites.get(item.siteId);
    if (stored?.carrier && item.carrier.observedAt < stored.carrier.observedAt) return false;
    const raw = stored ?? emptyRaw();
    sites.set(item.siteId, raw);
    raw.carrier = { ...item.carrier };
    if (item.calibration) raw.calibration = structuredClone(item.calibration);
    journal?.site(item.siteId, raw);
    writeHistory(item.siteId, item.historyPoint, nowMs);
    return true;
  }

  return {
    kind: 'embedded',

    async applyStaffReport(input) {
      assertOpen();
      const { siteId, record } = input;
      // Report ids are per site, as in Redis (rid:{site}:id); site ids cannot contain NUL.
      const ridKey = `${siteId}\u0000${record.reportId}`;
      const seen = reportIds.get(ridKey);
      if (seen) {
        // Through durable(): the first answer may still be on its way to disk.
        if (seen.bodyHash !== input.bodyHash) return durable({ outcome: 'mismatch' as const });
        return durable({ outcome: 'replay' as const, applied: seen.applied, raw: copyRaw(sites.get(siteId)) });
      }
      const stored = sites.get(siteId);
      if (stored?.staff && record.observedAt < stored.staff.observedAt) {
        // Remembered all the same, so a replay of this report answers "outdated" again.
        reportIds.set(ridKey, { bodyHash: input.bodyHash, applied: false });
        changeCount += 1;
        return durable({ outcome: 'outdated' as const, raw: copyRaw(stored) });
      }
      const raw = stored ?? emptyRaw();
      sites.set(siteId, raw);
      raw.staff = { ...record };
      if (input.calibration) raw.calibration = structuredClone(input.calibration);
      journal?.site(siteId, raw);
      writeHistory(siteId, input.historyPoint, input.nowMs);
      const change: Partial<RawSiteState> = { staff: { ...record } };
      if (input.calibration) change.calibration = structuredClone(input.calibration);
      publish({ kind: 'sites', origin: input.origin, sites: [{ siteId, raw: change }] });
      reportIds.set(ridKey, { bodyHash: input.bodyHash, applied: true });
      return durable({ outcome: 'applied' as const, raw: copyRaw(raw) });
    },

    async applyCarrierBatch({ batchId, origin, nowMs, items }) {
      assertOpen();
      if (batchIds.get(batchId)) return durable({ duplicate: true, applied: 0 });
      // Marked first: in one process nothing can fail half-way, and a concurrent replay of the
      // same batch while this one yields must see it as a duplicate.
      batchIds.set(batchId, true);
      const changed: Array<{ siteId: string; raw: Partial<RawSiteState> }> = [];
      for (let i = 0; i < items.length; i += READINGS_PER_TURN) {
        if (i > 0) await nextTurn();
        assertOpen();
        for (const item of items.slice(i, i + READINGS_PER_TURN)) {
          if (!applyCarrierItem(item, nowMs)) continue;
          const raw: Partial<RawSiteState> = { carrier: { ...item.carrier } };
          if (item.calibration) raw.calibration = structuredClone(item.calibration);
          changed.push({ siteId: item.siteId, raw });
        }
      }
      if (changed.length > 0) publish({ kind: 'sites', origin, sites: changed });
      return durable({ duplicate: false, applied: changed.length });
    },

    async loadSites(siteIds) {
      assertOpen();
      return new Map(siteIds.map((id) => [id, copyRaw(sites.get(id))]));
    },

    async history(siteId, fromMs, toMs) {
      assertOpen();
      if (opts.history) return opts.history.read(siteId, fromMs, toMs);
      const pts = liveHistory(siteId)?.points ?? [];
      return pts.slice(lowerBound(pts, fromMs), upperBound(pts, toMs)).map(copyPoint);
    },

    async createStaffTokens(recs) {
      assertOpen();
      // Issued in one turn, so the journal commits them together.
      for (const rec of recs) {
        tokensByHash.set(rec.hash, { ...rec });
        tokenHashById.set(rec.tokenId, rec.hash);
        journal?.token(rec.tokenId, rec);
      }
      changeCount += 1;
      await durable(undefined);
    },

    async findStaffToken(hash) {
      assertOpen();
      const rec = tokensByHash.get(hash);
      return rec ? { ...rec } : null;
    },

    async revokeStaffToken(tokenId, origin) {
      assertOpen();
      const hash = tokenHashById.get(tokenId);
      if (hash === undefined) return durable(null);
      tokenHashById.delete(tokenId);
      const rec = tokensByHash.get(hash);
      journal?.token(tokenId, null);
      if (!rec) return durable(null);
      tokensByHash.delete(hash);
      publish({ kind: 'revoked', origin, tokenId, siteId: rec.siteId });
      return durable({ ...rec });
    },

    async listStaffTokens(siteId) {
      assertOpen();
      const all = [...tokensByHash.values()].filter((t) => siteId === undefined || t.siteId === siteId);
      return all.map((t) => ({ ...t })).sort(byTokenCreation);
    },

    async putNotice(rec, origin) {
      assertOpen();
      notices.set(rec.id, { ...rec });
      journal?.notice(rec.id, rec);
      publish({ kind: 'notices', origin });
      await durable(undefined);
    },

    async deleteNotice(id, origin) {
      assertOpen();
      if (!notices.delete(id)) return durable(false);
      journal?.notice(id, null);
      publish({ kind: 'notices', origin });
      return durable(true);
    },

    async listNotices(nowMs) {
      assertOpen();
      for (const [id, n] of notices) {
        if (n.expiresAtMs > nowMs) continue;
        notices.delete(id);
        journal?.notice(id, null);
      }
      return [...notices.values()].map((n) => ({ ...n })).sort(byNoticeAge);
    },

    subscribe(listener, opts) {
      const entry = subscription(listener, opts);
      listeners.add(entry);
      return () => {
        listeners.delete(entry);
      };
    },

    exclusive(name, fn) {
      assertOpen();
      return exclusive(name, fn);
    },

    async ping() {
      assertOpen();
    },

    async close() {
      closed = true;
      listeners.clear();
    },

    get changeCount() {
      return changeCount;
    },

    dump() {
      const t = now();
      return {
        sites: [...sites].map(([id, raw]) => [id, copyRaw(raw)]),
        reportIds: reportIds.live(t).map(([k, v, exp]) => [k, { ...v }, exp]),
        batchIds: batchIds.live(t).map(([k, , exp]) => [k, exp]),
        histories: [...histories]
          .filter(([, h]) => h.expiresAt > t)
          .map(([id, h]) => [id, h.points.map(copyPoint), h.expiresAt]),
        tokens: [...tokensByHash.values()].map((x) => ({ ...x })),
        notices: [...notices.values()].filter((n) => n.expiresAtMs > t).map((n) => ({ ...n })),
      };
    },
  };
}
