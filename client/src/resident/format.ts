// Numbers and times as residents read them.
import { roughWord, waitPhrase, waitShape, type Lang as WordsLang } from '../../../shared/plain-words.js';
import type { LiveState, OpeningHours } from '../../../shared/schemas.js';
import { agoKey, currentLang } from '../lib/i18n.js';
import { t } from './text.js';

const wordsLang = (): WordsLang => (currentLang() === 'en' ? 'en' : 'zh');

/**
 * The wait as every page says it (shared/plain-words.ts waitShape: a range where it is wide, a
 * rough mark where confidence is low), "暂停" for a paused site, "—" when there is none.
 * `atArrival`: the predicted wait on arrival, for recommendations.
 */
export function waitParts(l: LiveState | null, atArrival?: number): { text: string; rough: string } {
  const shape = waitShape(l, atArrival);
  const lang = wordsLang();
  const text = waitPhrase(lang, shape) ?? (shape.kind === 'paused' ? t('status.paused') : '—');
  return { text, rough: roughWord(lang, shape) };
}

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
