// The store: everything shortline keeps. Two implementations, embedded (in process, one machine)
// and Redis (any number of instances); one contract suite (contract.test.ts) runs against both.
import type { Calibration, CarrierRecord, RawSiteState, StaffRecord } from '../../shared/domain.js';
import type { Source } from '../../shared/schemas.js';

/** How long a staff report id is remembered for idempotent replays (contract: at least 7 days). */
export const REPORT_ID_TTL_MS = 7 * 24 * 3600_000;
/** How long a carrier batch id is remembered, so a replayed batch has no effect. */
export const BATCH_ID_TTL_MS = 7 * 24 * 3600_000;
/** History is served for up to 72 hours; one hour more so a 72 h window is always full. */
export const HISTORY_RETENTION_MS = 73 * 3600_000;

/** One point of a site's history: the fused state as it was shown, at minute resolution. */
export interface HistoryPoint {
  /** Epoch ms; stored per minute, the last write within a minute wins. */
  atMs: number;
  queue: number | null;
  waitMinutes: number | null;
  source: Source;
  /**
   * Lanes open as the fused state had them; absent on points written before lanes were kept and
   * when nothing was known (no fresh data). Absent rather than null: history is kept for days, and
   * an omitted field costs nothing.
   */
  lanesOpen?: number;
  /**
   * The staff report's cumulative served counter, when it carries one (the hourly `served` is its
   * increase, archive/hour-rows.ts): on the report's point, and on a carrier point of the same
   * minute, which replaces the report's (one point a minute, the last write wins).
   */
  served?: number;
}

export type StaffApplyResult =
  | { outcome: 'applied'; raw: RawSiteState }
  /** observedAt older than the newest applied staff report: nothing changed. */
  | { outcome: 'outdated'; raw: RawSiteState }
  /** Same reportId and same body as before: the first answer, nothing applied again. */
  | { outcome: 'replay'; applied: boolean; raw: RawSiteState }
  /** Same reportId with another body. */
  | { outcome: 'mismatch' };

export interface StaffApplyInput {
  siteId: string;
  record: StaffRecord;
  /** Hash of the canonical request body; decides replay vs mismatch. */
  bodyHash: string;
  /** Instance id of the writer; carried on the change message so it can ignore its own. */
  origin: string;
  nowMs: number;
  /** Recorded in the site's history only if the report is applied. */
  historyPoint: HistoryPoint;
  /** Set only if the report is applied; undefined leaves the stored calibration as it is. */
  calibration?: Calibration;
}

export interface CarrierApplyItem {
  siteId: string;
  carrier: CarrierRecord;
  historyPoint: HistoryPoint;
  calibration?: Calibration;
}

export interface CarrierApplyInput {
  batchId: string;
  origin: string;
  nowMs: number;
  /** Only known sites. A reading older than the stored one for its site is skipped. */
  items: CarrierApplyItem[];
}

export interface StaffTokenRecord {
  tokenId: string;
  /** SHA-256 hex of the token; the token itself is never stored in the clear (see sealed). */
  hash: string;
  siteId: string;
  label: string | null;
  createdAtMs: number;
  /**
   * The token sealed with the server's key (auth/seal.ts), so an enrolment sheet can print this
   * link again; absent on records issued before sealing existed.
   */
  sealed?: string;
}

/** A command-centre notice to residents; few and small, stored whole. */
export interface NoticeRecord {
  id: string;
  /** Null: city-wide. */
  siteId: string | null;
  kind: 'closed' | 'redirect' | 'info';
  message: string;
  redirectSiteId: string | null;
  createdAtMs: number;
  expiresAtMs: number;
}

/** What changed, as published to every instance sharing the store. */
export type ChangeMessage =
  | { kind: 'sites'; origin: string; sites: Array<{ siteId: string; raw: Partial<RawSiteState> }> }
  | { kind: 'revoked'; origin: string; tokenId: string; siteId: string }
  /** The set of notices changed; listeners re-read them (they are few). */
  | { kind: 'notices'; origin: string }
  /**
   * Emitted locally (never published) when the subscription was re-established after a break:
   * messages may have been missed, so the listener should reload everything.
   */
  | { kind: 'resync'; origin: string };

