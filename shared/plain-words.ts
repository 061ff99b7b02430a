// The words of the server-rendered pages (/lite, /embed, /board's static parts), Chinese first.
// Chosen for the elderly: a wait is said as a sentence ("排队约 15 分钟"), never a colour alone.
import type { Level, LiveState, Source } from './schemas.js';

export type Lang = 'zh' | 'en';
export const langOf = (q: unknown): Lang => (q === 'en' ? 'en' : 'zh');

const W = {
  title: ['排队实况（简版）', 'Live queues (lite)'],
  boardTitle: ['排队实况', 'Live queues'],
  lang: ['English', '中文'],
  refresh: ['刷新', 'Refresh'],
  autoOn: ['每分钟自动刷新', 'Refresh every minute'],
  autoOff: ['停止自动刷新', 'Stop refreshing'],
  search: ['搜索采样点', 'Search sites'],
  searchHint: ['名称、街道、区或四位编码', 'Name, street, district or 4-letter code'],
  go: ['查找', 'Find'],
  near: ['按步行加排队排序', 'Sorted by walk + wait'],
  none: ['没有找到采样点', 'No site found'],
  areas: ['按区、镇街查看', 'Browse by district and town'],
  full: ['完整地图版', 'Full map'],
  code: ['编码', 'Code'],
  hoursAlways: ['全天开放', 'Always open'],
  noData: ['暂无实时数据', 'No live data'],
  closed: ['已关闭', 'Closed'],
  paused: ['暂停服务', 'Paused'],
  ageNow: ['刚刚更新', 'updated just now'],
  ageMin: ['{n} 分钟前更新', 'updated {n} min ago'],
  ageHour: ['{n} 小时前更新', 'updated {n} h ago'],
  walk: ['步行约 {n} 分钟', '~{n} min walk'],
  waitQueue: ['排队{w}', 'Wait {w}'],
  waitPoint: ['约 {n} 分钟', 'about {n} min'],
  waitSpan: ['约 {lo}–{hi} 分钟', 'about {lo}–{hi} min'],
  rough: ['粗估', 'rough'],
  count: ['共 {n} 个采样点', '{n} sites'],
  more: ['还有 {n} 个，请缩小范围', '{n} more: narrow the search'],
  notice: ['通知', 'Notice'],
  staleAll: ['数据已过时，请以现场为准', 'Data is out of date; check on site'],
  skip: ['跳到列表', 'Skip to list'],
  'source.staff': ['工作人员上报', 'staff report'],
  'source.carrier': ['手机信令估算', 'phone-signal estimate'],
  'source.none': ['无数据', 'no data'],
  'level.low': ['人少', 'Short'],
  'level.medium': ['人较多', 'Busy'],
  'level.high': ['人很多', 'Very busy'],
  'level.closed': ['已关闭', 'Closed'],
  'level.unknown': ['暂无数据', 'Unknown'],
  'day.1': ['周一', 'Mon'],
  'day.2': ['周二', 'Tue'],
  'day.3': ['周三', 'Wed'],
  'day.4': ['周四', 'Thu'],
  'day.5': ['周五', 'Fri'],
  'day.6': ['周六', 'Sat'],
  'day.7': ['周日', 'Sun'],
  qrFull: ['扫码看地图', 'Scan for the map'],
  qrLite: ['简版（老人机）', 'Lite page'],
  boardStale: [
    '连接中断，以下是{age}的旧数据，请以现场为准',
    'Connection lost: figures below are from {age}; check on site',
  ],
  boardConnecting: ['正在连接…', 'Connecting…'],
  page: ['第 {p}/{n} 页', 'Page {p} of {n}'],
} as const satisfies Record<string, readonly [string, string]>;

export type WordKey = keyof typeof W;

export function word(lang: Lang, key: WordKey, params: Record<string, string | number> = {}): string {
  const s: string = W[key][lang === 'zh' ? 0 : 1];
  return s.replace(/\{(\w+)\}/g, (_, k: string) => String(params[k] ?? ''));
}

export const levelWord = (lang: Lang, level: Level): string => word(lang, `level.${level}`);
export const sourceWord = (lang: Lang, source: Source): string => word(lang, `source.${source}`);

/** "3 分钟前更新" from an ISO time; null when there is no data. */
export function ageWords(lang: Lang, iso: string | null, nowMs: number): string | null {
  if (!iso) return null;
  const min = Math.max(0, Math.floor((nowMs - Date.parse(iso)) / 60_000));
  if (min < 1) return word(lang, 'ageNow');
  if (min < 120) return word(lang, 'ageMin', { n: min });
  return word(lang, 'ageHour', { n: Math.floor(min / 60) });
}

