// Chinese first, English on request; the choice is remembered per device.
export type Lang = 'zh-CN' | 'en';
export type Dict = Record<string, { 'zh-CN': string; en: string }>;

const KEY = 'shortline.lang';

export function currentLang(): Lang {
  try {
    const stored = localStorage.getItem(KEY);
    if (stored === 'en' || stored === 'zh-CN') return stored;
  } catch {
    /* storage may be blocked; default applies */
  }
  return 'zh-CN';
}

export function setLang(lang: Lang): void {
  try {
    localStorage.setItem(KEY, lang);
  } catch {
    /* ignore: the switch still works for this page view */
  }
  document.documentElement.lang = lang;
}

/** Words every page shows: levels, sources, statuses. */
export const COMMON: Dict = {
  'level.low': { 'zh-CN': '畅通', en: 'Short' },
  'level.medium': { 'zh-CN': '较多', en: 'Busy' },
  'level.high': { 'zh-CN': '拥挤', en: 'Crowded' },
  'level.closed': { 'zh-CN': '已关闭', en: 'Closed' },
  'level.unknown': { 'zh-CN': '暂无数据', en: 'No data' },
  'status.open': { 'zh-CN': '开放中', en: 'Open' },
  'status.paused': { 'zh-CN': '暂停', en: 'Paused' },
  'status.closed': { 'zh-CN': '已关闭', en: 'Closed' },
  'source.staff': { 'zh-CN': '现场人员上报', en: 'Staff count' },
  'source.carrier': { 'zh-CN': '运营商估算', en: 'Carrier estimate' },
  'source.none': { 'zh-CN': '无数据', en: 'No data' },
  'pause.break': { 'zh-CN': '休息', en: 'Break' },
  'pause.supplies': { 'zh-CN': '物资不足', en: 'Out of supplies' },
  'pause.staffing': { 'zh-CN': '人手不足', en: 'Short of staff' },
  'pause.weather': { 'zh-CN': '天气原因', en: 'Weather' },
  'pause.other': { 'zh-CN': '其他原因', en: 'Other' },
  min: { 'zh-CN': '{n} 分钟', en: '{n} min' },
  'ago.now': { 'zh-CN': '刚刚', en: 'just now' },
  'ago.min': { 'zh-CN': '{n} 分钟前', en: '{n} min ago' },
  'ago.hour': { 'zh-CN': '{n} 小时前', en: '{n} h ago' },
  'conn.offline': { 'zh-CN': '连接已断开，数据停在 {ago}', en: 'Connection lost; data as of {ago}' },
  'conn.reconnecting': { 'zh-CN': '正在重新连接…', en: 'Reconnecting…' },
  demo: { 'zh-CN': '演示数据', en: 'Demo data' },
  'lang.switch': { 'zh-CN': 'English', en: '中文' },
};

export function translator(...dicts: Dict[]) {
  const all: Dict = Object.assign({}, COMMON, ...dicts);
  return (key: string, params: Record<string, string | number> = {}, lang: Lang = currentLang()): string => {
    const entry = all[key];
    const text = entry ? entry[lang] : key;
    return text.replace(/\{(\w+)\}/g, (_, k: string) => String(params[k] ?? ''));
  };
}

/** "3 min ago" from an ISO time, against the client's clock. */
export function agoKey(iso: string | null, nowMs = Date.now()): [string, Record<string, number>] {
  if (!iso) return ['source.none', {}];
  const min = Math.max(0, Math.floor((nowMs - Date.parse(iso)) / 60_000));
  if (min < 1) return ['ago.now', {}];
  if (min < 60) return ['ago.min', { n: min }];
  return ['ago.hour', { n: Math.floor(min / 60) }];
}
