// From a simulated day's records to the numbers of the accuracy report: per source how far the
// shown wait was from the true one, followers against nearest-site goers, and whether any site's
// queue swung back and forth (the sign of herding).
import { LEVEL_CODES, type Recorder } from './measure.js';
import type { DayResult } from './fast-day.js';

export interface SourceRow {
  /**
   * The source the estimate named at arrival; 'shown' is staff and carrier together, the figure to
   * compare estimators by: one that trusts an aged count less moves arrivals between the two rows.
   */
  source: 'staff' | 'carrier' | 'none' | 'shown';
  /** Served arrivals that saw this source when they arrived. */
  arrivals: number;
  share: number;
  /** Mean |shown - true| wait, minutes; for "none", nothing is shown: null. */
  mae: number | null;
  within5: number | null;
  /** Mean shown - true: negative means shortline promised shorter waits than people had. */
  bias: number | null;
  siteMinutes: number;
  wrongLevel: number | null;
  /** Within 5 min for arrivals whose true wait was LONG_WAIT_MIN or more: those who need us most. */
  within5Long: number | null;
  /** Share of site-minutes truly "high" that were shown "high". */
  highRecall: number | null;
  /** Share of arrivals whose true wait (rounded) fell inside the shown range. */
  inRange: number | null;
  /** Median width of the shown range, minutes (0 where the server sends none). */
  rangeWidthMedian: number | null;
  /** For "none": the error had the last number shown stayed up instead (why it is hidden). */
  staleMae: number | null;
  staleWithin5: number | null;
}

export interface WaitRow {
  group: 'followers' | 'nearest' | 'everyone';
  served: number;
  meanWait: number;
  p90Wait: number;
  meanWalk: number;
  meanTotal: number;
  turnedAway: number;
  /** Share of the group who saw a queue too long for them and went home untested. */
  gaveUp: number;
}

export interface Oscillation {
  /** A reversal: the queue, in minutes of wait at full capacity, turns after moving this much. */
  thresholdMin: number;
  sites: number;
  meanReversals: number;
  p95Reversals: number;
  maxReversals: number;
  /** The site with the most reversals. */
  worstSite: string | null;
  /** Sites with at least `oscillatingAt` reversals in the day. */
  oscillatingAt: number;
  oscillating: number;
}

export interface DaySummary {
  sources: SourceRow[];
  waits: WaitRow[];
  oscillation: Oscillation;
  arrivals: number;
}

/** A long wait: the arrivals a constant "0 min" would get wrong. */
export const LONG_WAIT_MIN = 15;
const REVERSAL_MIN = 5;
const SMOOTH_MIN = 5;
/** A morning and an evening peak and a surge make about 5 reversals; twice that is a swing. */
const OSCILLATING_AT = 10;

export function percentile(values: ArrayLike<number>, p: number): number {
  const a = Float64Array.from(values).sort();
  if (a.length === 0) return NaN;
  return a[Math.min(a.length - 1, Math.floor(p * a.length))]!;
}

const mean = (xs: number[]) => (xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : NaN);

export function sourceRows(rec: Recorder): SourceRow[] {
  const a = rec.arrivals;
  const served: number[] = [];
  for (let k = 0; k < a.site.length; k++) if (Number.isFinite(a.waitMin.get(k))) served.push(k);
  const pr = rec.probes;
  // Codes as SOURCE_CODES: staff 0, carrier 1, none 2, closed 3.
  const groups = { staff: [0], carrier: [1], none: [2, 3], shown: [0, 1] } as const;
  return (['staff', 'carrier', 'none', 'shown'] as const).map((source) => {
    // Shown closed while the site took people (staff closed it) is counted with "none".
    const codes: readonly number[] = groups[source];
    const is = (c: number) => codes.includes(c);
    const ks = served.filter((k) => is(a.source.get(k)));
    const errs = ks.map((k) => a.shown.get(k) - a.waitMin.get(k)).filter(Number.isFinite);
    const staleErrs = ks.map((k) => a.stale.get(k) - a.waitMin.get(k)).filter(Number.isFinite);
    let minutes = 0;
    let wrong = 0;
    let high = 0;
    let highShown = 0;
    for (let k = 0; k < pr.site.length; k++) {
      const w = pr.waitMin.get(k);
      if (!Number.isFinite(w) || !is(pr.source.get(k))) continue;
      minutes += 1;
      const trueLevel = rec.trueLevel(w);
      const shownLevel = LEVEL_CODES[pr.shownLevel.get(k)];
      if (shownLevel !== trueLevel) wrong += 1;
      if (trueLevel === 'high') {
        high += 1;
        if (shownLevel === 'high') highShown += 1;
      }
    }
    const longErrs = ks
      .filter((k) => a.waitMin.get(k) >= LONG_WAIT_MIN)
      .map((k) => a.shown.get(k) - a.waitMin.get(k))
      .filter(Number.isFinite);
    const ranged = ks.filter((k) => Number.isFinite(a.rangeLo.get(k)));
    const inside = ranged.filter((k) => {
      const w = Math.round(a.waitMin.get(k));
      return w >= a.rangeLo.get(k) && w <= a.rangeHi.get(k);
    }).length;
    const shown = source !== 'none';
    return {
      source,
      arrivals: ks.length,
      share: ks.length / Math.max(1, served.length),
      mae: shown ? mean(errs.map(Math.abs)) : null,
      within5: shown ? errs.filter((e) => Math.abs(e) <= 5).length / Math.max(1, errs.length) : null,
      bias: shown ? mean(errs) : null,
      siteMinutes: minutes,
      wrongLevel: shown ? wrong / Math.max(1, minutes) : null,
      within5Long: shown && longErrs.length ? longErrs.filter((e) => Math.abs(e) <= 5).length / longErrs.length : null,
      highRecall: shown && high ? highShown / high : null,
      inRange: shown && ranged.length ? inside / ranged.length : null,
      rangeWidthMedian:
        shown && ranged.length
          ? percentile(
              ranged.map((k) => a.rangeHi.get(k) - a.rangeLo.get(k)),
              0.5,
            )
          : null,
      staleMae: shown ? null : mean(staleErrs.map(Math.abs)),
      staleWithin5: shown ? null : staleErrs.filter((e) => Math.abs(e) <= 5).length / Math.max(1, staleErrs.length),
    };
  });
}

