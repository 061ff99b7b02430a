// The hourly archive: each site's finished hours rolled up by the export's rule (hour-rows.ts) and
// kept HISTORY_DAYS days, long after the per-minute history (73 h) is gone. It is what weekday
// comparisons, the typical week and exports of older days read. Three implementations behind this
// interface (memory, LMDB, Redis), one contract suite (contract.test.ts) over all of them.
import { emptyHourRow, type HourRow } from './hour-rows.js';

/**
 * How an archived hour is stored: a compact array, so 35 days of a city stay small. Fields added
 * later go at the end and are optional: rows archived before them read as null.
 */
export type PackedRow = [
  waitMean: number | null,
  waitMax: number | null,
  queueMean: number | null,
  queueMax: number | null,
  served: number | null,
  staffMinutes: number,
  carrierMinutes: number,
  noneMinutes: number,
  lanesOpenMean?: number | null,
];

export const pack = (r: HourRow): PackedRow => [
  r.waitMean,
  r.waitMax,
  r.queueMean,
  r.queueMax,
  r.served,
  r.staffMinutes,
  r.carrierMinutes,
  r.noneMinutes,
  r.lanesOpenMean,
];

export function unpack(hourMs: number, p: PackedRow): HourRow {
  const [waitMean, waitMax, queueMean, queueMax, served, staffMinutes, carrierMinutes, noneMinutes, lanesOpenMean] = p;
  return {
    ...emptyHourRow(hourMs),
    waitMean,
    waitMax,
    queueMean,
    queueMax,
    served,
    staffMinutes,
    carrierMinutes,
    noneMinutes,
    lanesOpenMean: lanesOpenMean ?? null,
  };
}

export interface HourArchive {
  readonly kind: 'memory' | 'lmdb' | 'redis';
  /**
   * Stores every site's row of one finished hour and marks the hour archived, all or nothing;
   * kept until `expiresAtMs`. Idempotent: instances rolling up the same hour write the same rows.
   */
  putHour(
    hourMs: number,
    rows: ReadonlyArray<readonly [siteId: string, row: HourRow]>,
    expiresAtMs: number,
  ): Promise<void>;
  /** True once the hour is archived (and not yet expired). */
  hasHour(hourMs: number): Promise<boolean>;
  /** Every site's row of an hour; empty when the hour is not archived. */
  hour(hourMs: number): Promise<Map<string, HourRow>>;
  /** One site's archived rows for the hours starting in [fromMs, toMs), oldest first; missing hours left out. */
  siteHours(siteId: string, fromMs: number, toMs: number): Promise<HourRow[]>;
  /** Removes hours that expired (Redis expires its keys by itself). */
  prune(): Promise<void>;
}
