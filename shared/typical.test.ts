import { describe, expect, it } from 'vitest';
import { busierThanUsual, dayKindOf, quieterLater, typicalAt, typicalWeek, type HourWait } from './typical.js';

const TZ = 'Asia/Shanghai';
/** Archived hours for `days` local days from 2026-11-02 (a Monday), wait = f(day index, local hour). */
function history(days: number, f: (day: number, hour: number, weekend: boolean) => number | null): HourWait[] {
  const out: HourWait[] = [];
  const start = Date.parse('2026-11-01T16:00:00Z'); // Mon 2026-11-02 00:00 in Shanghai
  for (let hr = 0; hr < days * 24; hr++) {
    const hourMs = start + hr * 3600_000;
    const local = new Date(hourMs + 8 * 3600_000);
    const wait = f(Math.floor(hr / 24), local.getUTCHours(), local.getUTCDay() === 0 || local.getUTCDay() === 6);
    out.push({ hourMs, wait });
  }
  return out;
}

describe('typicalWeek', () => {
  it('knows Saturday and Sunday as weekend days', () => {
    expect(dayKindOf('2026-11-07')).toBe('weekend');
    expect(dayKindOf('2026-11-08')).toBe('weekend');
    expect(dayKindOf('2026-11-09')).toBe('weekday');
  });

  it('says nothing usual from less than 7 days, however many readings', () => {
    const typ = typicalWeek(
      history(6, (_d, h) => (h >= 8 && h < 20 ? 20 : null)),
      TZ,
    );
    expect(typ.enough).toBe(false);
    expect(typ.days).toBe(6);
    expect(typicalAt(typ, 'weekday', 10)).toBeNull();
    expect(quieterLater(typ, 'weekday', 9)).toEqual([]);
  });

  it('from 14 days keeps weekdays and weekends apart, by local hour, as the median over days', () => {
    const typ = typicalWeek(
      history(14, (d, h, weekend) => (h < 8 || h >= 20 ? null : weekend ? 5 : d === 3 ? 90 : h === 9 ? 40 : 15)),
      TZ,
    );
    expect(typ.enough).toBe(true);
    expect(typicalAt(typ, 'weekday', 9)!.wait).toBe(40);
    // One odd Thursday at 90 minutes does not move the median.
    expect(typicalAt(typ, 'weekday', 14)!.wait).toBe(15);
    expect(typicalAt(typ, 'weekday', 14)!.days).toBe(10);
    expect(typicalAt(typ, 'weekend', 14)!.wait).toBe(5);
    expect(typicalAt(typ, 'weekday', 3)).toBeNull();
  });

  it('gives an hour a typical value only when enough different days had readings then', () => {
    // Hour 18 only on two weekdays: not enough (3 needed) even with many readings.
    const typ = typicalWeek(
      history(14, (d, h) => (h === 18 ? (d === 0 || d === 1 ? 30 : null) : h >= 8 && h < 18 ? 10 : null)),
      TZ,
    );
    expect(typicalAt(typ, 'weekday', 18)).toBeNull();
    expect(typ.weekday[18]!.days).toBe(2);
  });

  it('"usually quieter at" names only later hours clearly below this one, and only open ones', () => {
    const typ = typicalWeek(
      history(14, (_d, h) => (h < 8 || h >= 20 ? null : h === 10 ? 40 : h === 15 ? 12 : h === 16 ? 36 : 30)),
      TZ,
    );
    // The three lowest later hours: 15:00 (12 min), then the earliest of the 30-minute ones.
    expect(quieterLater(typ, 'weekday', 10)).toEqual([11, 12, 15]);
    // Open only 15:00-17:00: 16:00 (36 min) is not clearly quieter than 40.
    expect(quieterLater(typ, 'weekday', 10, (h) => h === 15 || h === 16)).toEqual([15]);
    // From 16:00 (36 min) nothing later is 25% and 5 min lower.
    expect(quieterLater(typ, 'weekday', 16)).toEqual([]);
    // The case: the busiest hour is never called quiet.
    expect(quieterLater(typ, 'weekday', 9)).not.toContain(10);
  });

  it('"busier than usual" only when today is well above the usual for this hour', () => {
    const typ = typicalWeek(
      history(14, (_d, h) => (h >= 8 && h < 20 ? 12 : null)),
      TZ,
    );
    expect(busierThanUsual(typ, 'weekday', 10, 40)).toBe(true);
    expect(busierThanUsual(typ, 'weekday', 10, 18)).toBe(false);
    expect(busierThanUsual(typ, 'weekday', 10, null)).toBe(false);
    expect(
      busierThanUsual(
        typicalWeek(
          history(5, () => 12),
          TZ,
        ),
        'weekday',
        10,
        60,
      ),
    ).toBe(false);
  });
});
