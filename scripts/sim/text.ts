// The accuracy report as plain text tables, for the terminal and the README.
import { checkGoals } from './goals.js';
import type { ScenarioResult } from './report.js';

const f1 = (x: number | null | undefined) =>
  x === null || x === undefined || !Number.isFinite(x) ? '—' : x.toFixed(1);
const pct = (x: number | null | undefined) =>
  x === null || x === undefined || !Number.isFinite(x) ? '—' : `${(x * 100).toFixed(1)}%`;
const int = (x: number) => x.toLocaleString('en-US');

/** Rows of cells to aligned columns (first column left, the rest right). */
export function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows
    .map((r) =>
      r
        .map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

export function sourceTable(r: ScenarioResult): string {
  const rows = [
    [
      'source',
      'arrivals',
      'share',
      'MAE min',
      'within 5 min',
      'within 5, wait >= 15',
      'bias min',
      'site-minutes',
      'wrong level',
      'high shown high',
      'in range',
      'range width',
    ],
  ];
  for (const s of r.summary.sources) {
    rows.push([
      { staff: 'staff fresh', carrier: 'carrier only', none: 'none', shown: 'all shown' }[s.source],
      int(s.arrivals),
      pct(s.share),
      f1(s.mae),
      pct(s.within5),
      pct(s.within5Long),
      f1(s.bias),
      int(s.siteMinutes),
      pct(s.wrongLevel),
      pct(s.highRecall),
      pct(s.inRange),
      f1(s.rangeWidthMedian),
    ]);
  }
  const none = r.summary.sources.find((s) => s.source === 'none');
  const note =
    none && none.arrivals > 0
      ? `\n"none" shows no number; had the last shown number stayed up instead: MAE ${f1(none.staleMae)} min, within 5 min ${pct(none.staleWithin5)}.`
      : '';
  return table(rows) + note;
}

export function waitTable(results: readonly ScenarioResult[]): string {
  const rows = [
    ['scenario', 'group', 'served', 'mean wait', 'p90 wait', 'mean walk', 'walk + wait', 'gave up', 'found closed'],
  ];
  for (const r of results) {
    for (const w of r.summary.waits) {
      if (w.served === 0 || (w.group === 'everyone' && r.followShare === 0)) continue;
      rows.push([
        r.name,
        w.group,
        int(w.served),
        f1(w.meanWait),
        f1(w.p90Wait),
        f1(w.meanWalk),
        f1(w.meanTotal),
        pct(w.gaveUp),
        int(w.turnedAway),
      ]);
    }
  }
  return table(rows);
}

export function oscillationTable(results: readonly ScenarioResult[]): string {
  const o0 = results[0]?.summary.oscillation;
  const rows = [['scenario', 'mean reversals', 'p95', 'max', `sites >= ${o0?.oscillatingAt ?? 10}`, 'worst site']];
  for (const r of results) {
    const o = r.summary.oscillation;
    rows.push([
      r.name,
      o.meanReversals.toFixed(2),
      String(o.p95Reversals),
      String(o.maxReversals),
      String(o.oscillating),
      o.worstSite ?? '—',
    ]);
  }
  return table(rows);
}

export function accuracyText(results: readonly ScenarioResult[], heading: string): string {
  const out = [heading, ''];
  out.push('Scenarios:');
  for (const r of results) out.push(`  ${r.name.padEnd(10)} ${r.label}`);
  for (const r of results) {
    out.push('', `Shown wait vs the true wait of people arriving then, by source shown (${r.name})`, sourceTable(r));
  }
  out.push('', 'Waits by how people chose (minutes)', waitTable(results));
  const o = results[0]?.summary.oscillation;
  out.push(
    '',
    `Oscillation: turns of a site's queue by >= ${o?.thresholdMin ?? 5} min of wait (5-min smoothed), per site over the day`,
    oscillationTable(results),
  );
  out.push('', 'Goals');
  for (const g of checkGoals(results))
    out.push(`  [${g.met === null ? '?' : g.met ? 'met' : 'NOT met'}] ${g.goal}: ${g.measured}`);
  return out.join('\n');
}
