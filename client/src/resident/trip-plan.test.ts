import { describe, expect, it } from 'vitest';
import type { HourStat, TypicalWeek } from '../../../shared/typical.js';
import {
  departureWindow,
  localMinutes,
  parseTimeValue,
  planTrip,
  timeValue,
  tripShape,
  typicalFor,
  type PlanInput,
} from './trip-plan.js';

const TZ = 'Asia/Shanghai';
/** Monday 2026-12-07 09:53:30 in Jiangmen (UTC+8). */
const NOW = Date.parse('2026-12-07T01:53:30Z');
const MIN = 60_000;

const none: HourStat = { wait: null, low: null, high: null, days: 0 };
const stat = (wait: number, low: number, high: number): HourStat => ({ wait, low, high, days: 10 });
/** Weekdays: 20 min (16-24) at 09:00, 10 min (5-20) at 12:00; weekends: 3 min at midnight. */
const week: TypicalWeek = {
  enough: true,
  days: 14,
  weekday: Array.from({ length: 24 }, (_, h) => (h === 9 ? stat(20, 16, 24) : h === 12 ? stat(10, 5, 20) : none)),
  weekend: Array.from({ length: 24 }, (_, h) => (h === 0 ? stat(3, 2, 4) : none)),
};
const base: PlanInput = {
  nowMs: NOW,
  tz: TZ,
  departMin: 10 * 60,
  walkMinutes: 10,
  waitNow: 20,
  trendPerMin: 0,
  week: null,
};

describe('the departure time input', () => {
  it('reads the local clock with the running minute', () => {
    expect(localMinutes(NOW, TZ)).toBe(9 * 60 + 53.5);
  });

  it('when opened, then it proposes now rounded up to the next 5 minutes, and allows the rest of today', () => {
    expect(departureWindow(9 * 60 + 53.5)).toEqual({ min: 593, max: 1439, initial: 595 });
    expect(departureWindow(9 * 60 + 55)).toEqual({ min: 595, max: 1439, initial: 595 });
    expect(departureWindow(0)).toEqual({ min: 0, max: 1439, initial: 0 });
  });

  it('when less than 5 minutes of today are left, then no later departure is offered', () => {
    expect(departureWindow(23 * 60 + 50)).toEqual({ min: 1430, max: 1439, initial: 1430 });
    expect(departureWindow(23 * 60 + 51)).toEqual({ min: 1431, max: 1439, initial: 1435 });
    expect(departureWindow(23 * 60 + 54.5)).toEqual({ min: 1434, max: 1439, initial: 1435 });
    expect(departureWindow(23 * 60 + 55)).toBeNull();
    expect(departureWindow(23 * 60 + 59.9)).toBeNull();
  });

  it('parses and writes "HH:MM", and refuses an empty or broken value', () => {
    expect(parseTimeValue('10:30')).toBe(630);
    expect(parseTimeValue('10:30:15')).toBe(630);
    expect(parseTimeValue('')).toBeNull();
    expect(parseTimeValue('24:00')).toBeNull();
    expect(parseTimeValue('9:30')).toBeNull();
    expect(timeValue(595)).toBe('09:55');
    expect(timeValue(0)).toBe('00:00');
    expect(timeValue(1439)).toBe('23:59');
  });
});

describe('how the predicted wait is said', () => {
  it('when the range is narrow, then a single number; when wide, then the range', () => {
    expect(tripShape({ wait: 12, low: 10, high: 15 })).toEqual({ kind: 'point', n: 12 });
    expect(tripShape({ wait: 12, low: 8, high: 16 })).toEqual({ kind: 'range', lo: 8, hi: 16 });
    expect(tripShape({ wait: 40, low: 35, high: 45 })).toEqual({ kind: 'point', n: 40 });
  });
});

describe('typicalFor', () => {
  it('reads the kind of day of the arrival, which may be tomorrow', () => {
    // Friday 23:50 + 20 minutes: Saturday 00:10, a weekend hour.
    expect(typicalFor(week, Date.parse('2026-12-11T16:10:00Z'), TZ)).toEqual(stat(3, 2, 4));
    expect(typicalFor(week, Date.parse('2026-12-07T04:30:00Z'), TZ)).toEqual(stat(10, 5, 20));
    expect(typicalFor({ ...week, enough: false }, Date.parse('2026-12-07T04:30:00Z'), TZ)).toBeNull();
    expect(typicalFor(null, NOW, TZ)).toBeNull();
  });
});

describe('planTrip', () => {
  it('when leaving soon with a steady wait, then about the same wait on arrival, from the trend', () => {
    const p = planTrip(base);
    expect(p.kind).toBe('ok');
    if (p.kind !== 'ok') return;
    // Leaves at 10:00 (6.5 min from now), walks 10.
    expect(p.prediction.arriveMs).toBe(NOW + 16.5 * MIN);
    expect(p.prediction.wait).toBe(20);
    expect(p.prediction.basis).toBe('trend');
    expect(p.early).toBe(false);
  });

  it('when the departure is hours away and no typical curve is known, then no prediction', () => {
    expect(planTrip({ ...base, departMin: 12 * 60 })).toEqual({ kind: 'unknown', reason: 'far' });
    expect(planTrip({ ...base, waitNow: null })).toEqual({ kind: 'unknown', reason: 'nodata' });
  });

  it('when the typical curve knows the arrival hour, then a later departure gets its range', () => {
    const p = planTrip({ ...base, departMin: 12 * 60, week });
    expect(p.kind).toBe('ok');
    if (p.kind !== 'ok') return;
    expect(p.prediction.basis).toBe('both');
    // Today runs as usual (20 vs 20), so the arrival hour's 10 (5-20) holds.
    expect(p.prediction.wait).toBe(10);
    expect(p.shape).toEqual({ kind: 'range', lo: p.prediction.low, hi: p.prediction.high });
    expect(p.prediction.low).toBeLessThanOrEqual(5);
    expect(p.prediction.high).toBeGreaterThanOrEqual(20);
  });

  it('without a known position, then the walk is left out', () => {
    const p = planTrip({ ...base, walkMinutes: null });
    expect(p.kind === 'ok' && p.prediction.arriveMs).toBe(NOW + 6.5 * MIN);
  });

  it('when the chosen time has passed, then it counts as leaving now', () => {
    const p = planTrip({ ...base, departMin: 9 * 60 });
    expect(p.kind === 'ok' && p.early).toBe(true);
    expect(p.kind === 'ok' && p.prediction.arriveMs).toBe(NOW + 10 * MIN);
  });

  it('when the site is not open on arrival, then it says so instead of a wait', () => {
    const hours = [{ open: '08:00', close: '12:00' }];
    expect(planTrip({ ...base, departMin: 11 * 60 + 55, hours })).toEqual({
      kind: 'shut',
      arriveMs: NOW + (2 * 60 + 11.5) * MIN,
    });
  });

  it('when the wait on arrival runs past closing, then it is flagged', () => {
    const hours = [{ open: '08:00', close: '10:30' }];
    const p = planTrip({ ...base, waitNow: 40, hours });
    expect(p.kind === 'ok' && p.pastClosing).toBe(true);
    expect(planTrip({ ...base, hours }).kind === 'ok').toBe(true);
  });
});
