// One site in full: the live part (level, wait, queue, lanes, source and age, status, closing) is
// refreshed in place with every frame; the rest (notices, services, hours, navigation, charts) is
// built once per opening.
import type { Notice } from '../../../shared/schemas.js';
import { h, setChildren } from '../lib/dom.js';
import { siteCharts, type ChartsHandle } from './details-charts.js';
import { hoursLines } from './format.js';
import { tagSite } from './levels.js';
import type { SiteModel } from './model.js';
import { avoidNote, avoidReason } from './advice.js';
import { navLinks } from './nav-links.js';
import { closesAt, mayMissClosing, siteChip, sourceLine, waitEl } from './rows.js';
import { siteAddress, siteDistrict, siteName, siteStreet } from './names.js';
import { t } from './text.js';
import { TripPlanner } from './trip-view.js';

export class SiteDetails {
  readonly el: HTMLElement;
  private index = -1;
  private stamp = -1;
  private live: HTMLDivElement | null = null;
  private charts: ChartsHandle | null = null;
  private trip: TripPlanner | null = null;
  /** The departure last chosen and for which site, kept over a rebuild (language switch). */
  private tripChoice: { i: number; value: string } | null = null;
  private readonly noticeBox = h('div', { class: 'd-notices', role: 'note' });

  /** A navigation link was followed: the resident is going (advice.ts sends the intent). */
  onNavigate: ((siteId: string) => HTMLElement | null) | null = null;
  /** Walking minutes from the resident's start point to site i, null when none is set. */
  walkTo: (i: number) => number | null = () => null;
  /** Fills the "notify me" place of site i's details (watch-view.ts, loaded lazily by app.ts). */
  onWatchSlot: ((i: number, slot: HTMLElement) => void) | null = null;

  constructor(
    private readonly model: SiteModel,
    private readonly onBack: () => void,
    private readonly elderly: () => boolean,
  ) {
    this.el = h('section', { class: 'details', 'aria-labelledby': 'd-title', hidden: true });
  }

  get current(): number {
    return this.index;
  }

  /** Shows site i, or a plain "no such site" for an unknown id from the address bar. */
  open(i: number): void {
    this.close();
    this.index = i;
    this.el.hidden = false;
    const back = h('button', { type: 'button', class: 'back', onclick: () => this.onBack() }, `‹ ${t('d.back')}`);
    if (i < 0) {
      delete this.el.dataset.siteId;
      delete this.el.dataset.level;
      delete this.el.dataset.look;
      this.el.replaceChildren(back, h('h2', { id: 'd-title', tabindex: '-1' }, t('d.notFound')));
      return;
    }
    const s = this.model.sites[i]!;
    this.live = h('div', { class: 'd-live' });
    this.charts = siteCharts(
      s,
      this.model.meta.timezone,
      () => this.model.now(),
      this.elderly,
      () => this.model.shown(i)?.waitMinutes ?? null,
    );
    this.trip = new TripPlanner(
      this.model,
      i,
      () => this.walkTo(i),
      this.charts.typical,
      this.tripChoice?.i === i ? this.tripChoice.value : null,
    );
    const where = [siteDistrict(s), siteStreet(s), s.address && s.address !== s.street ? siteAddress(s) : null]
      .filter(Boolean)
      .join(' · ');
    const tags = (s.tags ?? []).filter((tag) => tag === 'green-channel' || tag === '24h');
    const watchSlot = h('div', { class: 'watch-slot' });
    setChildren(
      this.el,
      back,
      h('h2', { id: 'd-title', tabindex: '-1' }, siteName(s)),
      h('p', { class: 'd-where' }, where),
      this.live,
      this.noticeBox,
      watchSlot,
      this.trip.el,
      tags.length
        ? this.block(
            'd.tags',
            h('ul', { class: 'd-tags' }, ...tags.map((tag) => h('li', { class: `tag tag-${tag}` }, t(`tag.${tag}`)))),
          )
        : null,
      this.block('d.hours', h('ul', { class: 'd-hours' }, ...hoursLines(s.hours).map((line) => h('li', {}, line)))),
      this.navBlock(
        s.id,
        this.block(
          'd.nav',
          h(
            'ul',
            { class: 'd-nav' },
            ...navLinks(s).map((l) =>
              h(
                'li',
                {},
                h(
                  'a',
                  {
                    href: l.href,
                    target: l.key === 'geo' ? null : '_blank',
                    rel: 'noopener noreferrer',
                    class: `nav nav-${l.key}`,
                  },
                  t(`nav.${l.key}`),
                ),
              ),
            ),
          ),
        ),
      ),
      this.charts.el,
    );
    this.refreshNotices();
    this.onWatchSlot?.(i, watchSlot);
  }

