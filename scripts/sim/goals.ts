// The accuracy and advice goals (issue 14's table), checked against a run's results, in one place
// for the text table and the HTML page. The issue measures them in the `realistic` world over a
// full day of all sites; any world and size can be checked, and the lines say which run they read.
import type { SourceRow } from './analysis.js';
import type { ScenarioResult } from './report.js';

export interface GoalCheck {
  goal: string;
  measured: string;
  met: boolean | null;
}

const pct = (x: number | null | undefined) =>
  x === null || x === undefined || !Number.isFinite(x) ? '—' : `${(x * 100).toFixed(1)}%`;
const atLeast = (x: number | null | undefined, goal: number) => (x === null || x === undefined ? null : x >= goal);

export function checkGoals(results: readonly ScenarioResult[]): GoalCheck[] {
  const by = (name: string) => results.find((r) => r.name === name);
  const out: GoalCheck[] = [];
  const main = by('shortline') ?? results[0];
  if (main) {
    const src = (s: SourceRow['source']) => main.summary.sources.find((r) => r.source === s);
    const staff = src('staff');
    const carrier = src('carrier');
    const shown = src('shown');
    const at = `(${main.name})`;
    out.push(
      {
        goal: `staff-fresh arrivals within 5 min >= 92% ${at}`,
        measured: pct(staff?.within5),
        met: atLeast(staff?.within5, 0.92),
      },
      {
        goal: `carrier-only arrivals within 5 min >= 80% ${at}`,
        measured: pct(carrier?.within5),
        met: atLeast(carrier?.within5, 0.8),
      },
      {
        goal: `true wait >= 15 min, within 5 min: staff >= 80%, carrier >= 65% ${at}`,
        measured: `${pct(staff?.within5Long)} / ${pct(carrier?.within5Long)}`,
        met:
          staff?.within5Long == null || carrier?.within5Long == null
            ? null
            : staff.within5Long >= 0.8 && carrier.within5Long >= 0.65,
      },
      {
        goal: `truly "high" site-minutes shown "high" >= 85%, wrong level <= 8% ${at}`,
        measured: `${pct(shown?.highRecall)}, wrong ${pct(shown?.wrongLevel)}`,
        met:
          shown?.highRecall == null || shown.wrongLevel == null
            ? null
            : shown.highRecall >= 0.85 && shown.wrongLevel <= 0.08,
      },
      {
        goal: `true wait inside the shown range >= 80% ${at}`,
        measured: `${pct(shown?.inRange)} (median width ${shown?.rangeWidthMedian ?? '—'} min)`,
        met: atLeast(shown?.inRange, 0.8),
      },
    );
  }
  const base = by('nearest');
  const baseTrip = base?.summary.waits.find((w) => w.group === 'everyone')?.meanTotal;
  for (const r of results) {
    const f = r.summary.waits.find((w) => w.group === 'followers');
    const n = r.summary.waits.find((w) => w.group === 'nearest');
    const all = r.summary.waits.find((w) => w.group === 'everyone');
    if (!f || !n || f.served === 0 || r.followShare === 0) continue;
    const ratio = f.meanTotal / n.meanTotal;
    out.push({
      goal: `followers' walk + wait <= 0.8x nearest-site goers' (${r.name})`,
      measured: `${f.meanTotal.toFixed(1)} vs ${n.meanTotal.toFixed(1)} min (${ratio.toFixed(2)}x)`,
      met: ratio <= 0.8,
    });
    if (baseTrip !== undefined && all)
      out.push({
        goal: `everyone's walk + wait lower than in a city without shortline (${r.name})`,
        measured: `${all.meanTotal.toFixed(1)} vs ${baseTrip.toFixed(1)} min`,
        met: all.meanTotal < baseTrip,
      });
    if (base && r.followShare >= 0.7) {
      const o = r.summary.oscillation;
      const b = base.summary.oscillation;
      out.push({
        goal: `sites swinging (>= ${o.oscillatingAt} turns a day) <= 2x the count with nobody following (${r.name})`,
        measured: `${o.oscillating} vs ${b.oscillating}`,
        met: o.oscillating <= 2 * b.oscillating,
      });
    }
  }
  return out;
}