/** What the wait rule reads from a live state (a LiveState, or the page's view of one). */
export type WaitFacts = Pick<LiveState, 'status' | 'level' | 'waitMinutes' | 'confidence'> & {
  waitRange?: readonly [number, number] | null;
};

/** How a wait is said: nothing to say, a point ("约 12 分钟") or a range ("约 10–15 分钟"). */
export type WaitShape =
  | { kind: 'none' | 'closed' | 'paused' }
  | { kind: 'point'; n: number; rough: boolean }
  | { kind: 'range'; lo: number; hi: number; rough: boolean };

/**
 * A range is shown only when it says more than "about N": its span is at least RANGE_MIN_SPAN
 * minutes AND at least RANGE_MIN_SHARE of the wait. Under 5 min it sits inside the error residents
 * are promised anyway (the accuracy goals count "within 5 min" as right), and a span under half
 * the wait (40–48 around 44) is what anyone reads into "约 44 分钟" already; either way the extra
 * digits would only cost width on a 320 px phone. Above both, "约 12 分钟" would hide that the
 * estimate could as well be 6 or 20 (an uncalibrated carrier reading, an old staff count).
 */
export const RANGE_MIN_SPAN = 5;
export const RANGE_MIN_SHARE = 0.5;
/**
 * Below this confidence the wait is marked rough (粗估): the estimator's confidence is the chance
 * that the true wait lies within a few minutes of the number (shared/estimator.ts waitSpread), so
 * under 0.5 the number is more likely off than right. A missing confidence counts as unsure, as
 * in the ranking (shared/rank.ts).
 */
export const ROUGH_BELOW = 0.5;

/**
 * The one rule for saying a wait, on every page. `atArrival`: a predicted wait on arrival (the
 * recommendation) instead of the current one; the range moves with it by the same minutes (the
 * prediction's own error only widens it further, so this is the least the resident should expect).
 * A paused site has no wait to offer: nobody is being served there now.
 */
export function waitShape(l: WaitFacts | null | undefined, atArrival?: number): WaitShape {
  if (!l) return { kind: 'none' };
  if (l.level === 'closed' || l.status === 'closed') return { kind: 'closed' };
  if (l.status === 'paused') return { kind: 'paused' };
  if (l.level === 'unknown' || l.waitMinutes === null) return { kind: 'none' };
  const n = atArrival ?? l.waitMinutes;
  const rough = l.confidence === null || l.confidence < ROUGH_BELOW;
  const r = l.waitRange;
  if (!r) return { kind: 'point', n, rough };
  const shift = n - l.waitMinutes;
  const lo = Math.max(0, Math.min(r[0], l.waitMinutes) + shift);
  const hi = Math.max(lo, n, Math.max(r[1], l.waitMinutes) + shift);
  const span = hi - lo;
  return span >= RANGE_MIN_SPAN && span >= RANGE_MIN_SHARE * n
    ? { kind: 'range', lo, hi, rough }
    : { kind: 'point', n, rough };
}

/** "约 12 分钟" / "约 10–15 分钟" (without the rough mark); null when there is no wait to say. */
export function waitPhrase(lang: Lang, shape: WaitShape): string | null {
  if (shape.kind === 'point') return word(lang, 'waitPoint', { n: shape.n });
  if (shape.kind === 'range') return word(lang, 'waitSpan', { lo: shape.lo, hi: shape.hi });
  return null;
}

/** The rough mark ("粗估"), or '' when the wait is not rough or there is none. */
export const roughWord = (lang: Lang, shape: WaitShape): string =>
  (shape.kind === 'point' || shape.kind === 'range') && shape.rough ? word(lang, 'rough') : '';

/** "排队约 15 分钟 · 人较多" and the rough mark, or what stands instead (closed, paused, no data). */
export function waitWords(lang: Lang, l: LiveState | undefined): { main: string; rough: string } {
  const shape = waitShape(l);
  const phrase = waitPhrase(lang, shape);
  if (phrase === null) {
    const key = shape.kind === 'closed' ? 'closed' : shape.kind === 'paused' ? 'paused' : 'noData';
    return { main: word(lang, key), rough: '' };
  }
  return {
    main: `${word(lang, 'waitQueue', { w: phrase })} · ${levelWord(lang, l!.level)}`,
    rough: roughWord(lang, shape),
  };
}