export type ChangeListener = (msg: ChangeMessage) => void;

export interface SubscribeOptions {
  ignoreOrigin?: string;
}

/** A listener as a store keeps it: a new wrapper per subscription, knowing the origin it ignores. */
export type Subscription = ChangeListener & { readonly ignore: string | undefined };

/**
 * Wraps `listener` for one subscription, so subscribing one function twice needs two
 * unsubscribes; it skips messages of `ignoreOrigin` ('resync' always passes).
 */
export function subscription(listener: ChangeListener, opts?: SubscribeOptions): Subscription {
  const ignore = opts?.ignoreOrigin;
  const entry = (msg: ChangeMessage) => {
    if (ignore === undefined || msg.kind === 'resync' || msg.origin !== ignore) listener(msg);
  };
  return Object.assign(entry, { ignore });
}

export interface Store {
  readonly kind: 'embedded' | 'redis';

  /** Atomic: idempotency check, out-of-order check, write, history point, change message. */
  applyStaffReport(input: StaffApplyInput): Promise<StaffApplyResult>;

  /**
   * Applies a carrier batch once: a batch id seen before gives { duplicate: true, applied: 0 } and
   * changes nothing. `applied` counts readings stored (not skipped as older than what is stored).
   */
  applyCarrierBatch(input: CarrierApplyInput): Promise<{ duplicate: boolean; applied: number }>;

  /** Raw state of the given sites (sites never written get an empty RawSiteState). */
  loadSites(siteIds: readonly string[]): Promise<Map<string, RawSiteState>>;

  /** History points of one site with fromMs <= atMs <= toMs, oldest first. */
  history(siteId: string, fromMs: number, toMs: number): Promise<HistoryPoint[]>;

  /** All or none: one transaction, so a failed write leaves no token of the batch findable. */
  createStaffTokens(recs: readonly StaffTokenRecord[]): Promise<void>;
  findStaffToken(hash: string): Promise<StaffTokenRecord | null>;
  /** Removes the token and publishes a 'revoked' message; null if there was no such token. */
  revokeStaffToken(tokenId: string, origin: string): Promise<StaffTokenRecord | null>;
  /** Oldest first, ties by id (order.ts), in both stores. */
  listStaffTokens(siteId?: string): Promise<StaffTokenRecord[]>;

  /** Stores a notice and publishes a 'notices' message. */
  putNotice(rec: NoticeRecord, origin: string): Promise<void>;
  /** Removes a notice and publishes a 'notices' message; false if there was none. */
  deleteNotice(id: string, origin: string): Promise<boolean>;
  /** Notices not expired at nowMs, oldest first; expired ones are dropped on the way. */
  listNotices(nowMs: number): Promise<NoticeRecord[]>;

  /**
   * Listen to change messages of every instance, own ones included unless `ignoreOrigin` names
   * this instance ('resync' always comes). When every listener ignores a message's origin, the
   * Redis store does not even parse it: each write comes back to its own instance over pub/sub.
   */
  subscribe(listener: ChangeListener, opts?: SubscribeOptions): () => void;

  /**
   * Runs `fn` while no other call with the same `name` runs, on this instance or any other sharing
   * the store (lock.ts); rejects with StoreUnavailableError if the name stays held elsewhere.
   */
  exclusive<T>(name: string, fn: () => Promise<T>): Promise<T>;

  /** Resolves while the store answers; rejects with StoreUnavailableError otherwise. */
  ping(): Promise<void>;

  /** Idempotent. */
  close(): Promise<void>;
}

/** Thrown by a store that cannot take or serve a request now; becomes 503 store_unavailable. */
export class StoreUnavailableError extends Error {
  constructor(message = 'store unavailable', options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreUnavailableError';
  }
}
