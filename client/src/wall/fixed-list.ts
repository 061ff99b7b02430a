// A list with a fixed number of rows, created once and refilled in place: a wall runs for days and
// its DOM must not grow or churn with the data.
import { h } from '../lib/dom.js';

export type Cells = Record<string, HTMLSpanElement>;

export interface FixedList<T> {
  root: HTMLUListElement;
  /** Fills the rows from `items` (at most the row count); `site` gives each row's data-site-id/level. */
  render(items: readonly T[]): void;
}

export function fixedList<T>(opts: {
  className: string;
  rows: number;
  cells: readonly string[];
  empty: string;
  site: (item: T) => { id: string; level: string };
  fill: (cells: Cells, item: T, index: number) => void;
}): FixedList<T> {
  const root = h('ul', { class: `list ${opts.className}` });
  const rows = Array.from({ length: opts.rows }, () => {
    const cells: Cells = {};
    const li = h('li');
    for (const c of opts.cells) li.append((cells[c] = h('span', { class: c })));
    root.append(li);
    return { li, cells };
  });
  let lastKey = '';
  return {
    root,
    render(items) {
      items = items.slice(0, opts.rows);
      rows.forEach(({ li, cells }, i) => {
        const item = items[i];
        if (item === undefined) {
          li.removeAttribute('data-site-id');
          li.removeAttribute('data-level');
          li.className = i === 0 ? 'empty' : 'blank';
          for (const [name, c] of Object.entries(cells)) {
            c.textContent = '';
            c.className = name;
          }
          if (i === 0) (cells.name ?? cells[opts.cells[0]!]!).textContent = opts.empty;
          return;
        }
        const s = opts.site(item);
        li.className = '';
        li.dataset.siteId = s.id;
        li.dataset.level = s.level;
        opts.fill(cells, item, i);
      });
      // A cheap signature lets tests and people's tooling see that the list really changed.
      const key = items.map((it) => opts.site(it).id).join(',');
      if (key !== lastKey) root.dataset.order = lastKey = key;
    },
  };
}

/** Sets text only when it differs, so an unchanged wall does no layout work. */
export function setText(el: Element, text: string): void {
  if (el.textContent !== text) el.textContent = text;
}
