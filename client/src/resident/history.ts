// From a site's per-minute history (GET /api/sites/:id/history) to what the details show: today's
// wait so far. The usual wait by hour comes from the hourly archive (shared/typical.ts). Pure.
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
