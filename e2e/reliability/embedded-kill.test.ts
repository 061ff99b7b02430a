// Row "embedded store killed under load": a crash at any moment loses nothing acknowledged and
// brings back no revoked token. `npm run soak` runs more and longer runs.
import { describe, expect, it } from 'vitest';
import { embeddedKillScenario } from '../../testing/scenarios/embedded-kill.js';

describe('the embedded store killed (SIGKILL) under ~300 reports/s', () => {
  it('when the server is killed at random moments 10 times, then no acknowledged report, issued token or revocation is lost', async () => {
    const r = await embeddedKillScenario({ runs: 10, ratePerS: 300, sites: 20, minLoadMs: 200, maxLoadMs: 1200 });
    console.log(
      `[figure] embedded-kill (suite, ${r.runs} runs): ${r.acknowledged} reports acknowledged at ${Math.round(r.achievedRatePerS)}/s, lost=${r.lostReports}; tokens issued ${r.tokensIssued}, lost=${r.lostTokens}; revoked ${r.revoked}, undone=${r.revocationsUndone}`,
    );
    expect(r.otherStatuses).toEqual([]);
    expect(r.acknowledged).toBeGreaterThan(100);
    expect(r.tokensIssued).toBeGreaterThan(5);
    expect(r.revoked).toBeGreaterThan(2);
    expect(r.lostReports).toBe(0);
    expect(r.lostTokens).toBe(0);
    expect(r.revocationsUndone).toBe(0);
  }, 120_000);
});
