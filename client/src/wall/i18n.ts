// The wall's and admin mode's words. A wall has nobody to press a switch: `?lang=en` picks English
// for that screen; otherwise the device's choice (Chinese by default) applies.
import { currentLang, translator, type Dict, type Lang } from '../lib/i18n.js';

export const WALL: Dict = {
  title: { 'zh-CN': '{city}采样点指挥大屏', en: '{city} sampling sites: command wall' },
  'kpi.queue': { 'zh-CN': '排队总人数', en: 'People queuing' },
  'kpi.open': { 'zh-CN': '开放点位', en: 'Sites open' },
  'kpi.openOf': { 'zh-CN': '共 {n} 个 · 暂停 {p}', en: 'of {n} · {p} paused' },
  'kpi.wait': { 'zh-CN': '平均等待', en: 'Average wait' },
  'kpi.low': { 'zh-CN': '畅通点位', en: 'Short queue' },
  'kpi.medium': { 'zh-CN': '较多点位', en: 'Busy' },
  'kpi.high': { 'zh-CN': '拥挤点位', en: 'Crowded' },
  'kpi.stale': { 'zh-CN': '无实时数据', en: 'No live data' },
  'kpi.staleSub': { 'zh-CN': '其中 {n} 个中断', en: '{n} gone dark' },
  'kpi.closed': { 'zh-CN': '已关闭 {n}', en: '{n} closed' },
  'unit.people': { 'zh-CN': '人', en: 'people' },
  'unit.min': { 'zh-CN': '分钟', en: 'min' },
  'unit.sites': { 'zh-CN': '个', en: 'sites' },
  'district.title': { 'zh-CN': '各区县情况', en: 'Districts' },
  'col.district': { 'zh-CN': '区县', en: 'District' },
  'col.queue': { 'zh-CN': '排队', en: 'Queue' },
  'col.wait': { 'zh-CN': '均等', en: 'Avg wait' },
  'col.open': { 'zh-CN': '开放', en: 'Open' },
  'col.low': { 'zh-CN': '畅通', en: 'Short' },
  'col.medium': { 'zh-CN': '较多', en: 'Busy' },
  'col.high': { 'zh-CN': '拥挤', en: 'Crowded' },
  'col.unknown': { 'zh-CN': '无数据', en: 'No data' },
  city: { 'zh-CN': '全市', en: 'City' },
  'chart.city': { 'zh-CN': '全市排队与平均等待（{h} 小时）', en: 'City queue, avg wait ({h} h)' },
  'chart.districts': { 'zh-CN': '各区县排队（{h} 小时）', en: 'Queue by district ({h} h)' },
  'chart.queue': { 'zh-CN': '排队人数', en: 'People queuing' },
  'chart.wait': { 'zh-CN': '平均等待（分钟）', en: 'Average wait (min)' },
  'list.longest': { 'zh-CN': '等待最久 前十', en: 'Ten longest waits' },
  'list.rising': { 'zh-CN': '15 分钟内增长最快', en: 'Rising fastest, last 15 min' },
  'list.stale': { 'zh-CN': '数据中断', en: 'Data gone stale' },
  'list.staleCount': { 'zh-CN': '共 {n} 个', en: '{n} in all' },
  'list.disagree': { 'zh-CN': '人工与运营商数据不一致', en: 'Staff vs carrier disagree' },
  'list.empty': { 'zh-CN': '暂无', en: 'None' },
  'row.wait': { 'zh-CN': '{n} 分钟', en: '{n} min' },
  'row.queue': { 'zh-CN': '{n} 人', en: '{n} ppl' },
  'row.rise': { 'zh-CN': '+{n} 人', en: '+{n}' },
  'row.riseFrom': { 'zh-CN': '{a} → {b}', en: '{a} → {b}' },
  'row.staleFor': { 'zh-CN': '已中断 {d}', en: 'dark for {d}' },
  'row.ratio': { 'zh-CN': '估算为人工的 {r} 倍', en: 'estimate {r}× staff' },
  'row.ratioZero': { 'zh-CN': '人工 0，估算有人', en: 'staff 0, estimate not' },
  'row.staffQ': { 'zh-CN': '人工 {n}', en: 'staff {n}' },
  'dur.min': { 'zh-CN': '{n} 分钟', en: '{n} min' },
  'dur.hour': { 'zh-CN': '{h} 小时 {m} 分', en: '{h} h {m} min' },
  'dur.day': { 'zh-CN': '{n} 天以上', en: 'over {n} d' },
  'notices.title': { 'zh-CN': '对居民公告', en: 'Notices to residents' },
  'notices.until': { 'zh-CN': '至 {t}', en: 'until {t}' },
  'notices.more': { 'zh-CN': '另有 {n} 条', en: '{n} more' },
  'notice.closed': { 'zh-CN': '停用', en: 'Closed' },
  'notice.redirect': { 'zh-CN': '改去', en: 'Go elsewhere' },
  'notice.info': { 'zh-CN': '通知', en: 'Info' },
  'notice.cityWide': { 'zh-CN': '全市', en: 'City-wide' },
  'notice.goTo': { 'zh-CN': '请改去 {name}', en: 'Please go to {name}' },
  'conn.live': { 'zh-CN': '实时连接', en: 'Live' },
  'conn.down': { 'zh-CN': '连接中断', en: 'Disconnected' },
  'age.last': { 'zh-CN': '最近更新 {ago}', en: 'Last update {ago}' },
  'age.sec': { 'zh-CN': '{n} 秒前', en: '{n} s ago' },
  'age.none': { 'zh-CN': '等待数据…', en: 'Waiting for data…' },
  'map.legend': { 'zh-CN': '点位等候情况', en: 'Sites by wait' },
  'map.actions': { 'zh-CN': '编号：待处置点位', en: 'Numbers: sites needing action' },
  'row.lanes': { 'zh-CN': '开 {a}/{b} 道', en: '{a}/{b} lanes' },
  'act.title': { 'zh-CN': '待处置（按影响排序）', en: 'Needs action (by harm)' },
  'act.count': { 'zh-CN': '共 {n} 处', en: '{n} in all' },
  'act.open-lane': { 'zh-CN': '加开 {n} 道', en: 'Open {n} lane(s)' },
  'act.send-staff': { 'zh-CN': '增派人手 +{n} 道', en: 'Staff for +{n} lanes' },
  'act.rate': { 'zh-CN': '（实测 {r} 人/分/道）', en: ' (measured {r}/min/lane)' },
  'act.check.stale': { 'zh-CN': '核实：数据中断', en: 'Check: stale' },
  'act.check.disagree': { 'zh-CN': '核实：数据不一致', en: 'Check: mismatch' },
  'act.redirect': { 'zh-CN': '→{name}（步行{m}分）', en: '→ {name} ({m} min walk)' },
  'act.noTarget': { 'zh-CN': '附近无空余点位', en: 'No spare site nearby' },
  'act.posted': { 'zh-CN': '已发布：改去 {name}', en: 'Posted: go to {name}' },
  'act.failed': { 'zh-CN': '发布失败，点此重试', en: 'Failed, tap to retry' },
  'act.tapHint': { 'zh-CN': '点一下即向居民发布改道公告', en: 'Tap to post a redirect notice to residents' },
  'alert.title': { 'zh-CN': '告警', en: 'Alerts' },
  'alert.count': { 'zh-CN': '{n} 条未解除', en: '{n} open' },
  'alert.none': { 'zh-CN': '暂无告警', en: 'No alerts' },
  'alert.wait': { 'zh-CN': '等待 {v} 分钟', en: 'wait {v} min' },
  'alert.rise': { 'zh-CN': '15分钟 +{v} 人', en: '+{v} in 15 min' },
  'alert.stale': { 'zh-CN': '中断 {v} 分钟', en: 'dark {v} min' },
  'alert.disagree': { 'zh-CN': '来源相差 {v} 倍', en: 'mismatch {v}×' },
  'alert.ack': { 'zh-CN': '确认', en: 'Acknowledge' },
  'alert.acked': { 'zh-CN': '{by} 已确认', en: 'ack: {by}' },
  'alert.unacked': { 'zh-CN': '待确认', en: 'not acked' },
  'alert.who': { 'zh-CN': '确认人姓名', en: 'Your name' },
  'alert.mute': { 'zh-CN': '提示音：开', en: 'Sound: on' },
  'alert.unmute': { 'zh-CN': '提示音：关', en: 'Sound: off' },
  'daily.label': { 'zh-CN': '今日平均排队 {a} · 上周同日 {b}', en: 'Avg queuing today {a} · same day last week {b}' },
  'daily.people': { 'zh-CN': '{n} 人', en: '{n}' },
  'daily.none': { 'zh-CN': '暂无数据', en: 'no data yet' },
};

/** The screen's language: the URL's `lang` when given, else the device's. */
export function pageLang(search = location.search): Lang {
  const q = new URLSearchParams(search).get('lang');
  if (q === 'en') return 'en';
  if (q === 'zh' || q === 'zh-CN') return 'zh-CN';
  return currentLang();
}

export type T = (key: string, params?: Record<string, string | number>) => string;

export function wallTranslator(lang: Lang, ...extra: Dict[]): T {
  const tr = translator(WALL, ...extra);
  return (key, params = {}) => tr(key, params, lang);
}

/** "3 min", "2 h 5 min" for how long something has lasted. */
export function duration(t: T, ms: number): string {
  const min = Math.max(0, Math.floor(ms / 60_000));
  if (min < 60) return t('dur.min', { n: min });
  if (min >= 48 * 60) return t('dur.day', { n: Math.floor(min / 1440) });
  return t('dur.hour', { h: Math.floor(min / 60), m: min % 60 });
}
