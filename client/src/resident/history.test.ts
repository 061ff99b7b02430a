import { describe, expect, it } from 'vitest';
import { offsetMinutes, todaySeries, type Point } from './history.js';

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

  it("when a series is asked for today, then only today's local points come back, binned", () => {
    const pts = points('2026-11-21T16:00:00Z', 36 * 60, () => 5);
    const now = Date.parse('2026-11-23T03:59:00Z'); // 11:59 on the 23rd, local
    const today = todaySeries(pts, TZ, now, 60);
    expect(today[0]).toEqual({ label: '00:00', wait: 5 });
    expect(today.at(-1)!.label).toBe('11:00');
    expect(today).toHaveLength(12);
  });
});
