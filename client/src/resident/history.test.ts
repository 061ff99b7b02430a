import { describe, expect, it } from 'vitest';
import { offsetMinutes, quietHours, todaySeries, typicalByHour, type Point } from './history.js';

const TZ = 'Asia/Shanghai';
/** Per-minute points from `fromIso` for `minutes`, wait = f(local hour). */
function points(fromIso: string, minutes: number, f: (hour: number) => number | null): Point[] {
  const start = Date.parse(fromIso);
  return Array.from({ length: minutes }, (_, m) => {
    const ms = start + m * 60_000;
    const hour = new Date(ms + 8 * 3600_000).getUTCHours();
    const w = f(hour);
    return { at: new Date(ms).toISOString(), queue: w === null ? null : w * 4, waitMinutes: w };
  });
}

describe('history for the details charts', () => {
  it('when the zone is Shanghai, then the offset is +480 minutes', () => {
    expect(offsetMinutes(Date.parse('2026-11-22T20:00:00Z'), TZ)).toBe(480);
    expect(offsetMinutes(Date.parse('2026-11-22T20:00:00Z'), 'UTC')).toBe(0);
  });

  it('when three days are averaged, then each local hour gets its own mean and empty hours stay null', () => {
    const pts = points('2026-11-19T16:00:00Z', 72 * 60, (h) => (h >= 8 && h < 20 ? h : null));
    const typ = typicalByHour(pts, TZ);
    expect(typ.wait[9]).toBe(9);
    expect(typ.wait[19]).toBe(19);
    expect(typ.wait[3]).toBeNull();
    expect(typ.samples[9]).toBe(180);
  });

  it('when some hours are quieter, then the three quietest (with enough readings) are named in clock order', () => {
    const pts = points('2026-11-19T16:00:00Z', 72 * 60, (h) => (h >= 8 && h < 20 ? Math.abs(h - 14) : null));
    expect(quietHours(typicalByHour(pts, TZ))).toEqual([13, 14, 15]);
  });

  it('when the site is not open at its quietest hours today, then other hours are named', () => {
    const pts = points('2026-11-19T16:00:00Z', 72 * 60, (h) => (h >= 8 && h < 20 ? 20 - h : null));
    expect(quietHours(typicalByHour(pts, TZ))).toEqual([17, 18, 19]);
    expect(quietHours(typicalByHour(pts, TZ), 10, (h) => h < 17)).toEqual([14, 15, 16]);
  });

  it("when a series is asked for today, then only today's local points come back, binned", () => {
    const pts = points('2026-11-21T16:00:00Z', 36 * 60, () => 5);
    const now = Date.parse('2026-11-23T03:59:00Z'); // 11:59 on the 23rd, local
    const today = todaySeries(pts, TZ, now, 60);
    expect(today[0]).toEqual({ label: '00:00', wait: 5 });
    expect(today.at(-1)!.label).toBe('11:00');
    expect(today).toHaveLength(12);
  });
});
