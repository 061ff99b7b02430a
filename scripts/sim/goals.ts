// The goals of issue 6, checked against a run's results, in one place for the table and the page.
import type { ScenarioResult } from './report.js';

export interface GoalCheck {
  goal: string;
  measured: string;
  met: boolean | null;
}

const pct = (x: number | null | undefined) =>
  x === null || x === undefined || !Number.isFinite(x) ? '—' : `${(x * 100).toFixed(1)}%`;

export function checkGoals(results: readonly ScenarioResult[]): GoalCheck[] {
  const by = (name: string) => results.find((r) => r.name === name);
  const out: GoalCheck[] = [];
  const main = by('shortline') ?? results[0];
  if (main) {
    const src = (s: string) => main.summary.sources.find((r) => r.source === s);
    const staff = src('staff')?.within5 ?? null;
    const carrier = src('carrier')?.within5 ?? null;
    out.push({
      goal: `staff-fresh sites: shown wait within 5 min for >= 90% of arrivals (${main.name})`,
      measured: pct(staff),
      met: staff === null ? null : staff >= 0.9,
    });
    out.push({
      goal: `carrier-only sites: within 5 min for >= 70% of arrivals (${main.name})`,
      measured: pct(carrier),
      met: carrier === null ? null : carrier >= 0.7,
    });
  }
  for (const r of results) {
    const f = r.summary.waits.find((w) => w.group === 'followers');
    const n = r.summary.waits.find((w) => w.group === 'nearest');
    if (!f || !n || f.served === 0) continue;
    const less = 1 - f.meanWait / n.meanWait;
    const lessTotal = 1 - f.meanTotal / n.meanTotal;
    out.push({
      goal: `followers wait >= 30% less than nearest-site goers (${r.name})`,
      measured: `${pct(less)} less wait (${pct(lessTotal)} less walk + wait)`,
      met: less >= 0.3,
    });
  }
  const base = by('nearest');
  if (base) {
    for (const r of results) {
      if (r === base || r.followShare === 0) continue;
      const o = r.summary.oscillation;
      const b = base.summary.oscillation;
      out.push({
        goal: `no site's queue oscillates more than without shortline (${r.name})`,
        measured: `sites with >= ${o.oscillatingAt} reversals: ${o.oscillating} vs ${b.oscillating}; max ${o.maxReversals} vs ${b.maxReversals}; mean ${o.meanReversals.toFixed(2)} vs ${b.meanReversals.toFixed(2)}`,
        met: o.oscillating <= b.oscillating && o.maxReversals <= b.maxReversals + 1,
      });
    }
  }
  return out;
}
