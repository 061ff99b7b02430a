// Numbers and times as residents read them.
import type { LiveState, OpeningHours } from '../../../shared/schemas.js';
import { agoKey } from '../lib/i18n.js';
import { t } from './text.js';

export const waitText = (l: LiveState | null): string =>
  l && l.waitMinutes !== null && l.level !== 'closed' ? t('wait.about', { n: l.waitMinutes }) : '—';

export function agoText(iso: string | null, nowMs: number): string {
  const [key, params] = agoKey(iso, nowMs);
  return t(key, params);
}

export function distanceText(m: number): string {
  return m < 1000 ? t('dist.m', { n: Math.round(m / 10) * 10 }) : t('dist.km', { n: (m / 1000).toFixed(1) });
}

const pad = (n: number) => String(n).padStart(2, '0');
export const hhmm = (minutes: number): string => `${pad(Math.floor(minutes / 60) % 24)}:${pad(minutes % 60)}`;

/** "周一至周五" for consecutive ISO days, "周一、周三" otherwise, "每天" for all or none. */
export function daysText(days: number[] | undefined): string {
  if (!days || days.length === 0 || days.length === 7) return t('day.every');
  const sorted = [...new Set(days)].sort((a, b) => a - b);
  const consecutive = sorted.every((d, i) => i === 0 || d === sorted[i - 1]! + 1);
  if (consecutive && sorted.length > 2)
    return t('day.range', { a: t(`day.${sorted[0]}`), b: t(`day.${sorted.at(-1)}`) });
  return sorted.map((d) => t(`day.${d}`)).join(t('day.sep'));
}

/** One line per period, e.g. "周一至周五 08:00–12:00". */
export function hoursLines(hours: OpeningHours[] | undefined): string[] {
  if (!hours || hours.length === 0) return [t('d.hoursAlways')];
  return hours.map((h) => `${daysText(h.days)} ${h.open}–${h.close}`);
}
