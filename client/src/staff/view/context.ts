// Context for redirecting people: this site as residents see it, and the nearby sites with their
// load and distance. Every site element carries data-site-id and data-level (the contract).
import type { LiveState } from '../../../../shared/schemas.js';
import { h, setChildren } from '../../lib/dom.js';
import { agoKey, type Lang } from '../../lib/i18n.js';
import { bestAlternative, formatDistance } from '../nearby.js';
import { t } from '../texts.js';
import { clock, type ViewModel } from './model.js';

function levelBadge(live: LiveState | undefined, l: Lang): HTMLElement {
  // A paused site's level still follows its queue, but "short" would send people to a stopped line.
  if (live?.status === 'paused' && live.level !== 'closed')
    return h('span', { class: 'badge paused' }, `‖ ${t('status.paused', {}, l)}`);
  const level = live?.level ?? 'unknown';
  const mark = { low: '●', medium: '▲', high: '■', closed: '✕', unknown: '?' }[level];
  return h('span', { class: `badge level-${level}` }, `${mark} ${t(`level.${level}`, {}, l)}`);
}

function waitText(live: LiveState | undefined, l: Lang): string {
  if (!live || live.level === 'closed') return '—';
  if (live.status === 'paused') return t('status.paused', {}, l);
  return live.waitMinutes === null ? '—' : t('min', { n: live.waitMinutes }, l);
}

export function createContext() {
  const liveTitle = h('h2', { class: 'panel-title' });
  const liveCard = h('div', { class: 'live-card', id: 'own-live' });
  const stale = h('p', { class: 'stale', id: 'live-stale', role: 'status' });
  const nearbyTitle = h('h2', { class: 'panel-title' });
  const list = h('ol', { class: 'nearby', id: 'nearby' });
  const el = h('section', { class: 'panel context' }, liveTitle, liveCard, stale, nearbyTitle, list);

  function renderOwn(m: ViewModel): void {
    const l = m.lang;
    const live = m.site ? m.live.get(m.site.id) : undefined;
    liveCard.dataset.siteId = m.site?.id ?? '';
    liveCard.dataset.level = live?.level ?? 'unknown';
    if (!live) {
      setChildren(liveCard, h('p', { class: 'muted' }, t('live.waitingData', {}, l)));
      return;
    }
    const [agoK, agoP] = agoKey(live.updatedAt, m.now);
    // Paused: the reason is the news, not a wait that nobody is being served in.
    const headline =
      live.status === 'paused'
        ? h('span', { class: 'live-wait' }, live.pauseReason ? t(`pause.${live.pauseReason}`, {}, l) : '')
        : h('span', { class: 'live-wait' }, h('small', {}, t('live.wait', {}, l)), ' ', waitText(live, l));
    setChildren(
      liveCard,
      h('div', { class: 'live-main' }, levelBadge(live, l), headline),
      h(
        'div',
        { class: 'live-sub' },
        live.queue !== null ? t('live.queue', { n: live.queue }, l) : t('level.unknown', {}, l),
        ` · ${t(`status.${live.status}`, {}, l)}`,
      ),
      h(
        'div',
        { class: 'live-sub muted' },
        live.updatedAt
          ? t('live.updated', { ago: t(agoK, agoP, l), source: t(`source.${live.source}`, {}, l) }, l)
          : t(`source.${live.source}`, {}, l),
      ),
    );
  }

  function renderNearby(m: ViewModel): void {
    const l = m.lang;
    if (m.nearby.length === 0) {
      setChildren(list, h('li', { class: 'muted' }, m.site ? t('nearby.none', {}, l) : '…'));
      return;
    }
    const here = m.site ? m.live.get(m.site.id) : undefined;
    const best = bestAlternative(here, m.nearby, m.live);
    setChildren(
      list,
      ...m.nearby.map((n) => {
        const live = m.live.get(n.site.id);
        return h(
          'li',
          {
            class: `near${n.site.id === best ? ' best' : ''}`,
            'data-site-id': n.site.id,
            'data-level': live?.level ?? 'unknown',
          },
          h(
            'div',
            { class: 'near-name' },
            n.site.id === best ? h('span', { class: 'best-tag' }, t('nearby.best', {}, l)) : null,
            n.site.name,
          ),
          h('div', { class: 'near-dist' }, formatDistance(n.distanceM)),
          levelBadge(live, l),
          h(
            'div',
            { class: 'near-wait' },
            waitText(live, l),
            live?.queue != null && live.level !== 'closed'
              ? h('small', {}, t('nearby.queue', { n: live.queue }, l))
              : null,
          ),
        );
      }),
    );
  }

  function render(m: ViewModel): void {
    liveTitle.textContent = t('live.title', {}, m.lang);
    nearbyTitle.textContent = t('nearby.title', {}, m.lang);
    renderOwn(m);
    // Offline, the loads below are as of the last data: say so rather than pass them off as live.
    stale.hidden = m.online || m.liveAsOf === null;
    if (!stale.hidden) stale.textContent = t('conn.offline', { ago: clock(m.liveAsOf!, m.lang) }, m.lang);
    renderNearby(m);
  }
  return { el, render };
}
