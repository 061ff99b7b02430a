// Plain-data helpers of the embedded store (memory.ts): copies that keep callers out of its
// state, binary search over a site's sorted history, and a map whose entries expire like Redis keys.
import { emptyRaw, type RawSiteState } from '../../shared/domain.js';
import type { HistoryPoint } from './types.js';

// Records are flat objects of primitives, so a spread is a full copy: callers can never reach
// into the store's state, as they cannot with Redis.
export function copyRaw(raw: RawSiteState | undefined): RawSiteState {
  if (!raw) return emptyRaw();
  return {
    staff: raw.staff && { ...raw.staff },
    carrier: raw.carrier && { ...raw.carrier },
    // Calibration is opaque JSON (its shape belongs to the estimator): a deep copy.
    calibration: raw.calibration && structuredClone(raw.calibration),
  };
}

export function copyPoint(p: HistoryPoint): HistoryPoint {
  const out: HistoryPoint = { atMs: p.atMs, queue: p.queue, waitMinutes: p.waitMinutes, source: p.source };
  // Optional fields only when present, as the other stores give them back.
  if (p.lanesOpen !== undefined) out.lanesOpen = p.lanesOpen;
  if (p.served !== undefined) out.served = p.served;
  return out;
}

/** First index whose point fails the test (points sorted by atMs, the test true for a prefix). */
function partitionPoint(pts: readonly HistoryPoint[], before: (p: HistoryPoint) => boolean): number {
  let lo = 0;
  let hi = pts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (before(pts[mid]!)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index of a point at or after atMs. */
export const lowerBound = (pts: readonly HistoryPoint[], atMs: number) => partitionPoint(pts, (p) => p.atMs < atMs);
/** First index of a point after atMs. */
export const upperBound = (pts: readonly HistoryPoint[], atMs: number) => partitionPoint(pts, (p) => p.atMs <= atMs);

/**
 * A map whose entries vanish a fixed TTL after they were set, checked lazily against the store's
 * clock, like a Redis key with PX.
 */
export class ExpiringMap<V> {
  private readonly entries = new Map<string, { value: V; expiresAt: number }>();

  constructor(
    private readonly now: () => number,
    private readonly ttlMs: number,
    /** Told of every set and every removal, so a journal can mirror the map. */
    private readonly hooks?: { set(key: string, value: V, expiresAt: number): void; deleted(key: string): void },
  ) {}

  get(key: string): V | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (e.expiresAt <= this.now()) {
      this.entries.delete(key);
      this.hooks?.deleted(key);
      return undefined;
    }
    return e.value;
  }

  set(key: string, value: V): void {
    this.sweep();
    const expiresAt = this.now() + this.ttlMs;
    // Re-inserted, so the insertion order stays the expiry order that sweep() relies on.
    this.entries.delete(key);
    this.entries.set(key, { value, expiresAt });
    this.hooks?.set(key, value, expiresAt);
  }

  /** Puts back an entry with the expiry it had; entries must be restored oldest first. */
  restore(key: string, value: V, expiresAt: number): void {
    this.entries.set(key, { value, expiresAt });
  }

  /** Entries not expired at t, oldest first, with their expiry. */
  live(t: number): Array<[string, V, number]> {
    const out: Array<[string, V, number]> = [];
    for (const [k, e] of this.entries) if (e.expiresAt > t) out.push([k, e.value, e.expiresAt]);
    return out;
  }

  // A Map iterates in insertion order and every entry has the same TTL, so expired entries sit
  // at the front: dropping them on each write bounds memory at amortised O(1) per write.
  private sweep(): void {
    const t = this.now();
    for (const [key, e] of this.entries) {
      if (e.expiresAt > t) break;
      this.entries.delete(key);
      this.hooks?.deleted(key);
    }
  }
}
