// The archive in memory, for STORE_FILE=off (tests, demos): lost on restart like the rest of that store.
import type { HourRow } from './hour-rows.js';
import { HOUR } from './hour-rows.js';
import { pack, unpack, type HourArchive, type PackedRow } from './types.js';

export function createMemoryArchive(now: () => number): HourArchive {
  const hours = new Map<number, { rows: Map<string, PackedRow>; expiresAt: number }>();
  const live = (hourMs: number) => {
    const h = hours.get(hourMs);
    if (h && h.expiresAt <= now()) {
      hours.delete(hourMs);
      return undefined;
    }
    return h;
  };
  return {
    kind: 'memory',
    async putHour(hourMs, rows, expiresAtMs) {
      if (expiresAtMs <= now()) return;
      hours.set(hourMs, { rows: new Map(rows.map(([id, r]) => [id, pack(r)])), expiresAt: expiresAtMs });
    },
    async hasHour(hourMs) {
      return live(hourMs) !== undefined;
    },
    async hour(hourMs) {
      const out = new Map<string, HourRow>();
      for (const [id, p] of live(hourMs)?.rows ?? []) out.set(id, unpack(hourMs, p));
      return out;
    },
    async siteHours(siteId, fromMs, toMs) {
      const out: HourRow[] = [];
      for (let h = Math.ceil(fromMs / HOUR) * HOUR; h < toMs; h += HOUR) {
        const p = live(h)?.rows.get(siteId);
        if (p) out.push(unpack(h, p));
      }
      return out;
    },
    async prune() {
      for (const h of [...hours.keys()]) live(h);
    },
  };
}
