// The words of "notify me", Chinese first, through the page's i18n (lib/i18n.ts). Apart from
// text.ts because they load with the watch chunk only: the first download has no room to spare.
import { translator, type Dict } from '../lib/i18n.js';

const WATCH: Dict = {
  'watch.title': { 'zh-CN': '提醒我', en: 'Notify me' },
  'watch.label': { 'zh-CN': '等候降到', en: 'When the wait is down to' },
  'watch.option': { 'zh-CN': '{n} 分钟以内', en: '{n} min or less' },
  'watch.set': { 'zh-CN': '提醒我', en: 'Notify me' },
  'watch.setReopen': { 'zh-CN': '恢复开放时提醒我', en: 'Notify me when it reopens' },
  'watch.onBelow': {
    'zh-CN': '✓ 等候降到 {n} 分钟以内时提醒您',
    en: '✓ You will be notified when the wait is down to {n} min',
  },
  'watch.onReopen': { 'zh-CN': '✓ 恢复开放时提醒您', en: '✓ You will be notified when it reopens' },
  'watch.until': { 'zh-CN': '有效至 {time}', en: 'Until {time}' },
  'watch.cancel': { 'zh-CN': '取消提醒', en: 'Cancel' },
  'watch.short': { 'zh-CN': '现在等候已很短，无需提醒。', en: 'The wait is already short; nothing to wait for.' },
  'watch.pageOnly': {
    'zh-CN': '仅在本页打开时提醒（切到后台也可以）。',
    en: 'Only while this page is open (in the background is fine).',
  },
  'watch.push': { 'zh-CN': '关闭本页后也会提醒。', en: 'Also works with this page closed.' },
  'watch.unsupported': { 'zh-CN': '此浏览器不支持通知提醒。', en: 'This browser cannot show notifications.' },
  'watch.denied': {
    'zh-CN': '通知权限未开启，请在浏览器设置中允许本站通知。',
    en: 'Notifications are blocked; allow them for this site in the browser settings.',
  },
  'watch.full': {
    'zh-CN': '最多同时提醒 {n} 个采样点，请先取消其他提醒。',
    en: 'At most {n} sites at once; cancel another first.',
  },
  'watch.added': { 'zh-CN': '已设置提醒。', en: 'Notification set.' },
  'watch.cancelled': { 'zh-CN': '已取消提醒。', en: 'Notification cancelled.' },
  'watch.fired': { 'zh-CN': '已提醒，提醒已结束。', en: 'Notified; this notification has ended.' },
  'watch.nTitle': { 'zh-CN': '排队提醒：{name}', en: 'Queue alert: {name}' },
  'watch.nBelow': {
    'zh-CN': '现在约 {wait} 分钟，已降到 {n} 分钟以内',
    en: 'About {wait} min now: down to {n} min or less',
  },
  'watch.nReopen': { 'zh-CN': '已恢复开放', en: 'Open again' },
  'watch.nReopenWait': { 'zh-CN': '已恢复开放，现在约 {wait} 分钟', en: 'Open again, about {wait} min now' },
};

export const wt = translator(WATCH);
