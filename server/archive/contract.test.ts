// One contract, three archives (memory, LMDB, Redis), each rolled up from its own store through the
// Archiver exactly as the server runs it, with a manual clock.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  archiveImplementations,
  irregularHistory,
  writeHistory,
  type ArchiveHarness,
} from '../../testing/server/archive-harness.js';
import { defaultConfig } from '../config.js';
import { silentLogger } from '../logger.js';
import type { Site } from '../../shared/schemas.js';
import { HISTORY_RETENTION_MS, type HistoryPoint } from '../store/types.js';

import { emptyHourRow, HOUR, hourRows } from './hour-rows.js';
import { Archiver, ROLLUP_GRACE_MS } from './rollup.js';
import type { HourArchive } from './types.js';

const MIN = 60_000;
const DAY = 24 * HOUR;
/** 2026-11-02 00:00 UTC, an hour start. */
const T0 = Date.UTC(2026, 10, 2);
const config = { ...defaultConfig, historyDays: 8 };
const stale = { staff: config.staffStaleMin * MIN, carrier: config.carrierStaleMin * MIN, none: 0 };
const sites: Site[] = ['a', 'b', 'c', 'quiet'].map((id, i) => ({
  id,
  name: id,
  district: 'd',
  lat: 22.5 + i / 100,
  lng: 113 + i / 100,
  lanes: 2,
}));

/** Sites with history ('quiet' never has any). */
const ids = ['a', 'b', 'c'];

const expected = (history: Map<string, HistoryPoint[]>, siteId: string, hourMs: number) =>
  hourRows(history.get(siteId) ?? [], hourMs, hourMs + HOUR, stale)[0]!;

