// Search and filters. Native inputs (a search box, checkboxes, a select) so keyboards and screen
// readers need nothing special.
import { h } from '../lib/dom.js';
import type { ResidentState, SortKey } from './state.js';
import { t } from './text.js';

const DEBOUNCE_MS = 150;

export class FilterBar {
  readonly el: HTMLElement;
  private readonly search: HTMLInputElement;
  private readonly sort: HTMLSelectElement;
  private readonly labels: Array<[HTMLElement, string]> = [];
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly state: ResidentState,
    private readonly onChange: () => void,
  ) {
    this.search = h('input', {
      type: 'search',
      id: 'site-search',
      class: 'search',
      autocomplete: 'off',
      enterkeyhint: 'search',
    });
    this.search.addEventListener('input', () => {
      clearTimeout(this.timer);
      this.timer = setTimeout(() => {
        this.state.filters.q = this.search.value;
        this.onChange();
      }, DEBOUNCE_MS);
    });
    const searchLabel = this.word(h('label', { for: 'site-search', class: 'visually-hidden' }), 'search.label');

    const toggles = (['openNow', 'green', 'h24'] as const).map((key) => {
      const box = h('input', { type: 'checkbox', class: 'toggle-input', id: `filter-${key}` });
      box.addEventListener('change', () => {
        this.state.filters[key] = box.checked;
        this.onChange();
      });
      const word = { openNow: 'filter.open', green: 'filter.green', h24: 'filter.h24' }[key];
      return h('label', { class: 'toggle', for: `filter-${key}` }, box, this.word(h('span'), word));
    });

    this.sort = h('select', { id: 'site-sort', class: 'sort' });
    this.sort.addEventListener('change', () => {
      this.state.sort = this.sort.value as SortKey;
      this.onChange();
    });
    const sortLabel = this.word(h('label', { for: 'site-sort', class: 'sort-label' }), 'sort.label');
    const filterGroup = h(
      'div',
      { class: 'toggles', role: 'group', 'aria-labelledby': 'filter-legend' },
      this.word(h('span', { id: 'filter-legend', class: 'visually-hidden' }), 'filter.label'),
      ...toggles,
    );

    this.el = h(
      'div',
      { class: 'filters' },
      h('div', { class: 'search-row' }, searchLabel, this.search),
      filterGroup,
      h('div', { class: 'sort-row' }, sortLabel, this.sort),
    );
    this.relabel();
  }

  private word<E extends HTMLElement>(el: E, key: string): E {
    this.labels.push([el, key]);
    return el;
  }

  /** Texts after a language switch or when the origin appears or goes. */
  relabel(): void {
    for (const [el, key] of this.labels) el.textContent = t(key);
    this.search.placeholder = t('search.placeholder');
    const near = this.state.origin ? t('sort.near') : t('sort.nearMap');
    const opts: Array<[SortKey, string]> = [
      ['near', near],
      ['wait', t('sort.wait')],
      ['name', t('sort.name')],
    ];
    this.sort.replaceChildren(
      ...opts.map(([v, label]) => h('option', { value: v, selected: v === this.state.sort }, label)),
    );
    this.sort.value = this.state.sort;
  }
}
