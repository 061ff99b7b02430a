// Notices to residents: fetched once, then pushed ('notices:updated' carries all active ones on
// connect and on every change). The wall shows a fixed number of rows; expiry is also applied
// locally so a notice leaves the screen on time even if a push is late.
import { NoticeSchema, type Notice, type Site } from '../../../shared/schemas.js';
import { h } from '../lib/dom.js';
import type { LiveSocket } from '../lib/live.js';
import { setText } from './fixed-list.js';
import type { T } from './i18n.js';

const ROWS = 4;

export function watchNotices(socket: LiveSocket, onNotices: (n: Notice[]) => void): void {
  let pushed = false;
  socket.on('notices:updated', (list) => {
    pushed = true;
    onNotices(list);
  });
  // Servers push on connect; the fetch covers a page that connected before it listened.
  fetch('/api/notices')
    .then(async (res) => {
      if (!res.ok || pushed) return;
      const body = (await res.json()) as { notices?: unknown[] };
      const parsed = (body.notices ?? [])
        .map((n) => NoticeSchema.safeParse(n))
        .filter((r) => r.success)
        .map((r) => r.data);
      if (!pushed) onNotices(parsed);
    })
    .catch(() => {
      /* the push will bring them */
    });
}

const rank = (n: Notice) => (n.kind === 'closed' ? 0 : n.kind === 'redirect' ? 1 : 2);

export function activeNotices(list: readonly Notice[], nowMs: number): Notice[] {
  return list
    .filter((n) => Date.parse(n.expiresAt) > nowMs)
    .sort((a, b) => rank(a) - rank(b) || Date.parse(b.createdAt) - Date.parse(a.createdAt));
}

export function noticesView(
  t: T,
  sites: ReadonlyMap<string, Site>,
  timezone: string,
  levelOf: (siteId: string) => string,
) {
  const fmt = new Intl.DateTimeFormat('zh-CN', {
    timeZone: timezone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    month: 'numeric',
    day: 'numeric',
  });
  const list = h('ul', { class: 'notices', 'data-list': 'notices' });
  const rows = Array.from({ length: ROWS }, () => {
    const kind = h('span', { class: 'kind' });
    const where = h('span', { class: 'where' });
    const msg = h('span', { class: 'msg' });
    const li = h('li', {}, kind, where, msg);
    list.append(li);
    return { li, kind, where, msg };
  });
  const count = h('small', {});
  const root = h('section', { class: 'panel' }, h('h2', {}, t('notices.title'), count), list);

  return {
    root,
    render(all: readonly Notice[], nowMs: number) {
      const active = activeNotices(all, nowMs);
      setText(count, active.length ? String(active.length) : '');
      const shown = active.length > ROWS ? active.slice(0, ROWS - 1) : active;
      rows.forEach((r, i) => {
        const n = shown[i];
        for (const a of ['data-notice', 'data-kind', 'data-site-id', 'data-level']) r.li.removeAttribute(a);
        r.li.className = '';
        if (!n) {
          const more = i === shown.length && active.length > shown.length;
          r.li.className = more || (i === 0 && active.length === 0) ? 'empty' : 'blank';
          setText(
            r.kind,
            more
              ? t('notices.more', { n: active.length - shown.length })
              : i === 0 && !active.length
                ? t('list.empty')
                : '',
          );
          setText(r.where, '');
          setText(r.msg, '');
          return;
        }
        r.li.dataset.notice = n.id;
        r.li.dataset.kind = n.kind;
        if (n.siteId) {
          r.li.dataset.siteId = n.siteId;
          r.li.dataset.level = levelOf(n.siteId);
        }
        const site = n.siteId ? sites.get(n.siteId) : undefined;
        const redirect = n.redirectSiteId ? sites.get(n.redirectSiteId) : undefined;
        setText(r.kind, t(`notice.${n.kind}`));
        setText(
          r.where,
          `${site ? site.name : t('notice.cityWide')} · ${t('notices.until', { t: fmt.format(Date.parse(n.expiresAt)) })}`,
        );
        setText(r.msg, redirect ? `${n.message} · ${t('notice.goTo', { name: redirect.name })}` : n.message);
      });
    },
  };
}
