// Honest states at the top of the page: the connection (and how old the data is while it is
// down) and the command centre's notices, city-wide first.
import type { Notice } from '../../../shared/schemas.js';
import { h, setChildren } from '../lib/dom.js';
import { agoKey } from '../lib/i18n.js';
import type { SiteModel } from './model.js';
import { t } from './text.js';

/** A first connection may take a moment; only then is "connecting" worth a banner. */
const CONNECT_GRACE_MS = 3000;
const MAX_NOTICES = 3;

export class Banners {
  readonly el: HTMLElement;
  private readonly conn: HTMLDivElement;
  private readonly notices: HTMLDivElement;
  private readonly started = Date.now();

  constructor(private readonly model: SiteModel) {
    this.conn = h('div', { class: 'conn-banner', hidden: true, 'data-testid': 'conn-banner' });
    this.notices = h('div', { class: 'notices', hidden: true });
    // The live region exists from the start so that its later content is announced.
    this.el = h('div', { class: 'banners' }, h('div', { role: 'status', 'aria-live': 'polite' }, this.conn), this.notices);
  }

  renderConn(): void {
    const c = this.model.conn;
    let text: string | null = null;
    if (!c.connected && c.lastDataAt !== null) {
      const [key, params] = agoKey(new Date(c.lastDataAt).toISOString());
      text = `${t('conn.offline', { ago: t(key, params) })} · ${t('conn.reconnecting')}`;
    } else if (!c.connected && Date.now() - this.started > CONNECT_GRACE_MS) {
      text = c.disconnectedAt !== null ? t('conn.never') : t('conn.connecting');
    }
    this.conn.hidden = text === null;
    document.body.classList.toggle('offline', !c.connected && c.lastDataAt !== null);
    if (text !== null && this.conn.textContent !== `⚠ ${text}`) this.conn.textContent = `⚠ ${text}`;
  }

  renderNotices(): void {
    const list = this.model.activeNotices();
    this.notices.hidden = list.length === 0;
    const shown = list.slice(0, MAX_NOTICES).map((n) => this.notice(n));
    const more = list.length - shown.length;
    setChildren(this.notices, h('h2', { class: 'visually-hidden' }, t('d.notices')), ...shown,
      more > 0 ? h('p', { class: 'notice-more' }, `+${more}`) : null);
    this.refreshLevels();
  }

  private notice(n: Notice): HTMLElement {
    const i = n.siteId ? this.model.index.get(n.siteId) : undefined;
    const site = i !== undefined ? this.model.sites[i]! : null;
    const target = n.redirectSiteId ? this.model.index.get(n.redirectSiteId) : undefined;
    const p = h('p', { class: `notice notice-${n.kind}` },
      h('strong', {}, site ? `${site.name}：` : `${t('notice.city')}：`), n.message,
      site ? h('span', {}, ' ', h('a', { href: `?site=${encodeURIComponent(site.id)}`, 'data-open-site': site.id, class: 'notice-link' }, t('notice.open', { name: '' }).trim())) : null,
      target !== undefined ? h('span', {}, ' ', h('a', { href: `?site=${encodeURIComponent(n.redirectSiteId!)}`, 'data-open-site': n.redirectSiteId, class: 'notice-link' },
        t('notice.goto', { name: this.model.sites[target]!.name }))) : null);
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
