// The accessible path through the sites: a plain list of buttons, a page at a time. Rows are
// reused by site and refreshed in place when their site's stamp moves, so a frame touching 50,000
// sites costs only the rows on screen.
import { h } from '../lib/dom.js';
import type { SiteModel } from './model.js';
import { fillRow } from './rows.js';
import type { ResidentState } from './state.js';
import { t } from './text.js';

/** Rows per page: a phone shows about six; fewer rows also means less to refresh per frame. */
const PAGE = 25;

export class SiteList {
  readonly el: HTMLElement;
  private readonly status: HTMLParagraphElement;
  private readonly note: HTMLParagraphElement;
  private readonly ul: HTMLUListElement;
  private readonly more: HTMLButtonElement;
  private readonly rows = new Map<number, { li: HTMLLIElement; stamp: number }>();
  private shown = PAGE;

  constructor(
    private readonly model: SiteModel,
    private readonly state: ResidentState,
    private readonly onOpen: (i: number) => void,
  ) {
    this.status = h('p', { class: 'list-status', role: 'status' });
    this.note = h('p', { class: 'list-note', hidden: true });
    this.ul = h('ul', { class: 'site-list' });
    this.ul.addEventListener('click', (e) => {
      const li = (e.target as HTMLElement).closest<HTMLLIElement>('li[data-site-id]');
      const i = li ? this.model.index.get(li.dataset.siteId!) : undefined;
      if (i !== undefined) this.onOpen(i);
    });
    this.more = h('button', { type: 'button', class: 'more', hidden: true, onclick: () => this.showMore() });
    this.el = h('section', { class: 'list-section' }, this.status, this.note, this.ul, this.more);
  }

  /** The list labels itself after the heading that introduces it. */
  labelledBy(id: string): void {
    this.ul.setAttribute('aria-labelledby', id);
  }

  private showMore(): void {
    const next = this.ul.children.length;
    this.shown += PAGE;
    this.render(false);
    (this.ul.children[next]?.firstElementChild as HTMLElement | null)?.focus();
  }

  /** Rebuilds the order (after filters, sort or origin changed). */
  render(resetPage = true): void {
    if (resetPage) this.shown = PAGE;
    const order = this.state.order.slice(0, this.shown);
    const local = this.model.local();
    const keep = new Set(order);
    for (const [i, r] of this.rows)
      if (!keep.has(i)) {
        r.li.remove();
        this.rows.delete(i);
      }
    const lis = order.map((i) => {
      let r = this.rows.get(i);
      if (!r) {
        r = { li: h('li'), stamp: -1 };
        this.rows.set(i, r);
      }
      if (r.stamp !== this.model.stamp[i]) {
        fillRow(r.li, this.model, this.state, i, local);
        r.stamp = this.model.stamp[i]!;
      }
      return r.li;
    });
    // Moving a focused row would drop focus: only reorder when the order really changed.
    const same = lis.length === this.ul.children.length && lis.every((li, k) => this.ul.children[k] === li);
    if (!same) this.ul.replaceChildren(...lis);
    this.updateStatus();
  }

  /** Refreshes rows whose site changed, and the status lines. */
  refresh(): void {
    const local = this.model.local();
    for (const [i, r] of this.rows) {
      if (r.stamp === this.model.stamp[i]) continue;
      fillRow(r.li, this.model, this.state, i, local);
      r.stamp = this.model.stamp[i]!;
    }
    this.updateStatus();
  }

  /** Forces every row to be filled again (selection moved, language switched). */
  invalidate(): void {
    for (const r of this.rows.values()) r.stamp = -1;
  }

  private updateStatus(): void {
    const m = this.model;
    const total = this.state.order.length;
    let text: string;
    if (m.sitesError && !m.sitesDone) text = t('list.loadError');
    else if (!m.sitesDone) text = t('list.loading');
    else if (total === 0) text = t('list.none');
    else text = this.state.hasFilter() ? t('list.countOf', { n: total, total: m.size }) : t('list.count', { n: total });
    if (this.status.textContent !== text) this.status.textContent = text;
    const noLive = m.version >= 0 && m.size > 0 && !m.anyLiveData();
    this.note.hidden = !noLive;
    if (noLive) this.note.textContent = t('list.noLive');
    const rest = total - Math.min(total, this.shown);
    this.more.hidden = rest <= 0;
    if (rest > 0) this.more.textContent = t('list.more', { n: rest });
  }
}
