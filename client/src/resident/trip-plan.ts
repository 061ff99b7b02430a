// "If I leave at HH:MM", the page side of trip.ts: which departures the time input offers (the rest
// of today), how a chosen "HH:MM" becomes an instant, which typical hours the prediction reads, and
// how the predicted wait is said. Pure, so it is unit-tested; trip-view.ts draws it.
import { isOpenAt, localTime, minutesUntilClose } from '../../../shared/hours.js';
import { RANGE_MIN_SHARE, RANGE_MIN_SPAN } from '../../../shared/plain-words.js';
import type { OpeningHours } from '../../../shared/schemas.js';
import { dayKindOf, typicalAt, type HourStat, type TypicalWeek } from '../../../shared/typical.js';
import { arrivalMs, predictArrival, type TripPrediction } from './trip.js';

const DAY_MIN = 24 * 60;
/** The proposed departure sits on a 5-minute grid: "10:00" reads better than "09:57". */
export const STEP_MIN = 5;
/** With less of today left than this there is no later departure worth offering. */
export const MIN_LEFT_MIN = 5;

/** The local clock in minutes since midnight, with the fraction of the running minute. */
export function localMinutes(ms: number, tz: string): number {
  // Every zone in use is offset by whole minutes, so the seconds are the UTC ones.
  return localTime(ms, tz).minutes + (((ms % 60_000) + 60_000) % 60_000) / 60_000;
}

export interface DepartureWindow {
  /** Earliest and latest departures the input accepts (minutes since local midnight). */
  min: number;
  max: number;
  /** What the input shows first: now, rounded up to the next 5 minutes. */
  initial: number;
}

/** Departures from this minute to the end of today; null when almost nothing of today is left. */
export function departureWindow(nowMin: number): DepartureWindow | null {
  const min = Math.floor(nowMin);
  const max = DAY_MIN - 1;
  if (max - min < MIN_LEFT_MIN) return null;
  return { min, max, initial: Math.min(max, Math.ceil(nowMin / STEP_MIN) * STEP_MIN) };
}

/** Minutes since midnight of a time input's "HH:MM" (seconds ignored); null when empty or malformed. */
export function parseTimeValue(value: string): number | null {
  const m = /^(\d{2}):(\d{2})/.exec(value);
  if (!m) return null;
  const hh = Number(m[1]);
  const mm = Number(m[2]);
  return hh < 24 && mm < 60 ? hh * 60 + mm : null;
}

const pad = (n: number) => String(n).padStart(2, '0');
/** A time input's value for minutes since midnight. */
export const timeValue = (min: number): string => `${pad(Math.floor(min / 60))}:${pad(min % 60)}`;

/** The typical hour of the local day and hour at `ms`, or null when the week does not know it. */
export function typicalFor(week: TypicalWeek | null, ms: number, tz: string): HourStat | null {
  if (!week) return null;
  const l = localTime(ms, tz);
  return typicalAt(week, dayKindOf(l.day), Math.floor(l.minutes / 60));
}

/** How the predicted wait is said: the same rule as every live wait (shared/plain-words.ts). */
export type TripShape = { kind: 'point'; n: number } | { kind: 'range'; lo: number; hi: number };

export function tripShape(p: Pick<TripPrediction, 'wait' | 'low' | 'high'>): TripShape {
  const span = p.high - p.low;
  return span >= RANGE_MIN_SPAN && span >= RANGE_MIN_SHARE * p.wait
    ? { kind: 'range', lo: p.low, hi: p.high }
    : { kind: 'point', n: p.wait };
}

export interface PlanInput {
  nowMs: number;
  tz: string;
  /** The chosen departure, minutes since local midnight today. */
  departMin: number;
  /** Null when the resident's position is not known: the walk is left out. */
  walkMinutes: number | null;
  waitNow: number | null;
  trendPerMin: number;
  week: TypicalWeek | null;
  hours?: OpeningHours[];
}

export type Plan =
  | {
      kind: 'ok';
      prediction: TripPrediction;
      shape: TripShape;
      /** The chosen time has passed: counted as leaving now. */
      early: boolean;
      /** The predicted wait runs past the site's closing time. */
      pastClosing: boolean;
    }
  /** The site is not open when the resident would get there. */
  | { kind: 'shut'; arriveMs: number }
  /** No prediction: too far ahead for the trend alone, or nothing known at all. */
  | { kind: 'unknown'; reason: 'far' | 'nodata' };

export function planTrip(i: PlanInput): Plan {
  const nowMin = localMinutes(i.nowMs, i.tz);
  // Same local day, so the clock difference is the time difference (a daylight-saving jump inside
  // the day would shift this by the jump; the zones this serves have none).
  const departMs = i.nowMs + (i.departMin - nowMin) * 60_000;
  const walkMinutes = i.walkMinutes ?? 0;
  const arriveMs = arrivalMs({ nowMs: i.nowMs, departMs, walkMinutes });
  const arrival = localTime(arriveMs, i.tz);
  if (!isOpenAt(i.hours, arrival)) return { kind: 'shut', arriveMs };
  const prediction = predictArrival({
    nowMs: i.nowMs,
    departMs,
    walkMinutes,
    waitNow: i.waitNow,
    trendPerMin: i.trendPerMin,
    typicalNow: typicalFor(i.week, i.nowMs, i.tz),
    typicalThen: typicalFor(i.week, arriveMs, i.tz),
  });
  if (!prediction) return { kind: 'unknown', reason: i.waitNow === null ? 'nodata' : 'far' };
  const left = minutesUntilClose(i.hours, arrival);
  return {
    kind: 'ok',
    prediction,
    shape: tripShape(prediction),
    early: i.departMin < Math.floor(nowMin),
    pastClosing: left !== null && prediction.wait >= left,
  };
}
