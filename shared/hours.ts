// Opening hours in the sites' own time zone. Days are ISO: 1 = Monday ... 7 = Sunday.
import type { OpeningHours } from './schemas.js';

export interface LocalTime {
  /** ISO day of week, 1-7. */
  dow: number;
  /** Minutes since local midnight. */
  minutes: number;
  /** Local calendar day, YYYY-MM-DD. */
  day: string;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      weekday: 'short',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    });
    formatters.set(tz, f);
  }
  return f;
}

const DOW: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

export function isValidTimeZone(tz: string): boolean {
  try {
    formatter(tz);
    return true;
  } catch {
    return false;
  }
}

export function localTime(ms: number, tz: string): LocalTime {
  const parts: Record<string, string> = {};
  for (const p of formatter(tz).formatToParts(ms)) parts[p.type] = p.value;
  return {
    dow: DOW[parts.weekday ?? 'Mon'] ?? 1,
    minutes: Number(parts.hour) * 60 + Number(parts.minute),
    day: `${parts.year}-${parts.month}-${parts.day}`,
  };
}

export const parseHHMM = (s: string): number => Number(s.slice(0, 2)) * 60 + Number(s.slice(3, 5));

const prevDow = (dow: number) => (dow === 1 ? 7 : dow - 1);
const onDay = (h: OpeningHours, dow: number) => !h.days || h.days.includes(dow);

/**
 * Minutes until this period closes if it is open at `t`, else null. A period whose close is not
 * after its open runs past midnight into the next day.
 */
function minutesLeftIn(h: OpeningHours, t: LocalTime): number | null {
  const open = parseHHMM(h.open);
  const close = parseHHMM(h.close);
  if (close > open) {
    return onDay(h, t.dow) && t.minutes >= open && t.minutes < close ? close - t.minutes : null;
  }
  if (onDay(h, t.dow) && t.minutes >= open) return 24 * 60 - t.minutes + close;
  if (onDay(h, prevDow(t.dow)) && t.minutes < close) return close - t.minutes;
  return null;
}

export function isOpenAt(hours: OpeningHours[] | undefined, t: LocalTime): boolean {
  if (!hours || hours.length === 0) return true;
  return hours.some((h) => minutesLeftIn(h, t) !== null);
}

/**
 * Minutes until the site closes: null when it has no hours (always open), 0 when its hours say it
 * is closed now. A fresh staff "open" keeps a site open past its hours (shared/domain.ts fuse), but
 * nobody should be sent to walk there: 0 makes every trip "past closing".
 */
export function minutesUntilClose(hours: OpeningHours[] | undefined, t: LocalTime): number | null {
  if (!hours || hours.length === 0) return null;
  let best = 0;
  for (const h of hours) best = Math.max(best, minutesLeftIn(h, t) ?? 0);
  return best;
}

/**
 * The site has hours and they say it is closed now (0 minutes left). Nobody is sent there, nor told
 * "go now", whatever a fresh staff report keeps on the map: the ranking reads the same 0 as "past
 * closing" (shared/rank.ts).
 */
export const pastHours = (hours: OpeningHours[] | undefined, t: LocalTime): boolean =>
  minutesUntilClose(hours, t) === 0;
