import { describe, expect, it } from 'vitest';
import { isOpenAt, localTime, minutesUntilClose } from './hours.js';

const t = (dow: number, hhmm: string) => ({
  dow,
  minutes: Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3)),
  day: 'x',
});

describe('opening hours', () => {
  it('when asked for local time in Shanghai, then UTC+8 with ISO weekday is used', () => {
    expect(localTime(Date.parse('2026-11-22T02:05:00Z'), 'Asia/Shanghai')).toEqual({
      dow: 7,
      minutes: 10 * 60 + 5,
      day: '2026-11-22',
    });
  });
  it('when a site has no hours, then it is always open and has no closing time', () => {
    expect(isOpenAt(undefined, t(1, '03:00'))).toBe(true);
    expect(minutesUntilClose(undefined, t(1, '03:00'))).toBeNull();
  });
  it('when a day has a lunch break, then the site is closed during it', () => {
    const hours = [
      { open: '08:00', close: '12:00' },
      { open: '14:00', close: '20:00' },
    ];
    expect(isOpenAt(hours, t(3, '11:59'))).toBe(true);
    expect(isOpenAt(hours, t(3, '12:00'))).toBe(false);
    expect(isOpenAt(hours, t(3, '14:00'))).toBe(true);
    expect(minutesUntilClose(hours, t(3, '19:30'))).toBe(30);
  });
  it('when a site with hours is closed now, then it has no minutes left (not "no closing time")', () => {
    const hours = [
      { open: '08:00', close: '12:00' },
      { open: '14:00', close: '20:00' },
    ];
    expect(minutesUntilClose(hours, t(3, '12:30'))).toBe(0);
    expect(minutesUntilClose(hours, t(3, '21:00'))).toBe(0);
    expect(minutesUntilClose(hours, t(3, '07:59'))).toBe(0);
    expect(minutesUntilClose(hours, t(3, '08:00'))).toBe(240);
  });
  it('when hours are for weekdays only, then the weekend is closed', () => {
    const hours = [{ days: [1, 2, 3, 4, 5], open: '08:00', close: '18:00' }];
    expect(isOpenAt(hours, t(5, '09:00'))).toBe(true);
    expect(isOpenAt(hours, t(6, '09:00'))).toBe(false);
  });
  it('when a period runs past midnight, then it is open early next morning and closes then', () => {
    const hours = [{ days: [5], open: '20:00', close: '02:00' }];
    expect(isOpenAt(hours, t(5, '23:00'))).toBe(true);
    expect(isOpenAt(hours, t(6, '01:00'))).toBe(true);
    expect(isOpenAt(hours, t(6, '02:00'))).toBe(false);
    expect(isOpenAt(hours, t(1, '01:00'))).toBe(false);
    expect(minutesUntilClose(hours, t(5, '23:00'))).toBe(180);
  });
  it('when a site is open until 24:00, then it is open at 23:59', () => {
    expect(isOpenAt([{ open: '07:00', close: '24:00' }], t(2, '23:59'))).toBe(true);
  });
});
