// "If I leave at HH:MM": the wait expected on arrival, with a range, from two witnesses: today's
// trend (good for the next half hour, useless for the evening) and the site's typical curve for
// the arrival hour (scaled by how today compares with a usual day so far). Near departures lean
// on the trend, later ones on the typical curve; without a typical curve only near departures
// get an answer. Pure, so it is unit-tested.
import type { HourStat } from '../../../shared/typical.js';

export interface TripInput {
  nowMs: number;
  departMs: number;
  walkMinutes: number;
  /** The wait now (minutes), null when unknown. */
  waitNow: number | null;
  /** Change of the wait per minute now (minutes per minute), from the live trend. */
  trendPerMin: number;
  /** The typical for this hour and for the arrival hour (typical.ts), null when not known. */
  typicalNow: HourStat | null;
  typicalThen: HourStat | null;
}

export interface TripPrediction {
  arriveMs: number;
  wait: number;
  low: number;
  high: number;
  basis: 'trend' | 'typical' | 'both';
}

/** A trend is extrapolated at most this far; beyond, the wait is assumed to hold. */
const TREND_REACH_MIN = 30;
/** Without a typical curve, no answer for arrivals further ahead than this. */
const TREND_ONLY_MAX_MIN = 60;
/** How quickly the trend's say fades with the horizon (e-folding, minutes). */
const TREND_FADE_MIN = 45;
/** A witness with less weight than this no longer widens the range by itself. */
const MIN_SAY = 0.25;
/** How far today may be from a usual day before the ratio is capped. */
const RATIO = { min: 0.5, max: 2 };

const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));

/** When the resident gets there: a departure in the past counts as leaving now. */
export const arrivalMs = (i: Pick<TripInput, 'nowMs' | 'departMs' | 'walkMinutes'>): number =>
  Math.max(i.departMs, i.nowMs) + i.walkMinutes * 60_000;

export function predictArrival(i: TripInput): TripPrediction | null {
  const arriveMs = arrivalMs(i);
  const horizon = (arriveMs - i.nowMs) / 60_000;
  const trend =
    i.waitNow === null
      ? null
      : (() => {
          const wait = Math.max(0, i.waitNow! + i.trendPerMin * Math.min(horizon, TREND_REACH_MIN));
          // Uncertainty grows with the horizon and with the size of the wait.
          const spread = 2 + 0.1 * horizon + 0.15 * wait;
          return { wait, low: Math.max(0, wait - spread), high: wait + spread };
        })();
  const typical =
    i.typicalThen?.wait == null
      ? null
      : (() => {
          const then = i.typicalThen!;
          const ratio =
            i.waitNow !== null && i.typicalNow?.wait != null
              ? clamp(i.waitNow / Math.max(1, i.typicalNow.wait), RATIO.min, RATIO.max)
              : 1;
          return {
            wait: then.wait! * ratio,
            low: (then.low ?? then.wait!) * ratio,
            high: (then.high ?? then.wait!) * ratio,
          };
        })();
  let out: { wait: number; low: number; high: number };
  let basis: TripPrediction['basis'];
  if (trend && typical) {
    const w = Math.exp(-horizon / TREND_FADE_MIN);
    const mix = (a: number, b: number) => w * a + (1 - w) * b;
    // The range spans each witness that still carries real weight; one that has faded (the trend
    // hours ahead) only moves the bounds by its weight, or a usual 15-25 would read "0-26".
    const heard = (weight: number, x: number, none: number) => (weight >= MIN_SAY ? x : none);
    out = {
      wait: mix(trend.wait, typical.wait),
      low: Math.min(mix(trend.low, typical.low), heard(w, trend.low, Infinity), heard(1 - w, typical.low, Infinity)),
      high: Math.max(mix(trend.high, typical.high), heard(w, trend.high, 0), heard(1 - w, typical.high, 0)),
    };
    basis = 'both';
  } else if (typical) {
    out = typical;
    basis = 'typical';
  } else if (trend && horizon <= TREND_ONLY_MAX_MIN) {
    out = trend;
    basis = 'trend';
  } else {
    return null;
  }
  const wait = Math.round(out.wait);
  return {
    arriveMs,
    wait,
    low: Math.min(wait, Math.max(0, Math.floor(out.low))),
    high: Math.max(wait, Math.ceil(out.high)),
    basis,
  };
}
