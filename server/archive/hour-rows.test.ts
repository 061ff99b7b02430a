// The hourly roll-up rule for what staff reports add to history: people served (the increase of a
// cumulative counter) and the mean lanes open.
import { describe, expect, it } from 'vitest';
import type { HistoryPoint } from '../store/types.js';
import { HOUR, hourRows } from './hour-rows.js';

const MIN = 60_000;
/** 2026-11-02 08:00 UTC, an hour start. */
const H = Date.UTC(2026, 10, 2, 8);
const stale = { staff: 15 * MIN, carrier: 5 * MIN, none: 0 };

/** A staff point `min` minutes after H (negative: before it) with the given counter and lanes. */
const at = (min: number, over: Partial<HistoryPoint> = {}): HistoryPoint => ({
  atMs: H + min * MIN,
  queue: 10,
  waitMinutes: 3,
  source: 'staff',
  lanesOpen: 2,
  ...over,
});
const served = (points: HistoryPoint[], hours = 1, from = H) =>
  hourRows(points, from, from + hours * HOUR, stale).map((r) => r.served);

describe('served per hour', () => {
  it('when counters rise within the hour, then served is the increase from the first to the last', () => {
    expect(served([at(5, { served: 100 }), at(30, { served: 130 }), at(50, { served: 150 })])).toEqual([50]);
  });

  it('when a counter was fresh at the hour start, then the increase since it counts in the hour', () => {
    expect(served([at(-10, { served: 90 }), at(5, { served: 100 }), at(50, { served: 150 })])).toEqual([60]);
  });

  it('when the counter before the hour was already stale at its start, then the hour counts from its own first counter', () => {
    // 20 minutes before: older than the staff freshness (15), so it is not the baseline.
    expect(served([at(-20, { served: 90 }), at(5, { served: 100 }), at(50, { served: 150 })])).toEqual([50]);
  });

  it('when the counter drops (a new day, a restarted tablet), then counting goes on from the new value', () => {
    const points = [at(10, { served: 200 }), at(20, { served: 210 }), at(30, { served: 5 }), at(50, { served: 25 })];
    // 200 -> 210 (+10), reset to 5 (+0), 5 -> 25 (+20).
    expect(served(points)).toEqual([30]);
  });

  it('when the counter drops right at the hour start, then the hour does not count the drop or the old value', () => {
    expect(served([at(-5, { served: 480 }), at(0, { served: 0 }), at(40, { served: 12 })])).toEqual([12]);
  });

  it('when no point carries a counter, or carrier points only, then served is null', () => {
    expect(served([at(5), at(30), at(50, { source: 'carrier' })])).toEqual([null]);
    expect(served([])).toEqual([null]);
  });

  it('when the only counter is fresh into the hour from before it, then served is 0; an hour later, null', () => {
    expect(served([at(-5, { served: 70 })], 2)).toEqual([0, null]);
  });

  it('when reports with counters run over several hours, then every increase counts in exactly one hour', () => {
    const points: HistoryPoint[] = [];
    // Every 10 minutes for three hours, 7 people more each time, lanes 2.
    for (let m = 0; m < 180; m += 10) points.push(at(m, { served: 1000 + 7 * (m / 10) }));
    const rows = served(points, 3);
    // 6 reports per hour: 5 increases in the first hour (no baseline), 6 in the next (the
    // previous hour's last report is 10 minutes before their start).
    expect(rows).toEqual([35, 42, 42]);
    expect(rows.reduce((a, b) => a! + b!, 0)).toBe(7 * 17);
  });

  it('when the history is read from the look-back only or from hours before, then an hour reads the same', () => {
    const points: HistoryPoint[] = [];
    // Every 13 minutes but for a gap before H: the last counter before it (-24 min) is stale then.
    for (let m = -180; m < 120; m += 13) if (m < -20 || m >= 0) points.push(at(m, { served: 500 + 4 * m }));
    const full = hourRows(points, H, H + 2 * HOUR, stale);
    const fromLookback = hourRows(
      points.filter((p) => p.atMs >= H - 15 * MIN),
      H,
      H + 2 * HOUR,
      stale,
    );
    expect(fromLookback).toEqual(full);
  });
});

describe('lanes open per hour', () => {
  const lanes = (points: HistoryPoint[]) => hourRows(points, H, H + HOUR, stale)[0]!.lanesOpenMean;

  it('when lanes change within the hour, then the mean is over the minutes, one decimal', () => {
    // 2 lanes for 40 minutes, then 3 for 20: 140/60 = 2.33.
    expect(lanes([at(-5), at(10), at(25), at(40, { lanesOpen: 3 }), at(50, { lanesOpen: 3 })])).toBe(2.3);
  });

  it('when some minutes have no fresh figure, then they are left out of the mean', () => {
    // 3 lanes fresh 00-15, nothing fresh 16-29, 1 lane 30-59: (16 x 3 + 30 x 1) / 46.
    const points = [at(0, { lanesOpen: 3 }), at(30, { lanesOpen: 1 }), at(45, { lanesOpen: 1 })];
    const row = hourRows(points, H, H + HOUR, stale)[0]!;
    expect(row.noneMinutes).toBe(14);
    expect(row.lanesOpenMean).toBe(Math.round(((16 * 3 + 30) / 46) * 10) / 10);
  });

  it('when the points predate lanes in history, or nothing is fresh, then the mean is null', () => {
    const old = (min: number): HistoryPoint => ({ atMs: H + min * MIN, queue: 5, waitMinutes: 2, source: 'carrier' });
    expect(lanes([old(0), old(4), old(8)])).toBeNull();
    expect(lanes([])).toBeNull();
    // Old and new points mixed: only the minutes of the new ones count.
    expect(lanes([old(0), at(30, { lanesOpen: 4 })])).toBe(4);
  });

  it('when staff closed the site (0 lanes, fresh), then those minutes count as 0 lanes', () => {
    const closed = { lanesOpen: 0, queue: 0, waitMinutes: null };
    // 4 lanes 00-15, nothing fresh 16-29, closed 30-59: 64 / 46.
    expect(lanes([at(0, { lanesOpen: 4 }), at(30, closed), at(45, closed)])).toBe(1.4);
  });
});