for (const impl of archiveImplementations) {
  describe.skipIf(!impl.enabled)(`the ${impl.kind} hourly archive`, () => {
    let h: ArchiveHarness;
    let archive: HourArchive;
    const archiver = (a: HourArchive = archive) =>
      new Archiver({ store: h.store, archive: a, clock: h.clock, sites, config, logger: silentLogger() });
    beforeEach(async () => {
      h = await impl.open(T0);
      archive = h.archive;
    });
    afterEach(() => h.cleanup());

    it('when hours have finished, then each site-hour equals hourRows of the same minutes, read by hour and by site', async () => {
      const history = irregularHistory(ids, T0, 5);
      await writeHistory(h.store, history);
      h.clock.set(T0 + 5 * HOUR + ROLLUP_GRACE_MS);
      await archiver().tick();
      for (let hr = T0; hr < T0 + 5 * HOUR; hr += HOUR) {
        expect(await archive.hasHour(hr)).toBe(true);
        const hour = await archive.hour(hr);
        for (const s of sites) expect(hour.get(s.id) ?? emptyHourRow(hr)).toEqual(expected(history, s.id, hr));
        // Nothing known of 'quiet' in any hour: not stored, read as the empty row.
        expect(hour.has('quiet')).toBe(false);
      }
      for (const s of sites.slice(0, 3)) {
        const rows = await archive.siteHours(s.id, T0, T0 + 5 * HOUR);
        expect(rows).toEqual(hourRows(history.get(s.id)!, T0, T0 + 5 * HOUR, stale));
      }
      // Some hours really had stale gaps and mixed sources (the rule is exercised, not trivially full).
      const rows = await archive.siteHours('a', T0, T0 + 5 * HOUR);
      expect(rows.some((r) => r.noneMinutes > 0 && r.staffMinutes > 0 && r.carrierMinutes > 0)).toBe(true);
      // Served counts and lanes open are archived too, not only null.
      expect(rows.some((r) => (r.served ?? 0) > 0)).toBe(true);
      expect(rows.some((r) => r.lanesOpenMean !== null && !Number.isInteger(r.lanesOpenMean))).toBe(true);
    });

    it('when an hour has not finished (grace included), then it is not archived yet', async () => {
      await writeHistory(h.store, irregularHistory(ids, T0, 2));
      h.clock.set(T0 + 2 * HOUR + ROLLUP_GRACE_MS - 1);
      await archiver().tick();
      expect(await archive.hasHour(T0)).toBe(true);
      expect(await archive.hasHour(T0 + HOUR)).toBe(false);
      expect(await archive.siteHours('a', T0 + HOUR, T0 + 2 * HOUR)).toEqual([]);
    });

    it('when two instances roll up the same hour, or one twice, then the archive holds the same rows once', async () => {
      const history = irregularHistory(ids, T0, 2);
      await writeHistory(h.store, history);
      h.clock.set(T0 + 2 * HOUR + ROLLUP_GRACE_MS);
      const other = h.peer();
      await Promise.all([archiver().tick(), archiver(other).tick()]);
      await archiver().rollUp(T0);
      for (const a of [archive, other]) {
        const hour = await a.hour(T0);
        expect([...hour.keys()].sort()).toEqual(['a', 'b', 'c']);
        for (const s of sites) expect(hour.get(s.id) ?? emptyHourRow(T0)).toEqual(expected(history, s.id, T0));
        expect(await a.siteHours('b', T0, T0 + 2 * HOUR)).toHaveLength(2);
      }
    });

    it('when retention ends for the oldest hour, then it is gone and the next one stays', async () => {
      const history = irregularHistory(ids, T0, 3);
      await writeHistory(h.store, history);
      h.clock.set(T0 + 3 * HOUR + ROLLUP_GRACE_MS);
      await archiver().tick();
      // historyDays = 8: the first hour expires 8 days after it started.
      await h.elapse(T0 + 8 * DAY - h.clock.now());
      await archiver().tick();
      expect(await archive.hasHour(T0)).toBe(false);
      expect((await archive.hour(T0)).size).toBe(0);
      expect(await archive.siteHours('a', T0, T0 + 3 * HOUR)).toEqual(
        hourRows(history.get('a')!, T0 + HOUR, T0 + 3 * HOUR, stale),
      );
      await h.elapse(2 * HOUR);
      await archiver().tick();
      expect(await archive.siteHours('a', T0, T0 + 3 * HOUR)).toEqual([]);
    });

    it('when the server was away for hours, then the next tick fills the gap from the minute history', async () => {
      const history = irregularHistory(ids, T0, 30);
      await writeHistory(h.store, history);
      const a = archiver();
      h.clock.set(T0 + 2 * HOUR + ROLLUP_GRACE_MS);
      await a.tick();
      expect(await archive.hasHour(T0 + 2 * HOUR)).toBe(false);
      // Down from 02:02 to 30:05: no tick; then one catches up every finished hour.
      h.clock.set(T0 + 30 * HOUR + 5 * MIN);
      await archiver().tick();
      for (let hr = T0; hr < T0 + 30 * HOUR; hr += HOUR) {
        expect(await archive.hasHour(hr)).toBe(true);
        for (const s of sites)
          expect((await archive.hour(hr)).get(s.id) ?? emptyHourRow(hr)).toEqual(expected(history, s.id, hr));
      }
      // The served counters restart at midnight (hour 24): the day's hours still count up from 0.
      const served = (await archive.siteHours('a', T0, T0 + 30 * HOUR)).map((r) => r.served);
      expect(served.every((x) => x === null || x >= 0)).toBe(true);
      expect(served.slice(24).some((x) => (x ?? 0) > 0)).toBe(true);
    });

    it('when hours have left the minute history before they were rolled up, then they are not archived as empty', async () => {
      await writeHistory(h.store, irregularHistory(ids, T0, 2));
      h.clock.set(T0 + HISTORY_RETENTION_MS + 3 * HOUR);
      await archiver().tick();
      // 03:00's look-back (15 min before it) has left the minute history too; 04:00 is whole.
      for (let hr = T0; hr <= T0 + 3 * HOUR; hr += HOUR) expect(await archive.hasHour(hr)).toBe(false);
      expect(await archive.hasHour(T0 + 4 * HOUR)).toBe(true);
    });
  });
}
