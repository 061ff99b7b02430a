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

/** One site's rows for whole hours from `fromMs` (an hour start) up to `toMs`. */
export function hourRows(
  points: readonly HistoryPoint[],
  fromMs: number,
  toMs: number,
  staleMs: Record<Source, number>,
): HourRow[] {
  const out: HourRow[] = [];
  let i = 0;
  let last: HistoryPoint | null = null;
  for (let h = fromMs; h < toMs; h += HOUR) {
    let n = 0;
    let waitSum = 0;
    let queueSum = 0;
    let waitN = 0;
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
      if (last!.waitMinutes !== null) {
        waitN += 1;
        waitSum += last!.waitMinutes;
        waitMax = Math.max(waitMax ?? 0, last!.waitMinutes);
      }
    }
    const round1 = (x: number) => Math.round(x * 10) / 10;
    out.push({
      hour: new Date(h).toISOString(),
      waitMean: waitN ? round1(waitSum / waitN) : null,
      waitMax,
      queueMean: n ? round1(queueSum / n) : null,
      queueMax,
      served: null,
      staffMinutes: minutes.staff,
      carrierMinutes: minutes.carrier,
      noneMinutes: minutes.none,
    });
  }
  return out;
}

/** An hour nothing is known of: what hourRows gives for an hour without history. */
export const emptyHourRow = (hourMs: number): HourRow => ({
  hour: new Date(hourMs).toISOString(),
  waitMean: null,
  waitMax: null,
  queueMean: null,
  queueMax: null,
  served: null,
  staffMinutes: 0,
  carrierMinutes: 0,
  noneMinutes: 60,
});
