// "Usually" only from what we know: the typical wait by local hour, weekdays and weekends apart,
// from at least a week of the hourly archive (server/archive/). An hour's typical value is the
// median over days of that day's mean wait for the hour, so one odd day does not make a habit; it
// is given only when enough different days had readings in that hour. The server computes it
// (GET /api/sites/:id/typical); the resident page reads it with the helpers below. Pure.
import { localTime } from './hours.js';

/** History must span this many local days (with readings) before any "usually" is said. */
export const MIN_HISTORY_DAYS = 7;
/** Different days with readings in an hour before that hour has a typical value. */
export const MIN_DAYS_PER_HOUR = { weekday: 3, weekend: 2 } as const;

export type DayKind = 'weekday' | 'weekend';

export interface HourStat {
  /** Median over days of the day's mean wait in this hour (minutes); null: not enough days. */
  wait: number | null;
  /** The spread of those day means: lower and upper quartile (minutes), null with the wait. */
  low: number | null;
  high: number | null;
  /** Days with readings in this hour. */
  days: number;
}

/** GET /api/sites/:id/typical (its schema: typical-schema.ts, kept apart so pages need no zod). */
export interface TypicalWeek {
  /** False until the archive holds MIN_HISTORY_DAYS days with readings: nothing "usual" may be shown. */
  enough: boolean;
  /** Local days with any reading. */
  days: number;
  /** Local hours 0-23. */
  weekday: HourStat[];
  weekend: HourStat[];
}

/** One archived hour of a site: its start and mean wait (null: no wait known in it). */
export interface HourWait {
  hourMs: number;
  wait: number | null;
}

/** Quantile of sorted numbers (linear between neighbours). */
function quantile(sorted: number[], q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}
const round1 = (x: number) => Math.round(x * 10) / 10;

/** Weekend by the local date (Saturday, Sunday). Public holidays are not known here. */
export function dayKindOf(localDay: string): DayKind {
  const dow = new Date(`${localDay}T12:00:00Z`).getUTCDay();
  return dow === 0 || dow === 6 ? 'weekend' : 'weekday';
}

export function typicalWeek(hours: readonly HourWait[], tz: string): TypicalWeek {
  // day -> local hour -> [sum, n]; an hour is placed by its middle (zones off the whole hour).
  const perDay = new Map<string, Map<number, [number, number]>>();
  for (const { hourMs, wait } of hours) {
    if (wait === null) continue;
    const local = localTime(hourMs + 30 * 60_000, tz);
    const hour = Math.floor(local.minutes / 60);
    let byHour = perDay.get(local.day);
    if (!byHour) perDay.set(local.day, (byHour = new Map()));
    const acc = byHour.get(hour) ?? [0, 0];
    acc[0] += wait;
    acc[1] += 1;
    byHour.set(hour, acc);
  }
  const build = (kind: DayKind): HourStat[] =>
    Array.from({ length: 24 }, (_, hour) => {
      const means: number[] = [];
      for (const [day, hours] of perDay) {
        const acc = hours.get(hour);
        if (acc && dayKindOf(day) === kind) means.push(acc[0] / acc[1]);
      }
      means.sort((a, b) => a - b);
      if (means.length < MIN_DAYS_PER_HOUR[kind]) return { wait: null, low: null, high: null, days: means.length };
      return {
        wait: round1(quantile(means, 0.5)),
        low: round1(quantile(means, 0.25)),
        high: round1(quantile(means, 0.75)),
        days: means.length,
      };
    });
  return {
    enough: perDay.size >= MIN_HISTORY_DAYS,
    days: perDay.size,
    weekday: build('weekday'),
    weekend: build('weekend'),
  };
}

/** The typical hour for `kind`, or null when the week is not known well enough for it. */
export function typicalAt(typ: TypicalWeek, kind: DayKind, hour: number): HourStat | null {
  if (!typ.enough) return null;
  const s = typ[kind][hour];
  return s && s.wait !== null ? s : null;
}

/** A later hour is "quieter" only when it is at least this much lower, in minutes and in share. */
const QUIETER_MIN = 5;
const QUIETER_SHARE = 0.25;

/**
 * Later hours today (up to three, in clock order) that are usually clearly quieter than this one:
 * only with a typical value for this hour and for them, and only hours `openAt` allows.
 */
export function quieterLater(
  typ: TypicalWeek,
  kind: DayKind,
  nowHour: number,
  openAt: (hour: number) => boolean = () => true,
): number[] {
  const here = typicalAt(typ, kind, nowHour);
  if (!here) return [];
  const out: Array<{ hour: number; wait: number }> = [];
  for (let hour = nowHour + 1; hour < 24; hour++) {
    const s = typicalAt(typ, kind, hour);
    if (!s || !openAt(hour)) continue;
    if (here.wait! - s.wait! >= QUIETER_MIN && s.wait! <= here.wait! * (1 - QUIETER_SHARE))
      out.push({ hour, wait: s.wait! });
  }
  return out
    .sort((a, b) => a.wait - b.wait || a.hour - b.hour)
    .slice(0, 3)
    .map((x) => x.hour)
    .sort((a, b) => a - b);
}

/** "Busier than usual": today's wait well above the typical for this hour (and above its usual spread). */
export function busierThanUsual(typ: TypicalWeek, kind: DayKind, hour: number, waitNow: number | null): boolean {
  const s = typicalAt(typ, kind, hour);
  if (!s || waitNow === null) return false;
  return waitNow >= s.wait! * 1.5 && waitNow >= s.wait! + 10 && waitNow > (s.high ?? s.wait!);
}
