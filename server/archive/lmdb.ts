// The archive in the embedded store's LMDB environment, as a named sub-database of its own
// ("archive"): keys [hourMs, siteId] -> PackedRow, and [hourMs, ''] -> when the hour expires, written
// in the same transaction as its rows (so an hour is archived whole or not at all). The marker has
// an empty site id rather than being [hourMs]: ordered-binary stores a one-element array as its
// element, which then reads back as a number. Site ids are never empty (shared/schemas.ts). Hour first in
// the key: retention removes from the start of the database, and an hour is one contiguous range.
import type { Key, RootDatabase } from 'lmdb';
import { nextTurn } from '../turns.js';
import { HOUR, type HourRow } from './hour-rows.js';
import { pack, unpack, type HourArchive, type PackedRow } from './types.js';

export function createLmdbArchive(root: RootDatabase, now: () => number): HourArchive {
  const db = root.openDB<unknown, Key[]>({ name: 'archive' });
  const MARK = '';
  const expiry = (hourMs: number) => db.get([hourMs, MARK]) as number | undefined;
  const live = (hourMs: number) => {
    const exp = expiry(hourMs);
    return exp !== undefined && exp > now();
  };
  return {
    kind: 'lmdb',
    async putHour(hourMs, rows, expiresAtMs) {
      if (expiresAtMs <= now()) return;
      await db.transaction(() => {
        for (const [id, r] of rows) void db.put([hourMs, id], pack(r));
        void db.put([hourMs, MARK], expiresAtMs);
      });
    },
    async hasHour(hourMs) {
      return live(hourMs);
    },
    async hour(hourMs) {
      const out = new Map<string, HourRow>();
      if (!live(hourMs)) return out;
      for (const { key, value } of db.getRange({ start: [hourMs, MARK], end: [hourMs + 1] }))
        if (key[1] !== MARK) out.set(key[1] as string, unpack(hourMs, value as PackedRow));
      return out;
    },
    async siteHours(siteId, fromMs, toMs) {
      const out: HourRow[] = [];
      for (let h = Math.ceil(fromMs / HOUR) * HOUR; h < toMs; h += HOUR) {
        if (!live(h)) continue;
        const p = db.get([h, siteId]) as PackedRow | undefined;
        if (p) out.push(unpack(h, p));
      }
      return out;
    },
    async prune() {
      // Hours expire in the order they were archived; stop at the first that lives. One hour per
      // transaction (~1,000 removes), the loop yielding between them.
      for (;;) {
        let h: number | undefined;
        for (const key of db.getKeys({ start: [0], limit: 1 })) h = key[0] as number;
        if (h === undefined) return;
        if (live(h)) return;
        // The hour's keys are read first, then removed in one write transaction.
        const keys = [...db.getKeys({ start: [h], end: [h + 1] })];
        await db.transaction(() => {
          for (const key of keys) void db.remove(key);
        });
        await nextTurn();
      }
    },
  };
}
