// The last live snapshot, kept in the Cache API under `/api/live` (the body that endpoint
// answers), so that a page opened offline from the service worker's shell still shows the
// last numbers with their age. The feed worker writes it (throttled) and reads it back when
// the socket cannot connect before any live data arrived.
import type { Snapshot } from '../../../shared/schemas.js';

export const DATA_CACHE = 'shortline-resident-data';
export const LIVE_KEY = '/api/live';
/** At most one write per this long: a 50,000-site snapshot is megabytes of JSON. */
const SAVE_EVERY_MS = 30_000;

export class SnapshotCache {
  private lastSave = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;

  /** Schedules a write of what `take` returns then (the newest state, not today's). */
  changed(take: () => Snapshot): void {
    if (this.timer !== null || typeof caches === 'undefined') return;
    const wait = Math.max(0, this.lastSave + SAVE_EVERY_MS - Date.now());
    this.timer = setTimeout(() => {
      this.timer = null;
      this.lastSave = Date.now();
      void this.write(take()).catch(() => undefined);
    }, wait);
  }

  private async write(s: Snapshot): Promise<void> {
    const cache = await caches.open(DATA_CACHE);
    await cache.put(LIVE_KEY, new Response(JSON.stringify(s), { headers: { 'content-type': 'application/json' } }));
  }

  async load(): Promise<Snapshot | null> {
    if (typeof caches === 'undefined') return null;
    try {
      const res = await (await caches.open(DATA_CACHE)).match(LIVE_KEY);
      if (!res) return null;
      const s = (await res.json()) as Snapshot;
      return Array.isArray(s.sites) && typeof s.at === 'string' ? s : null;
    } catch {
      return null;
    }
  }
}
