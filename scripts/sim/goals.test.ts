// The accuracy tool's verdicts on issue 14's goals, from results shaped as a run reports them.
import { describe, expect, it } from 'vitest';
import type { Oscillation, SourceRow, WaitRow } from './analysis.js';
import { checkGoals } from './goals.js';
import type { ScenarioResult } from './report.js';

const source = (s: SourceRow['source'], v: Partial<SourceRow>): Partial<SourceRow> => ({ source: s, ...v });
const waits = (followers: number, nearest: number, everyone: number): Partial<WaitRow>[] => [
  { group: 'followers', served: followers > 0 ? 100 : 0, meanTotal: followers },
  { group: 'nearest', served: 100, meanTotal: nearest },
  { group: 'everyone', served: 200, meanTotal: everyone },
];
/** Only what checkGoals reads: the rest of a ScenarioResult plays no part in a verdict. */
function run(
  name: string,
  followShare: number,
  w: Partial<WaitRow>[],
  swinging: number,
  sources: Partial<SourceRow>[] = [],
) {
  const oscillation: Partial<Oscillation> = { oscillatingAt: 10, oscillating: swinging };
  return { name, followShare, summary: { sources, waits: w, oscillation } } as unknown as ScenarioResult;
}

describe('accuracy goals (issue 14)', () => {
  const sources = [
    source('staff', { within5: 0.93, within5Long: 0.81 }),
    source('carrier', { within5: 0.79, within5Long: 0.7 }),
    source('shown', { highRecall: 0.86, wrongLevel: 0.09, inRange: 0.8, rangeWidthMedian: 5 }),
  ];
  const results = [
    run('nearest', 0, waits(0, 16.7, 16.7), 3),
    run('shortline', 0.3, waits(13, 16.5, 15.9), 3, sources),
    run('spreading', 0.7, waits(16.5, 15.5, 16.8), 7),
  ];
  const verdict = (start: string) => checkGoals(results).find((g) => g.goal.startsWith(start));

  it('when the estimates are checked, then each goal reads its own figure of the 30% run, and the two-sided ones need both', () => {
    expect(verdict('staff-fresh arrivals')).toMatchObject({ met: true, measured: '93.0%' });
    expect(verdict('carrier-only arrivals')).toMatchObject({ met: false, measured: '79.0%' });
    expect(verdict('true wait >= 15 min')?.met).toBe(true);
    // Recall met, but the wrong level is over 8%.
    expect(verdict('truly "high"')).toMatchObject({ met: false, measured: '86.0%, wrong 9.0%' });
    expect(verdict('true wait inside')).toMatchObject({ met: true, measured: '80.0% (median width 5 min)' });
  });

  it('when followers are compared, then walk + wait is judged per run, against nearest goers and a city without shortline', () => {
    const lines = checkGoals(results);
    expect(
      lines.find((g) => g.goal.includes("followers' walk + wait") && g.goal.endsWith('(shortline)')),
    ).toMatchObject({
      met: true,
      measured: '13.0 vs 16.5 min (0.79x)',
    });
    expect(lines.find((g) => g.goal.includes("followers' walk + wait") && g.goal.endsWith('(spreading)'))?.met).toBe(
      false,
    );
    expect(lines.find((g) => g.goal.startsWith("everyone's") && g.goal.endsWith('(shortline)'))?.met).toBe(true);
    expect(lines.find((g) => g.goal.startsWith("everyone's") && g.goal.endsWith('(spreading)'))?.met).toBe(false);
  });

  it('when 70% follow, then swinging sites may be at most twice the count with nobody following; at 30% it is not judged', () => {
    const lines = checkGoals(results).filter((g) => g.goal.startsWith('sites swinging'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ met: false, measured: '7 vs 3' });
    const calmer = checkGoals([results[0]!, run('spreading', 0.7, waits(16, 15.5, 16), 6)]);
    expect(calmer.find((g) => g.goal.startsWith('sites swinging'))?.met).toBe(true);
  });
});
