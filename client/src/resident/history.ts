// From a site's per-minute history (GET /api/sites/:id/history?hours=72) to what the details show:
// today's wait so far and the usual wait for each hour of the day. Pure, so it is unit-tested.
import { localTime } from '../../../shared/hours.js';

export interface Point {
  at: string;
  queue: number | null;
  waitMinutes: number | null;
}

/** Local minutes-from-UTC at `ms` in `tz` (e.g. +480 for Asia/Shanghai). */
export function offsetMinutes(ms: number, tz: string): number {
  const l = localTime(ms, tz);
  const utc = new Date(ms);
  let diff = l.minutes - (utc.getUTCHours() * 60 + utc.getUTCMinutes());
  const dayDiff =
    Date.parse(`${l.day}T00:00:00Z`) - Date.UTC(utc.getUTCFullYear(), utc.getUTCMonth(), utc.getUTCDate());
  diff += Math.round(dayDiff / 60_000);
  return diff;
}

/**
 * Local clock reading of each point. The offset is looked up at both ends and per point only when
 * they differ (a daylight-saving change inside the window): 4,320 Intl calls are slow on cheap phones.
 */
function localStamps(points: readonly Point[], tz: string): number[] {
  if (points.length === 0) return [];
  const first = Date.parse(points[0]!.at);
  const last = Date.parse(points.at(-1)!.at);
  const o1 = offsetMinutes(first, tz);
  const same = o1 === offsetMinutes(last, tz);
  return points.map((p) => {
    const ms = Date.parse(p.at);
    return ms + (same ? o1 : offsetMinutes(ms, tz)) * 60_000;
  });
}

export interface Typical {
  /** Mean wait per local hour 0-23, null where there were no readings. */
  wait: (number | null)[];
  samples: number[];
}

export function typicalByHour(points: readonly Point[], tz: string): Typical {
  const sum = new Array<number>(24).fill(0);
  const samples = new Array<number>(24).fill(0);
  const stamps = localStamps(points, tz);
  points.forEach((p, k) => {
    if (p.waitMinutes === null) return;
    const hour = new Date(stamps[k]!).getUTCHours();
    sum[hour]! += p.waitMinutes;
    samples[hour]! += 1;
  });
  return { wait: sum.map((s, hr) => (samples[hr] ? Math.round((s / samples[hr]!) * 10) / 10 : null)), samples };
}

/** Today's points (local day of `nowMs`) averaged into `binMin`-minute bins: label "HH:MM", value. */
export function todaySeries(
  points: readonly Point[],
  tz: string,
  nowMs: number,
  binMin = 10,
): Array<{ label: string; wait: number | null }> {
  const today = localTime(nowMs, tz).day;
  const stamps = localStamps(points, tz);
  const bins = new Map<number, { sum: number; n: number }>();
  points.forEach((p, k) => {
    const local = new Date(stamps[k]!);
    if (local.toISOString().slice(0, 10) !== today) return;
    const minute = local.getUTCHours() * 60 + local.getUTCMinutes();
    const bin = Math.floor(minute / binMin) * binMin;
    const b = bins.get(bin) ?? { sum: 0, n: 0 };
    if (p.waitMinutes !== null) {
      b.sum += p.waitMinutes;
      b.n += 1;
    }
    bins.set(bin, b);
  });
  return [...bins]
    .sort((a, b) => a[0] - b[0])
    .map(([bin, b]) => ({
      label: `${String(Math.floor(bin / 60)).padStart(2, '0')}:${String(bin % 60).padStart(2, '0')}`,
      wait: b.n ? Math.round((b.sum / b.n) * 10) / 10 : null,
    }));
}

/**
 * The (up to) three hours with the lowest usual wait, in clock order; needs a few readings each.
 * `openAt(hour)` leaves out hours the site is not open today (a weekday habit is no use on Sunday).
 */
export function quietHours(typ: Typical, minSamples = 10, openAt: (hour: number) => boolean = () => true): number[] {
  return typ.wait
    .map((w, hr) => ({ w, hr }))
    .filter((x) => x.w !== null && typ.samples[x.hr]! >= minSamples && openAt(x.hr))
    .sort((a, b) => a.w! - b.w! || a.hr - b.hr)
    .slice(0, 3)
    .map((x) => x.hr)
    .sort((a, b) => a - b);
}
