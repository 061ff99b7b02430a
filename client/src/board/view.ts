// The board's DOM: a fixed pool of cards filled from the current page of sites, so weeks of
// updates change text and attributes only and never grow the document.
import { ageWords, type Lang, sourceWord, waitWords, word } from '../../../shared/plain-words.js';
import type { LiveState, Notice, Site } from '../../../shared/schemas.js';
import { h, setChildren } from '../lib/dom.js';
import { qrBox } from '../wall/admin/qr.js';

const PAGE_MS = 10_000;
/** A card's least height in vmin: name, wait and one line of detail. */
const CARD_VMIN = 21;

export interface BoardOptions {
  lang: Lang;
  sites: Site[];
  homeUrl: string;
  liteUrl: string;
}

interface Card {
  el: HTMLElement;
  name: HTMLElement;
  wait: HTMLElement;
  meta: HTMLElement;
  note: HTMLElement;
}

export interface Board {
  live(changed: LiveState[]): void;
  notices(list: Notice[]): void;
  /** Once a second: the connection state and the clock move the banner and the ages. */
  tick(now: number, live: boolean, lastDataAt: number | null): void;
}

export async function createBoard(root: HTMLElement, o: BoardOptions): Promise<Board> {
  const { lang } = o;
  const lives = new Map<string, LiveState>();
  let notices: Notice[] = [];
  const status = h('div', { class: 'status', role: 'status' });
  const banner = h('div', { class: 'banner', hidden: true, role: 'alert' });
  const cards = h('div', { class: 'cards' });
  const noticeBox = h('div', { class: 'notices' });
  const pageNo = h('div', { class: 'page' });
  const home = await qrBox(o.homeUrl);
  home.append(h('div', {}, word(lang, 'qrFull')));
  const lite = await qrBox(o.liteUrl);
  lite.append(h('div', {}, word(lang, 'qrLite')));
  setChildren(
    root,
    h(
      'div',
      { class: 'board' },
      h('div', { class: 'head' }, h('h1', {}, word(lang, 'boardTitle')), status, banner),
      cards,
      h('div', { class: 'foot' }, noticeBox, pageNo, h('div', { class: 'qrs' }, home, lite)),
    ),
  );

  const pool: Card[] = [];
  let perPage = 1;
  let page = 0;
  let now = Date.now();
  let isLive = false;

  const layout = () => {
    const portrait = innerHeight > innerWidth;
    const cols = portrait ? 1 : 2;
    const vmin = Math.min(innerWidth, innerHeight) / 100;
    const avail = cards.clientHeight;
    const gap = 1.4 * vmin;
    const rows = Math.max(1, Math.floor((avail + gap) / (CARD_VMIN * vmin + gap)));
    perPage = Math.min(o.sites.length, rows * cols) || 1;
    cards.style.setProperty('--cols', String(cols));
    cards.style.setProperty('--row', `${Math.floor((avail - gap * (rows - 1)) / rows)}px`);
    while (pool.length < perPage) {
      const c: Card = {
        el: h('div', { class: 'card' }),
        name: h('div', { class: 'name' }),
        wait: h('div', { class: 'wait' }),
        meta: h('div', { class: 'meta' }),
        note: h('div', { class: 'note' }),
      };
      c.el.append(c.name, c.wait, c.meta, c.note);
      cards.append(c.el);
      pool.push(c);
    }
    for (const c of pool.splice(perPage)) c.el.remove();
    page = 0;
    fill();
  };

  const pages = () => Math.max(1, Math.ceil(o.sites.length / perPage));

  const fill = () => {
    const first = page * perPage;
    pool.forEach((c, i) => {
      const site = o.sites[first + i];
      c.el.hidden = !site;
      if (!site) return;
      const l = lives.get(site.id);
      const level = l?.level ?? 'unknown';
      const { main, rough } = waitWords(lang, l);
      c.el.dataset.siteId = site.id;
      c.el.dataset.level = level;
      c.el.className = `card lv-${l?.status === 'paused' && level !== 'closed' ? 'paused' : level}`;
      c.name.textContent = site.name;
      c.wait.textContent = main;
      const age = ageWords(lang, l?.updatedAt ?? null, now);
      c.meta.textContent = [rough, l && l.source !== 'none' ? sourceWord(lang, l.source) : '', age ?? '']
        .filter(Boolean)
        .join(' · ');
      c.note.textContent = notices.find((n) => n.siteId === site.id)?.message ?? '';
    });
    pageNo.textContent = pages() > 1 ? word(lang, 'page', { p: page + 1, n: pages() }) : '';
  };

  addEventListener('resize', layout);
  layout();
  setInterval(() => {
    if (pages() < 2) return;
    page = (page + 1) % pages();
    fill();
  }, PAGE_MS);

  return {
    live(changed) {
      for (const l of changed) lives.set(l.siteId, l);
      fill();
    },
    notices(list) {
      notices = list;
      const shown = new Set(o.sites.map((s) => s.id));
      const general = list.filter((n) => n.siteId === null || !shown.has(n.siteId)).filter((n) => n.siteId === null);
      setChildren(noticeBox, ...general.slice(0, 2).map((n) => h('p', {}, n.message)));
      fill();
    },
    tick(t, live, lastDataAt) {
      now = t;
      const state = live ? 'live' : lastDataAt === null ? 'connecting' : 'offline';
      document.documentElement.dataset.connection = state;
      const clock = new Date(t).toLocaleTimeString(lang === 'zh' ? 'zh-CN' : 'en-GB', {
        hour: '2-digit',
        minute: '2-digit',
      });
      status.textContent = state === 'connecting' ? word(lang, 'boardConnecting') : clock;
      if (state === 'offline') {
        const since = lastDataAt ?? t;
        banner.textContent = word(lang, 'boardStale', {
          age: ageWords(lang, new Date(since).toISOString(), t)!.replace(/更新|updated /, ''),
        });
        banner.hidden = false;
      } else {
        banner.hidden = true;
      }
      if (live !== isLive || t % 30_000 < 1000) fill();
      isLive = live;
    },
  };
}
