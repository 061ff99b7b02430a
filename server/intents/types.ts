// People on their way: anonymous "I'm going" intents (POST /api/intents), counted per site until
// the ETA plus a grace period, or until the site's estimate rests on an observation made after the
// ETA (the person is then in the queue the wait was made from, and would be counted twice). Kept apart from the Store: intents are short-lived counters that
// need no persistence, and several instances on one Redis must see the same counts.
// Nothing identifying is kept: a site id and an expiry time per intent, nothing else.

/** The longest ETA accepted (minutes): beyond this nobody is "on their way". */
export const MAX_ETA_MIN = 180;
/**
 * How long after the ETA an intent still counts: people walk slower than planned, and until they
 * have joined the queue a staff count cannot see them either.
 */
export const INTENT_GRACE_MIN = 10;
/** Intents one client may send per minute (bursts of INTENT_BURST): a household, not a script. */
export const INTENTS_PER_MIN = 6;
export const INTENT_BURST = 4;
/** Counts are read at most this often from a shared store by one instance. */
export const INTENT_COUNTS_CACHE_MS = 1000;

/** When the observation a site's estimate rests on was made (epoch ms), or null. */
export type SeenAt = (siteId: string) => number | null;

/** Whether an intent expiring at `expiresAtMs` is still someone the site's estimate cannot see. */
export function unseen(siteId: string, expiresAtMs: number, seenAt: SeenAt | undefined): boolean {
  const seen = seenAt?.(siteId) ?? null;
  return seen === null || expiresAtMs - INTENT_GRACE_MIN * 60_000 > seen;
}

export interface IntentCounter {
  readonly kind: 'memory' | 'redis';
  /** Records one person on their way to `siteId`, counted until `expiresAtMs`. */
  add(siteId: string, expiresAtMs: number): Promise<void>;
  /**
   * People on their way per site at `nowMs` (sites with none are absent). With `seenAt`, an intent
   * whose ETA is not after the site's latest observation (epoch ms; null: none) is not counted.
   */
  counts(nowMs: number, seenAt?: SeenAt): Promise<Map<string, number>>;
  close(): Promise<void>;
}

/** The embedded store's counterpart: one process, expiry times per site. */
export function createMemoryIntents(): IntentCounter {
  const bySite = new Map<string, number[]>();
  const prune = (nowMs: number) => {
    for (const [site, list] of bySite) {
      const kept = list.filter((t) => t > nowMs);
      if (kept.length) bySite.set(site, kept);
      else bySite.delete(site);
    }
  };
  return {
    kind: 'memory',
    add: (siteId, expiresAtMs) => {
      const list = bySite.get(siteId);
      if (list) list.push(expiresAtMs);
      else bySite.set(siteId, [expiresAtMs]);
      return Promise.resolve();
    },
    counts: (nowMs, seenAt) => {
      prune(nowMs);
      const out = new Map<string, number>();
      for (const [site, list] of bySite) {
        const n = list.filter((t) => unseen(site, t, seenAt)).length;
        if (n) out.set(site, n);
      }
      return Promise.resolve(out);
    },
    close: () => Promise.resolve(),
  };
}
