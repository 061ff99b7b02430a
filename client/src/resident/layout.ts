// The page's frame: header with the language and large-text switches, banners, the map with its
// legend, and the panel (side column on wide screens, bottom sheet on phones).
import { h } from '../lib/dom.js';
import { currentLang } from '../lib/i18n.js';
import { chip, type Look } from './levels.js';
import { elderlyMode } from './prefs.js';
import { t } from './text.js';

export interface Layout {
  root: HTMLElement;
  mapEl: HTMLDivElement;
  mapWrap: HTMLElement;
  /** Laid over the bottom of the map. */
  legend: HTMLElement;
  panel: HTMLElement;
  scroll: HTMLDivElement;
  listView: HTMLDivElement;
  listTitle: HTMLHeadingElement;
  bannerSlot: HTMLDivElement;
  relabel(): void;
}

const LOOKS: Look[] = ['low', 'medium', 'high', 'paused', 'closed', 'unknown'];

export function buildLayout(demo: boolean, actions: { toggleLang(): void; toggleElderly(): void }): Layout {
  const title = h('h1', {});
  const tagline = h('span', { class: 'tagline' });
  const demoBadge = demo ? h('span', { class: 'demo-badge', 'data-testid': 'demo-badge' }) : null;
  const elderlyBtn = h('button', { type: 'button', class: 'tool elderly-btn', onclick: () => actions.toggleElderly() });
  const langBtn = h('button', { type: 'button', class: 'tool lang-btn', onclick: () => actions.toggleLang() });
  const header = h(
    'header',
    { class: 'topbar' },
    h('div', { class: 'brand' }, title, tagline, demoBadge),
    h('div', { class: 'tools' }, elderlyBtn, langBtn),
  );

  const legend = h('ul', { class: 'legend' });
  const mapEl = h('div', { id: 'map', class: 'map' });
  const mapWrap = h('section', { class: 'map-wrap' }, mapEl, legend);
  const listTitle = h('h2', { id: 'list-title', class: 'list-title' });
  const listView = h('div', { class: 'list-view' });
  const scroll = h('div', { class: 'panel-scroll' }, listView);
  const panel = h('section', { id: 'panel', class: 'panel' }, scroll);
  const bannerSlot = h('div', { class: 'banner-slot' });
  const root = h('div', { class: 'app' }, header, bannerSlot, h('main', { class: 'main' }, mapWrap, panel));

  const relabel = () => {
    const lang = currentLang();
    document.documentElement.lang = lang;
    document.title = `${t('app.title')} · shortline`;
    title.textContent = t('app.title');
    tagline.textContent = t('app.tagline');
    if (demoBadge) demoBadge.textContent = t('demo');
    elderlyBtn.textContent = t('tool.elderly');
    elderlyBtn.setAttribute('aria-pressed', String(elderlyMode()));
    // The button names the other language in that language, so it is found by those who need it.
    langBtn.textContent = t('lang.switch');
    langBtn.setAttribute('lang', lang === 'en' ? 'zh-CN' : 'en');
    langBtn.title = t('tool.lang');
    mapWrap.setAttribute('aria-label', t('map.label'));
    panel.setAttribute('aria-label', t('panel.label'));
    listTitle.textContent = t('list.title');
    legend.setAttribute('aria-label', t('legend'));
    legend.replaceChildren(...LOOKS.map((look) => h('li', {}, chip(look, 'small'))));
  };
  relabel();
  return { root, mapEl, mapWrap, legend, panel, scroll, listView, listTitle, bannerSlot, relabel };
}
