// Rows of the results table: each a measurement of shortline next to its reference from the same
// run, a ratio, the issue's goal and whether it is met.
import { median } from './stats.js';

export type Unit = 'µs' | 'ms' | 'KB' | 'MB' | 'B' | '/s' | 'req/s' | 'score';

export interface Goal {
  /** What the goal bounds: the ratio to the reference, or shortline's own figure. */
  of: 'ratio' | 'ours';
  op: '<=' | '>=';
  value: number;
}

export interface Row {
  name: string;
  unit: Unit;
  ours: number;
  reference: number | null;
  /** Median of the per-run ratios (each run measures both sides back to back), else ours/reference. */
  ratio: number | null;
  goal: Goal | null;
  verdict: 'met' | 'MISSED' | 'info';
  note?: string;
  runs: { ours: number[]; reference: number[] };
}

export interface RowInput {
  name: string;
  unit: Unit;
  ours: number[];
  reference?: number[];
  goal?: Goal;
  note?: string;
  /** Pair runs for the ratio (same count on both sides, measured back to back). */
  paired?: boolean;
}

export function makeRow(r: RowInput): Row {
  const ours = median(r.ours);
  const refs = r.reference ?? [];
  const reference = refs.length ? median(refs) : null;
  let ratio: number | null = null;
  if (reference !== null) {
    ratio = r.paired && refs.length === r.ours.length ? median(r.ours.map((o, i) => o / refs[i]!)) : ours / reference;
  }
  let verdict: Row['verdict'] = 'info';
  if (r.goal) {
    const x = r.goal.of === 'ratio' ? ratio : ours;
    if (x === null || !Number.isFinite(x)) verdict = 'MISSED';
    else verdict = (r.goal.op === '<=' ? x <= r.goal.value : x >= r.goal.value) ? 'met' : 'MISSED';
  }
  return {
    name: r.name,
    unit: r.unit,
    ours,
    reference,
    ratio,
    goal: r.goal ?? null,
    verdict,
    note: r.note,
    runs: { ours: r.ours, reference: refs },
  };
}

export function fmtValue(v: number | null, unit: Unit): string {
  if (v === null || !Number.isFinite(v)) return '-';
  const abs = Math.abs(v);
  const n =
    abs >= 1000
      ? Math.round(v).toLocaleString('en-US')
      : abs >= 100
        ? v.toFixed(0)
        : abs >= 10
          ? v.toFixed(1)
          : v.toFixed(2);
  return unit === '/s' || unit === 'req/s' ? `${n} ${unit}` : `${n} ${unit}`;
}

export function fmtGoal(g: Goal | null): string {
  if (!g) return '-';
  return g.of === 'ratio' ? `${g.op} ${g.value}x` : `${g.op} ${g.value}`;
}

/** A plain-text table; also valid Markdown, so README.bench.md can take it as is. */
export function table(rows: Row[]): string {
  const head = ['benchmark', 'ours', 'reference', 'ratio', 'goal', 'verdict'];
  const body = rows.map((r) => [
    r.name,
    fmtValue(r.ours, r.unit),
    fmtValue(r.reference, r.unit),
    r.ratio === null ? '-' : `${r.ratio.toFixed(2)}x`,
    r.goal ? `${fmtGoal(r.goal)}${r.goal.of === 'ours' ? ` ${r.unit}` : ''}` : '-',
    r.verdict,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')} |`;
  return [
    line(head),
    `|${widths.map((w, i) => (i === 0 ? `:${'-'.repeat(w + 1)}` : `${'-'.repeat(w + 1)}:`)).join('|')}|`,
    ...body.map(line),
  ].join('\n');
}
