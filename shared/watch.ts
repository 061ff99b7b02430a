// "Notify me": a resident watches a site and is told once when its wait comes down to a chosen
// number of minutes, or when it reopens. The rule lives here, pure, so that the page (while it is
// open) and the server (Web Push) decide alike. No zod here: the resident page imports this file.
import type { LiveState } from './schemas.js';

/** The waits a resident may choose from on the page (the API takes any whole minute 1-180). */
export const WATCH_THRESHOLDS = [5, 10, 15, 20, 30] as const;
/** A watch nobody's condition met within this long is forgotten: a day out is over by then. */
export const WATCH_TTL_MS = 12 * 3600_000;
/** Watches at once per device (page) and per push subscription (server): a few places, not a city. */
export const MAX_WATCHES = 5;

export type WatchCondition = { belowMinutes: number; reopen?: never } | { reopen: true; belowMinutes?: never };
export type WatchKind = 'below' | 'reopen';

type LiveLike = Pick<LiveState, 'status' | 'level' | 'waitMinutes' | 'source'>;

/** A site a resident could go to now: open by status and by the level's reading of its hours. */
const isOpen = (l: LiveLike): boolean => l.status === 'open' && l.level !== 'closed';

/**
 * Whether `live` meets the watch's condition, and how: "below" once the wait is known and at most
 * the chosen minutes ("down to 10 minutes" includes 10), "reopen" once the site is open again.
 * Null (no data, aged out) never meets anything, and neither does a site the command centre tells
 * people to stay away from, however short its queue: the watch waits until the notice is lifted.
 */
export function watchMet(
  cond: WatchCondition,
  live: LiveLike | null | undefined,
  /** Nobody should go there now (a "closed" or "go elsewhere" notice, or past its hours): never met. */
  stayAway = false,
): WatchKind | null {
  if (stayAway || !live || !isOpen(live)) return null;
  if (cond.reopen) return 'reopen';
  const ok = live.source !== 'none' && live.waitMinutes !== null && live.waitMinutes <= cond.belowMinutes;
  return ok ? 'below' : null;
}

export interface WatchChoices {
  /** Closed or paused: the only thing worth waiting for is its reopening. */
  reopen: boolean;
  /** Thresholds below the wait now (all of them when the wait is unknown). */
  thresholds: number[];
  /** The one proposed: the largest no more than 60% of the wait now; 10 when it is unknown. */
  initial: number | null;
}

/**
 * What the page offers for a site as it is now. A threshold at or above the current wait would be
 * met at once, so only lower ones are offered; a site already at the lowest has none.
 */
export function watchChoices(live: LiveLike | null | undefined): WatchChoices {
  if (live && !isOpen(live)) return { reopen: true, thresholds: [], initial: null };
  const wait = live && live.source !== 'none' ? live.waitMinutes : null;
  if (wait === null) return { reopen: false, thresholds: [...WATCH_THRESHOLDS], initial: 10 };
  const thresholds = WATCH_THRESHOLDS.filter((n) => n < wait);
  const near = thresholds.filter((n) => n <= wait * 0.6);
  return { reopen: false, thresholds, initial: near.at(-1) ?? thresholds[0] ?? null };
}
