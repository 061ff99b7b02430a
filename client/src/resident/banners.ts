// Honest states at the top of the page: the connection (and how old the data is while it is
// down) and the command centre's notices, city-wide first.
import type { Notice } from '../../../shared/schemas.js';
import { h, setChildren } from '../lib/dom.js';
import { ageParts, type Liveness } from './liveness.js';
import type { SiteModel } from './model.js';
import { siteName } from './names.js';
import { t } from './text.js';

/** A first connection may take a moment; only then is "connecting" worth a banner. */
const CONNECT_GRACE_MS = 3000;
const MAX_NOTICES = 3;

export class Banners {
  readonly el: HTMLElement;
  private readonly conn: HTMLDivElement;
  private readonly notices: HTMLDivElement;
  private readonly started = Date.now();

  constructor(
    private readonly model: SiteModel,
    private readonly liveness: Liveness,
  ) {
    this.conn = h('div', { class: 'conn-banner', hidden: true, 'data-testid': 'conn-banner' });
    this.notices = h('div', { class: 'notices', hidden: true });
    // The live region exists from the start so that its later content is announced.
    // A labelled region: notices are inside a landmark (axe: region).
    this.el = h(
      'section',
      { class: 'banners', 'aria-label': t('d.notices') },
      h('div', { role: 'status', 'aria-live': 'polite' }, this.conn),
      this.notices,
    );
  }

  renderConn(): void {
    const c = this.model.conn;
    const state = this.liveness.state;
    const dataAt = this.liveness.dataAt();
    let text: string | null = null;
    if (state !== 'live' && state !== 'connecting' && dataAt !== null) {
      const age = ageParts(Date.now() - dataAt);
      const ago = t(`age.${age.unit}`, { n: age.n });
      text =
        state === 'offline'
          ? t('conn.noNetwork', { ago })
          : `${t('conn.offline', { ago })} · ${t('conn.reconnecting')}`;
    } else if (state === 'offline') {
      text = t('conn.noNetworkNoData');
    } else if (state !== 'live' && Date.now() - this.started > CONNECT_GRACE_MS) {
      text = c.disconnectedAt !== null ? t('conn.never') : t('conn.connecting');
    }
    this.conn.hidden = text === null;
    this.conn.dataset.state = state;
    document.body.classList.toggle('offline', state !== 'live' && dataAt !== null);
    if (text !== null && this.conn.textContent !== `⚠ ${text}`) this.conn.textContent = `⚠ ${text}`;
  }

  renderNotices(): void {
    this.el.setAttribute('aria-label', t('d.notices'));
    const list = this.model.activeNotices();
    this.notices.hidden = list.length === 0;
    const shown = list.slice(0, MAX_NOTICES).map((n) => this.notice(n));
    const more = list.length - shown.length;
    setChildren(
      this.notices,
      h('h2', { class: 'visually-hidden' }, t('d.notices')),
      ...shown,
      more > 0 ? h('p', { class: 'notice-more' }, `+${more}`) : null,
    );
    this.refreshLevels();
  }

  private notice(n: Notice): HTMLElement {
    const i = n.siteId ? this.model.index.get(n.siteId) : undefined;
    const site = i !== undefined ? this.model.sites[i]! : null;
    const target = n.redirectSiteId ? this.model.index.get(n.redirectSiteId) : undefined;
    const p = h(
      'p',
      { class: `notice notice-${n.kind}` },
      h('strong', {}, site ? `${siteName(site)}：` : `${t('notice.city')}：`),
      n.message,
      site
        ? h(
            'span',
            {},
            ' ',
            h(
              'a',
              { href: `?site=${encodeURIComponent(site.id)}`, 'data-open-site': site.id, class: 'notice-link' },
              t('notice.open', { name: '' }).trim(),
            ),
          )
        : null,
      target !== undefined
        ? h(
            'span',
            {},
            ' ',
            h(
              'a',
              {
                href: `?site=${encodeURIComponent(n.redirectSiteId!)}`,
                'data-open-site': n.redirectSiteId,
                class: 'notice-link',
              },
              t('notice.goto', { name: siteName(this.model.sites[target]!) }),
            ),
          )
        : null,
    );
    if (site) p.dataset.siteId = site.id;
    return p;
  }

  /** Site notices are elements showing a site: their data-level follows the site. */
  refreshLevels(): void {
    for (const p of this.notices.querySelectorAll<HTMLElement>('[data-site-id]')) {
      const i = this.model.index.get(p.dataset.siteId!);
      if (i !== undefined) p.dataset.level = this.model.level(i);
    }
  }
}
