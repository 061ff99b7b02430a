// The top bar: which site, online or not, what is waiting, when the server last confirmed.
// Always visible, so staff never wonder whether their count went through.
import { h } from '../../lib/dom.js';
import { t } from '../texts.js';
import { clock, type Actions, type ViewModel } from './model.js';

export function createBar(actions: Actions) {
  const siteName = h('span', { class: 'site-name', id: 'site-name' });
  const siteMeta = h('span', { class: 'site-meta' });
  const net = h('span', { class: 'pill net', id: 'net', role: 'status' });
  const pending = h('span', { class: 'pill pending', id: 'pending', role: 'status' });
  const confirmed = h('span', { class: 'pill confirmed', id: 'confirmed' });
  const lang = h('button', { class: 'lang', type: 'button', onclick: () => actions.toggleLang() });
  const el = h(
    'header',
    { class: 'bar' },
    h('div', { class: 'site' }, siteName, siteMeta),
    h('div', { class: 'pills' }, net, pending, confirmed, lang),
  );

  function render(m: ViewModel): void {
    const { reporter: r, lang: l } = m;
    siteName.textContent = m.site?.name ?? '…';
    siteMeta.textContent = [m.site?.district, m.site?.street, m.tokenLabel].filter(Boolean).join(' · ');
    net.dataset.state = m.online ? 'online' : 'offline';
    net.textContent = `${m.online ? '●' : '○'} ${t(m.online ? 'net.online' : 'net.offline', {}, l)}`;
    const n = r.pending.length;
    pending.dataset.count = String(n);
    pending.textContent = n > 0 ? t('pending', { n }, l) : t('pending.none', {}, l);
    confirmed.textContent = r.lastConfirmed
      ? t('confirmed.at', { t: clock(r.lastConfirmed.at, l) }, l)
      : t('confirmed.never', {}, l);
    lang.textContent = t('lang.switch', {}, l);
    lang.lang = l === 'en' ? 'zh-CN' : 'en';
  }
  return { el, render };
}
