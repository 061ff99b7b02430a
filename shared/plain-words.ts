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
  waitAbout: ['排队约 {n} 分钟', 'Wait about {n} min'],
  range: ['（{lo}–{hi} 分钟）', ' ({lo}–{hi} min)'],
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

type WithRange = LiveState & { waitRange?: [number, number] | null };

/** "排队约 15 分钟" and the level word, or what stands instead (closed, paused, no data). */
export function waitWords(lang: Lang, l: LiveState | undefined): { main: string; range: string } {
  if (!l || l.level === 'unknown' || l.waitMinutes === null) {
    if (l?.status === 'paused') return { main: word(lang, 'paused'), range: '' };
    return { main: l?.level === 'closed' ? word(lang, 'closed') : word(lang, 'noData'), range: '' };
  }
  if (l.level === 'closed') return { main: word(lang, 'closed'), range: '' };
  if (l.status === 'paused') return { main: word(lang, 'paused'), range: '' };
  const r = (l as WithRange).waitRange;
  return {
    main: `${word(lang, 'waitAbout', { n: l.waitMinutes })} · ${levelWord(lang, l.level)}`,
    range: r ? word(lang, 'range', { lo: r[0], hi: r[1] }) : '',
  };
}