  /** Following a navigation link counts the resident as on their way (once). */
  private navBlock(siteId: string, block: HTMLElement): HTMLElement {
    block.addEventListener('click', (e) => {
      if (!(e.target instanceof Element) || !e.target.closest('a.nav')) return;
      const note = this.onNavigate?.(siteId);
      if (note) block.append(note);
    });
    return block;
  }

  /**
   * Notices come and go while the details are open; "not recommended, go to X" comes first, and
   * the live part is redrawn since such a notice replaces the level chip.
   */
  refreshNotices(): void {
    const s = this.index >= 0 ? this.model.sites[this.index] : undefined;
    const list = s ? this.model.noticesFor(s.id) : [];
    this.noticeBox.hidden = list.length === 0;
    this.noticeBox.replaceChildren(
      s ? (avoidNote(this.model, s.id, true) ?? '') : '',
      ...list.map((n) => this.notice(n)),
    );
    this.refresh(true);
  }

  close(): void {
    const choice = this.trip?.choice ?? null;
    if (this.trip) this.tripChoice = choice === null ? null : { i: this.index, value: choice };
    this.trip = null;
    this.charts?.destroy();
    this.charts = null;
    this.live = null;
    this.index = -1;
    this.stamp = -1;
    this.el.hidden = true;
    this.el.replaceChildren();
  }

  focusTitle(): void {
    this.el.querySelector<HTMLElement>('#d-title')?.focus();
  }

  private block(titleKey: string, body: HTMLElement): HTMLElement {
    return h('div', { class: 'd-block' }, h('h3', {}, t(titleKey)), body);
  }

  private notice(n: Notice): HTMLElement {
    const target = n.redirectSiteId ? this.model.index.get(n.redirectSiteId) : undefined;
    return h(
      'p',
      { class: `notice notice-${n.kind}` },
      h('strong', {}, `${t(`notice.kind.${n.kind}`)}：`),
      n.message,
      target !== undefined
        ? h(
            'span',
            {},
            ' ',
            h(
              'a',
              {
                href: `?site=${encodeURIComponent(n.redirectSiteId!)}`,
                class: 'notice-link',
                'data-open-site': n.redirectSiteId,
              },
              t('notice.goto', { name: siteName(this.model.sites[target]!) }),
            ),
          )
        : null,
    );
  }

  /** Refreshes the live part when the site's data moved (or `force`). */
  refresh(force = false): void {
    const i = this.index;
    if (i < 0 || !this.live) return;
    // The trip answer also moves with the clock and the start point, not only with the site's data.
    this.trip?.update();
    if (!force && this.stamp === this.model.stamp[i]) return;
    this.stamp = this.model.stamp[i]!;
    const m = this.model;
    const s = m.sites[i]!;
    const l = m.shown(i);
    const level = m.level(i);
    const look = m.look(i);
    tagSite(this.el, s.id, level, look);
    const local = m.local();
    const closing = l?.status !== 'closed' && level !== 'closed' ? closesAt(m, i, local) : null;
    const status = l
      ? [
          t(`status.${l.status}`),
          l.status === 'paused' && l.pauseReason ? `（${t(`pause.${l.pauseReason}`)}）` : '',
          closing ? ` · ${closing}` : '',
        ].join('')
      : level === 'closed'
        ? t('status.closed')
        : (closing ?? '');
    const facts =
      l && level !== 'closed'
        ? [
            l.queue !== null ? t('queue', { n: l.queue }) : null,
            l.lanesOpen !== null ? t('lanes', { open: l.lanesOpen, total: s.lanes }) : null,
          ]
            .filter(Boolean)
            .join(' · ')
        : '';
    const confidence =
      l?.confidence != null && l.source !== 'none'
        ? ` · ${t('d.confidence', { n: Math.round(l.confidence * 100) })}`
        : '';
    setChildren(
      this.live,
      h(
        'div',
        { class: 'd-level' },
        siteChip(m, i, 'big'),
        waitEl('d-wait', l, { avoided: avoidReason(m, s.id) !== null, label: t('wait.label') }),
      ),
      facts ? h('p', { class: 'd-facts' }, facts) : null,
      h('p', { class: 'd-source' }, h('span', { class: 'k' }, `${t('d.source')}：`), sourceLine(m, l), confidence),
      status ? h('p', { class: 'd-status' }, h('span', { class: 'k' }, `${t('d.status')}：`), status) : null,
      mayMissClosing(m, i, local) ? h('p', { class: 'warn' }, `⚠ ${t('d.notServed')}`) : null,
      !l || l.source === 'none' ? h('p', { class: 'no-data' }, t('d.noData')) : null,
    );
  }
}
