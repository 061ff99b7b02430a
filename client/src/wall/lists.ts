// The right-hand column: longest waits, rising fastest, gone stale, staff-vs-carrier disagreement.
import { h } from '../lib/dom.js';
import { fixedList, setText, type Cells } from './fixed-list.js';
import { duration, type T } from './i18n.js';
import type { DisagreeRow, RisingRow, Row, StaleRow } from './model.js';

const chip = (cells: Cells, level: string) => {
  cells.chip!.className = `chip chip-${level}`;
};

function panel(title: string, list: HTMLElement, count?: HTMLElement) {
  return h('section', { class: 'panel' }, h('h2', {}, title, count ?? null), list);
}

export function listsView(t: T, levelWord: (level: string) => string, lanes: (r: Row) => string) {
  const siteOf = (r: Row) => ({ id: r.site.id, level: r.live.level });

  const longest = fixedList<Row>({
    className: 'list-longest',
    rows: 8,
    cells: ['rank', 'chip', 'name', 'lanes', 'val', 'sub'],
    empty: t('list.empty'),
    site: siteOf,
    fill(c, r, i) {
      setText(c.rank!, String(i + 1));
      chip(c, r.live.level);
      setText(c.name!, r.site.name);
      setText(c.lanes!, lanes(r));
      setText(c.val!, t('row.wait', { n: r.live.waitMinutes ?? 0 }));
      setText(c.sub!, r.live.queue === null ? levelWord(r.live.level) : t('row.queue', { n: r.live.queue }));
    },
  });

  const rising = fixedList<RisingRow>({
    className: 'list-rising',
    rows: 4,
    cells: ['chip', 'name', 'lanes', 'val', 'sub'],
    empty: t('list.empty'),
    site: siteOf,
    fill(c, r) {
      chip(c, r.live.level);
      setText(c.name!, r.site.name);
      setText(c.lanes!, lanes(r));
      setText(c.val!, t('row.rise', { n: r.rise }));
      setText(c.sub!, t('row.riseFrom', { a: r.before, b: r.live.queue ?? 0 }));
    },
  });

  let now = () => Date.now();
  const stale = fixedList<StaleRow>({
    className: 'list-stale',
    rows: 4,
    cells: ['chip', 'name', 'lanes', 'val'],
    empty: t('list.empty'),
    site: siteOf,
    fill(c, r) {
      chip(c, 'unknown');
      setText(c.name!, r.site.name);
      setText(c.lanes!, lanes(r));
      setText(c.val!, t('row.staleFor', { d: duration(t, now() - r.lastSeenMs) }));
    },
  });

  const disagree = fixedList<DisagreeRow>({
    className: 'list-disagree',
    rows: 3,
    cells: ['chip', 'name', 'dist', 'val'],
    empty: t('list.empty'),
    site: siteOf,
    fill(c, r) {
      chip(c, r.live.level);
      setText(c.name!, r.site.name);
      setText(c.dist!, t('row.staffQ', { n: r.live.queue ?? 0 }));
      setText(c.val!, r.ratio === null || r.ratio === 0 ? t('row.ratioZero') : t('row.ratio', { r: r.ratio }));
    },
  });

  const staleCount = h('small', {});
  const panels = [
    panel(t('list.longest'), longest.root),
    panel(t('list.rising'), rising.root),
    panel(t('list.stale'), stale.root, staleCount),
    panel(t('list.disagree'), disagree.root),
  ];
  longest.root.dataset.list = 'longest';
  rising.root.dataset.list = 'rising';
  stale.root.dataset.list = 'stale';
  disagree.root.dataset.list = 'disagree';

  return {
    panels,
    longest: (rows: Row[]) => longest.render(rows),
    rising: (rows: RisingRow[]) => rising.render(rows),
    stale: (rows: StaleRow[], dark: number, serverNow: () => number) => {
      now = serverNow;
      setText(staleCount, t('list.staleCount', { n: dark }));
      stale.render(rows);
    },
    disagree: (rows: DisagreeRow[]) => disagree.render(rows),
  };
}
