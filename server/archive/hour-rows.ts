// The hourly roll-up rule, one place for it: the export's rows (routes/export.ts) and the hourly
// archive (archive/rollup.ts) both come from here, so an archived hour reads the same as one
// computed from the per-minute history.
import type { ExportRow } from '../../shared/export.js';
import type { Source } from '../../shared/schemas.js';
import type { HistoryPoint } from '../store/types.js';

const MINUTE = 60_000;
export const HOUR = 3_600_000;

/** One site's hour as the export shows it, without the site's registry fields. */
export type HourRow = Omit<ExportRow, 'siteId' | 'name' | 'district' | 'lanes'>;

const round1 = (x: number) => Math.round(x * 10) / 10;

/**
 * One site's rows for whole hours from `fromMs` (an hour start) up to `toMs`. `points` are that
 * site's history, oldest first, from at least the longest freshness window before `fromMs` (the
 * look-back, archive/rollup.ts): with less, the first minutes and the served baseline are unknown.
 */
export function hourRows(
  points: readonly HistoryPoint[],
  fromMs: number,
  toMs: number,
  staleMs: Record<Source, number>,
): HourRow[] {
  const out: HourRow[] = [];
  const served = servedTally(points, staleMs.staff);
  let i = 0;
  let last: HistoryPoint | null = null;
  for (let h = fromMs; h < toMs; h += HOUR) {
    let n = 0;
    let waitSum = 0;
    let queueSum = 0;
    let waitN = 0;
    let lanesSum = 0;
    let lanesN = 0;
    let waitMax: number | null = null;
    let queueMax: number | null = null;
    const minutes = { staff: 0, carrier: 0, none: 0 };
    for (let m = h; m < h + HOUR; m += MINUTE) {
      while (i < points.length && points[i]!.atMs <= m) last = points[i++]!;
      const fresh = last !== null && last.source !== 'none' && m - last.atMs <= staleMs[last.source];
      if (!fresh || last!.queue === null) {
        minutes.none += 1;
        continue;
      }
      minutes[last!.source] += 1;
      n += 1;
      queueSum += last!.queue;
      queueMax = Math.max(queueMax ?? 0, last!.queue);
      // Points written before lanes were kept have none: their minutes are left out of the mean.
      if (last!.lanesOpen !== undefined) {
        lanesN += 1;
        lanesSum += last!.lanesOpen;
      }
      if (last!.waitMinutes !== null) {
        waitN += 1;
        waitSum += last!.waitMinutes;
        waitMax = Math.max(waitMax ?? 0, last!.waitMinutes);
      }
    }
    out.push({
      hour: new Date(h).toISOString(),
      waitMean: waitN ? round1(waitSum / waitN) : null,
      waitMax,
      queueMean: n ? round1(queueSum / n) : null,
      queueMax,
      served: served(h),
      lanesOpenMean: lanesN ? round1(lanesSum / lanesN) : null,
      staffMinutes: minutes.staff,
      carrierMinutes: minutes.carrier,
      noneMinutes: minutes.none,
    });
  }
  return out;
}

/**
 * People served hour by hour from the cumulative `served` counters the points carry (one site's, so
 * no other site's counter is ever mixed in): the hour's increases, each from the counter before it.
 * The counter before the hour's first one counts only while its report was fresh at the hour's start
 * (`windowMs`, the staff freshness): an older one would make the hour depend on how far back the
 * history was read, and the archive and the export read different spans but must agree. A counter
 * lower than the one before is a reset (a new local day, a restarted tablet): counting goes on from
 * the new value, as the service-rate learning takes it (shared/estimator.ts, learnRate). Null when
 * no counter was seen in the hour or in the window before it. Called with rising hour starts.
 */
function servedTally(points: readonly HistoryPoint[], windowMs: number): (hourMs: number) => number | null {
  let j = 0;
  let prev: { value: number; atMs: number } | null = null;
  return (h) => {
    for (; j < points.length && points[j]!.atMs < h; j++) {
      const v = points[j]!.served;
      if (v !== undefined) prev = { value: v, atMs: points[j]!.atMs };
    }
    let base = prev && h - prev.atMs <= windowMs ? prev.value : null;
    let sum: number | null = base === null ? null : 0;
    for (; j < points.length && points[j]!.atMs < h + HOUR; j++) {
      const v = points[j]!.served;
      if (v === undefined) continue;
      sum = (sum ?? 0) + (base !== null && v >= base ? v - base : 0);
      base = v;
      prev = { value: v, atMs: points[j]!.atMs };
    }
    return sum;
  };
}

/** An hour nothing is known of: what hourRows gives for an hour without history. */
export const emptyHourRow = (hourMs: number): HourRow => ({
  hour: new Date(hourMs).toISOString(),
  waitMean: null,
  waitMax: null,
  queueMean: null,
  queueMax: null,
  served: null,
  lanesOpenMean: null,
  staffMinutes: 0,
  carrierMinutes: 0,
  noneMinutes: 60,
});
