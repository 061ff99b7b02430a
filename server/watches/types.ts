// "Notify me" watches for Web Push (POST /api/watches): a push subscription, a site and a
// condition, until it fires once or expires. Kept apart from the Store, as intents are: short-lived
// records that need no history or replay, shared by every instance on one Redis (redis.ts) or
// held in the process with the embedded store (below). Nothing identifies a person: the
// subscription is what the browser's push service needs to reach the device, and nothing more.
import { createHash } from 'node:crypto';
import type { WatchCondition } from '../../shared/watch.js';
import type { PushSubscriptionInput } from '../../shared/watch-schema.js';

/** Watches one client may create or cancel per minute (bursts of WATCH_BURST): a resident, not a script. */
export const WATCHES_PER_MIN = 10;
export const WATCH_BURST = 6;

export interface WatchRecord {
  /** Random, unguessable: holding it is what allows cancelling the watch. */
  id: string;
  siteId: string;
  cond: WatchCondition;
  lang: 'zh-CN' | 'en';
  subscription: PushSubscriptionInput;
  /** Names the subscription (a hash of its endpoint): the per-subscription cap, and "gone" (410). */
  subKey: string;
  expiresAtMs: number;
}

export const subscriptionKey = (endpoint: string): string =>
  createHash('sha256').update(endpoint).digest('base64url').slice(0, 22);

export interface WatchStore {
  readonly kind: 'memory' | 'redis';
  /** Keeps `w` unless its subscription already has `max` live watches (then false, nothing kept). */
  add(w: WatchRecord, nowMs: number, max: number): Promise<boolean>;
  /** Cancels a watch; false when there is none by that id (fired, expired, or never was). */
  remove(id: string): Promise<boolean>;
  /** Sites that may have live watches (a superset; cheap enough to ask once per frame). */
  sitesWatched(nowMs: number): Promise<Set<string>>;
  /** The live watches of one site. */
  forSite(siteId: string, nowMs: number): Promise<WatchRecord[]>;
  /**
   * Takes `w` out for sending: true for exactly one caller, however many instances see the same
   * change at once, so each watch is pushed once.
   */
  claim(w: WatchRecord): Promise<boolean>;
  /** Drops every watch of a subscription the push service says is gone (404/410); how many. */
  removeSubscription(subKey: string): Promise<number>;
  close(): Promise<void>;
}

/** The embedded store's counterpart: one process, watches indexed by site and by subscription. */
export function createMemoryWatches(): WatchStore {
  const byId = new Map<string, WatchRecord>();
  const bySite = new Map<string, Set<string>>();
  const bySub = new Map<string, Set<string>>();
  const index = (m: Map<string, Set<string>>, k: string) => m.get(k) ?? m.set(k, new Set()).get(k)!;
  const unindex = (m: Map<string, Set<string>>, k: string, id: string) => {
    const s = m.get(k);
    s?.delete(id);
    if (s?.size === 0) m.delete(k);
  };
  const drop = (w: WatchRecord): boolean => {
    if (byId.get(w.id) !== w) return false;
    byId.delete(w.id);
    unindex(bySite, w.siteId, w.id);
    unindex(bySub, w.subKey, w.id);
    return true;
  };
  const live = (ids: Iterable<string>, nowMs: number): WatchRecord[] => {
    const out: WatchRecord[] = [];
    for (const id of [...ids]) {
      const w = byId.get(id);
      if (!w) continue;
      if (w.expiresAtMs > nowMs) out.push(w);
      else drop(w);
    }
    return out;
  };
  return {
    kind: 'memory',
    add: (w, nowMs, max) => {
      if (live(bySub.get(w.subKey) ?? [], nowMs).length >= max) return Promise.resolve(false);
      byId.set(w.id, w);
      index(bySite, w.siteId).add(w.id);
      index(bySub, w.subKey).add(w.id);
      return Promise.resolve(true);
    },
    remove: (id) => {
      const w = byId.get(id);
      return Promise.resolve(w ? drop(w) : false);
    },
    sitesWatched: () => Promise.resolve(new Set(bySite.keys())),
    forSite: (siteId, nowMs) => Promise.resolve(live(bySite.get(siteId) ?? [], nowMs)),
    claim: (w) => Promise.resolve(drop(byId.get(w.id) ?? w)),
    removeSubscription: (subKey) => {
      const list = [...(bySub.get(subKey) ?? [])].map((id) => byId.get(id)!).filter(Boolean);
      return Promise.resolve(list.filter(drop).length);
    },
    close: () => Promise.resolve(),
  };
}
