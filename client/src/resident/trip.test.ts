import { describe, expect, it } from 'vitest';
import { predictArrival, type TripInput } from './trip.js';

const NOW = Date.parse('2026-11-20T02:00:00Z');
const base: TripInput = {
  nowMs: NOW,
  departMs: NOW,
  walkMinutes: 10,
  waitNow: 30,
  trendPerMin: 0,
  typicalNow: null,
  typicalThen: null,
};
const hourStat = (wait: number, low = wait, high = wait) => ({ wait, low, high, days: 10 });

describe('predictArrival', () => {
  it('leaving now with a steady wait predicts about the same wait, with a range around it', () => {
    const p = predictArrival(base)!;
    expect(p.arriveMs).toBe(NOW + 10 * 60_000);
    expect(p.wait).toBe(30);
    expect(p.low).toBeLessThan(30);
    expect(p.high).toBeGreaterThan(30);
    expect(p.basis).toBe('trend');
  });

  it('follows a falling trend for a near departure, but never below zero', () => {
    expect(predictArrival({ ...base, trendPerMin: -0.5 })!.wait).toBe(25);
    expect(predictArrival({ ...base, trendPerMin: -5 })!.wait).toBe(0);
    expect(predictArrival({ ...base, trendPerMin: -5 })!.low).toBe(0);
  });

  it('without a typical curve, a departure hours away gets no answer rather than a guess', () => {
    expect(predictArrival({ ...base, departMs: NOW + 3 * 3600_000 })).toBeNull();
    expect(predictArrival({ ...base, waitNow: null })).toBeNull();
  });

  it('a later departure leans on the typical curve of the arrival hour, scaled by how today compares', () => {
    // Today is running at twice the usual (30 vs 15); the arrival hour is usually 10 (8-14).
    const p = predictArrival({
      ...base,
      departMs: NOW + 4 * 3600_000,
      typicalNow: hourStat(15),
      typicalThen: hourStat(10, 8, 14),
    })!;
    expect(p.basis).toBe('both');
    expect(p.wait).toBeGreaterThanOrEqual(19);
    expect(p.wait).toBeLessThanOrEqual(21);
    expect(p.low).toBeLessThanOrEqual(16);
    expect(p.high).toBeGreaterThanOrEqual(28);
  });

  it('a trend that has faded hours ahead no longer stretches the range to zero', () => {
    // Falling fast now (the trend alone would say 0), usually 15-25 at the arrival hour.
    const p = predictArrival({
      ...base,
      trendPerMin: -2,
      departMs: NOW + 3 * 3600_000,
      typicalNow: hourStat(30),
      typicalThen: hourStat(20, 15, 25),
    })!;
    expect(p.basis).toBe('both');
    expect(p.low).toBeGreaterThanOrEqual(13);
    expect(p.high).toBeLessThanOrEqual(27);
  });

  it('the range widens the further ahead the arrival is', () => {
    const near = predictArrival({ ...base, trendPerMin: 0.2 })!;
    const far = predictArrival({ ...base, trendPerMin: 0.2, departMs: NOW + 40 * 60_000 })!;
    expect(far.high - far.low).toBeGreaterThan(near.high - near.low);
  });

  it('a departure time in the past counts as leaving now', () => {
    expect(predictArrival({ ...base, departMs: NOW - 3600_000 })!.arriveMs).toBe(NOW + 10 * 60_000);
  });
});