export function waitRows(rec: Recorder): WaitRow[] {
  const a = rec.arrivals;
  const groups = { followers: [] as number[], nearest: [] as number[], everyone: [] as number[] };
  for (let k = 0; k < a.site.length; k++) {
    if (!Number.isFinite(a.waitMin.get(k))) continue;
    groups.everyone.push(k);
    (a.follower.get(k) ? groups.followers : groups.nearest).push(k);
  }
  const away = {
    followers: rec.away.follower,
    nearest: rec.away.nearest,
    everyone: rec.away.follower + rec.away.nearest,
  };
  const left = {
    followers: rec.gaveUpCount.follower,
    nearest: rec.gaveUpCount.nearest,
    everyone: rec.gaveUpCount.follower + rec.gaveUpCount.nearest,
  };
  return (['followers', 'nearest', 'everyone'] as const).map((group) => {
    const ks = groups[group];
    const waits = ks.map((k) => a.waitMin.get(k));
    const walks = ks.map((k) => a.walkMin.get(k));
    return {
      group,
      served: ks.length,
      meanWait: mean(waits),
      p90Wait: percentile(waits, 0.9),
      meanWalk: mean(walks),
      meanTotal: mean(waits) + mean(walks),
      turnedAway: away[group],
      gaveUp: left[group] / Math.max(1, ks.length + left[group] + away[group]),
    };
  });
}

/** Reversals of one series: turns after a move of at least `threshold` (NaN splits open periods). */
export function reversals(series: ArrayLike<number>, threshold: number): number {
  let count = 0;
  let dir = 0;
  let hi = NaN;
  let lo = NaN;
  for (let m = 0; m < series.length; m++) {
    const v = series[m]!;
    if (!Number.isFinite(v)) {
      dir = 0;
      hi = lo = NaN;
    } else if (!Number.isFinite(hi)) {
      hi = lo = v;
    } else if (dir === 0) {
      hi = Math.max(hi, v);
      lo = Math.min(lo, v);
      if (v <= hi - threshold) [dir, lo] = [-1, v];
      else if (v >= lo + threshold) [dir, hi] = [1, v];
    } else if (dir === 1) {
      if (v > hi) hi = v;
      else if (v <= hi - threshold) [count, dir, lo] = [count + 1, -1, v];
    } else {
      if (v < lo) lo = v;
      else if (v >= lo + threshold) [count, dir, hi] = [count + 1, 1, v];
    }
  }
  return count;
}

/** Centred moving average over finite runs; NaN stays NaN. */
export function smooth(series: ArrayLike<number>, width: number): Float64Array {
  const out = new Float64Array(series.length).fill(NaN);
  const h = Math.floor(width / 2);
  for (let m = 0; m < series.length; m++) {
    if (!Number.isFinite(series[m]!)) continue;
    let s = 0;
    let n = 0;
    for (let j = Math.max(0, m - h); j <= Math.min(series.length - 1, m + h); j++) {
      const v = series[j]!;
      if (Number.isFinite(v)) {
        s += v;
        n += 1;
      }
    }
    out[m] = s / n;
  }
  return out;
}

/** The true queue of each site per minute, in minutes of wait at the site's full capacity. */
export function waitEquivalent(day: DayResult, site: number): Float64Array {
  const { recorder: rec, sites } = day;
  const cap = sites[site]!.lanes * day.rates[site]!;
  const row = rec.trueQueue.subarray(site * rec.minutes, (site + 1) * rec.minutes);
  return Float64Array.from(row, (q) => q / cap);
}

/** Per site, how many times its queue turned by at least REVERSAL_MIN minutes of wait. */
export function reversalCounts(day: DayResult): number[] {
  return day.sites.map((_, i) => reversals(smooth(waitEquivalent(day, i), SMOOTH_MIN), REVERSAL_MIN));
}

export function oscillation(day: DayResult, counts = reversalCounts(day)): Oscillation {
  let worst = -1;
  counts.forEach((c, i) => {
    if (worst < 0 || c > counts[worst]!) worst = i;
  });
  return {
    thresholdMin: REVERSAL_MIN,
    sites: counts.length,
    meanReversals: mean(counts),
    p95Reversals: percentile(counts, 0.95),
    maxReversals: Math.max(0, ...counts),
    worstSite: worst >= 0 ? day.sites[worst]!.id : null,
    oscillatingAt: OSCILLATING_AT,
    oscillating: counts.filter((c) => c >= OSCILLATING_AT).length,
  };
}

export function summarise(day: DayResult, counts = reversalCounts(day)): DaySummary {
  return {
    sources: sourceRows(day.recorder),
    waits: waitRows(day.recorder),
    oscillation: oscillation(day, counts),
    arrivals: day.recorder.arrivals.site.length,
  };
}
