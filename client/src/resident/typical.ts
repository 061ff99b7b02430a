// "Usually" only from what we know (issue 16): the typical wait by local hour, weekdays and
// weekends apart, from at least a week of history. An hour's typical value is the median over
// days of that day's mean for the hour, so one odd day does not make a habit; it is given only
// when enough different days had readings in that hour. Pure, so it is unit-tested.
import type { Point } from './history.js';
import { offsetMinutes } from './history.js';

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

export interface TypicalWeek {
  /** False until the history spans MIN_HISTORY_DAYS days: then nothing "usual" may be shown. */
  enough: boolean;
  /** Local days with any reading. */
  days: number;
  weekday: HourStat[];
  weekend: HourStat[];
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

export function typicalWeek(points: readonly Point[], tz: string): TypicalWeek {
  // day -> hour -> [sum, n]
  const perDay = new Map<string, Map<number, [number, number]>>();
  let offset: number | null = null;
  let offsetAt = 0;
  for (const p of points) {
    if (p.waitMinutes === null) continue;
    const ms = Date.parse(p.at);
    // The zone offset is looked up again only every 6 hours (Intl is slow on cheap phones).
    if (offset === null || Math.abs(ms - offsetAt) > 6 * 3600_000) {
      offset = offsetMinutes(ms, tz);
      offsetAt = ms;
    }
    const local = new Date(ms + offset * 60_000);
    const day = local.toISOString().slice(0, 10);
    const hour = local.getUTCHours();
    let hours = perDay.get(day);
    if (!hours) perDay.set(day, (hours = new Map()));
    const acc = hours.get(hour) ?? [0, 0];
    acc[0] += p.waitMinutes;
    acc[1] += 1;
    hours.set(hour, acc);
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
