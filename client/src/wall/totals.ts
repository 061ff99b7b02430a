// City totals in large type and the district table, both updated in place from a Summary.
import type { Counts, Summary } from '../../../shared/schemas.js';
import { h } from '../lib/dom.js';
import { setText } from './fixed-list.js';
import type { T } from './i18n.js';

type KpiKey = 'queue' | 'open' | 'wait' | 'low' | 'medium' | 'high' | 'stale';

const fmt = (n: number) => n.toLocaleString('en-US');

export function kpiView(t: T) {
  const tiles = new Map<KpiKey, { v: HTMLElement; num: HTMLElement; s: HTMLElement }>();
  const root = h('section', { class: 'w-kpis' });
  const tile = (key: KpiKey, label: string, unit: string) => {
    const num = h('span', {});
    const v = h('div', { class: 'v' }, num, unit ? h('small', {}, unit) : null);
    const s = h('div', { class: 's' });
    root.append(h('div', { class: 'kpi', 'data-kpi': key }, h('div', { class: 'k' }, label), v, s));
    tiles.set(key, { v, num, s });
  };
  tile('queue', t('kpi.queue'), t('unit.people'));
  tile('open', t('kpi.open'), t('unit.sites'));
  tile('wait', t('kpi.wait'), t('unit.min'));
  tile('low', t('kpi.low'), t('unit.sites'));
  tile('medium', t('kpi.medium'), t('unit.sites'));
  tile('high', t('kpi.high'), t('unit.sites'));
  tile('stale', t('kpi.stale'), t('unit.sites'));

  const set = (key: KpiKey, value: number | null, text: string, sub = '') => {
    const el = tiles.get(key)!;
    // data-value carries the plain number for tests and tooling; the text may be formatted.
    el.v.dataset.value = value === null ? '' : String(value);
    setText(el.num, text);
    setText(el.s, sub);
  };

  return {
    root,
    render(c: Counts, dark: number) {
      set('queue', c.queue, fmt(c.queue));
      set('open', c.open, fmt(c.open), t('kpi.openOf', { n: c.sites, p: c.paused }));
      set('wait', c.waitMinutesAvg, c.waitMinutesAvg === null ? '—' : c.waitMinutesAvg.toFixed(1));
      set('low', c.low, fmt(c.low));
      set('medium', c.medium, fmt(c.medium));
      set('high', c.high, fmt(c.high), t('kpi.closed', { n: c.closed }));
      set('stale', c.unknown, fmt(c.unknown), t('kpi.staleSub', { n: dark }));
    },
  };
}

const COLS = ['queue', 'wait', 'open', 'low', 'medium', 'high', 'unknown'] as const;

function cellsOf(c: Counts): string[] {
  return [
    fmt(c.queue),
    c.waitMinutesAvg === null ? '—' : c.waitMinutesAvg.toFixed(1),
    `${c.open}/${c.sites}`,
    String(c.low),
    String(c.medium),
    String(c.high),
    String(c.unknown),
  ];
}

export function districtTable(t: T) {
  const tbody = h('tbody');
  const foot = h('tr', {}, h('td', {}, t('city')), ...COLS.map((c) => h('td', { class: c })));
  const table = h(
    'table',
    { class: 'districts' },
    h('thead', {}, h('tr', {}, h('th', {}, t('col.district')), ...COLS.map((c) => h('th', {}, t(`col.${c}`))))),
    tbody,
    h('tfoot', {}, foot),
  );
  const rows = new Map<string, HTMLTableRowElement>();

  const fill = (tr: HTMLTableRowElement, c: Counts) => {
    const values = cellsOf(c);
    values.forEach((v, i) => setText(tr.cells[i + 1]!, v));
  };

  return {
    root: table,
    render(s: Summary) {
      // Districts come from the registry and do not change while the page runs; rows are made once.
      const names = s.districts.map((d) => d.district).join('|');
      if (names !== [...rows.keys()].join('|')) {
        rows.clear();
        tbody.replaceChildren(
          ...s.districts.map((d) => {
            const tr = h(
              'tr',
              { 'data-district': d.district },
              h('td', {}, d.district),
              ...COLS.map((c) => h('td', { class: c })),
            );
            rows.set(d.district, tr);
            return tr;
          }),
        );
      }
      for (const d of s.districts) fill(rows.get(d.district)!, d);
      fill(foot, s.totals);
    },
  };
}
