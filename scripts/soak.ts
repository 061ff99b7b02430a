// `npm run soak`: the long versions of the reliability rows of issue 8, each printing its figure.
//   soak         churn of 1,000 sockets and 50 updates/s for SOAK_MINUTES (default 6), heap from minute 2
//   redis-kill   Redis SIGKILLed for 10 s under ~500 reports/s, nothing acknowledged lost
//   instance-kill  one of two instances SIGKILLed under 500 clients
//   embedded-kill  the server on the embedded store SIGKILLed 30 times under ~300 reports/s
// `npm run soak -- soak` (or redis-kill, instance-kill) runs one of them. Exit code 1 if any fails.
import { embeddedKillScenario } from '../testing/scenarios/embedded-kill.js';
import { instanceKillScenario } from '../testing/scenarios/instance-kill.js';
import { redisKillScenario } from '../testing/scenarios/redis-kill.js';
import { soakScenario } from '../testing/scenarios/soak.js';

const minutes = Number(process.env.SOAK_MINUTES ?? 6);
const ms = (v: number) => `${Math.round(v)} ms`;
const stamp = () => new Date().toISOString().slice(11, 19);

const RUNS: Record<string, () => Promise<string[]>> = {
  async soak() {
    const r = await soakScenario({
      sockets: 1000,
      updatesPerS: 50,
      durationMs: minutes * 60_000,
      warmupMs: 2 * 60_000,
      lifetimeMs: [1000, 10_000],
      probeMs: 5000,
      onProgress: (line) => console.log(`${stamp()} soak ${line}`),
    });
    console.log(
      `[figure] soak (${minutes} min, 1,000 sockets churning, 50 updates/s): ${r.connects} connections (errors ${r.connectErrors}), ${r.updates} updates (errors ${r.updateErrors}); heap after GC ${r.heapAtWarmupMb.toFixed(1)} MB at minute 2 -> ${r.heapAtEndMb.toFixed(1)} MB at the end: growth ${r.heapGrowthMb.toFixed(1)} MB, slope ${r.heapSlopeMbPerMin.toFixed(2)} MB/min; leaked Socket.IO sockets=${r.leakedIoSockets}`,
    );
    const problems: string[] = [];
    if (r.leakedIoSockets !== 0) problems.push(`${r.leakedIoSockets} Socket.IO sockets left in the heap`);
    if (r.heapSlopeMbPerMin > 1) problems.push(`heap grows ${r.heapSlopeMbPerMin.toFixed(2)} MB/min`);
    if (r.connectErrors || r.updateErrors) problems.push('connection or update errors');
    return problems;
  },
  async 'redis-kill'() {
    const r = await redisKillScenario({
      ratePerS: 500,
      sites: 100,
      beforeMs: 10_000,
      outageMs: 10_000,
      afterMs: 10_000,
    });
    console.log(
      `[figure] redis-kill (10 s outage): ${r.sent} sent at ${Math.round(r.achievedRatePerS)}/s (${r.skipped} ticks skipped at 256 in flight), acknowledged ${r.acknowledged}, lost=${r.lost}, replay mismatches=${r.replayMismatches}, wrong newest=${r.wrongLatest}; first 503 ${ms(r.firstFailureAfterMs)} after the kill, slowest 503 ${ms(r.slowest503Ms)}; recovered ${ms(r.recoveredAfterRestartMs)} after restart; 503s stored anyway=${r.storedDespite503}; other statuses ${JSON.stringify(r.otherStatuses)}`,
    );
    return [r.lost, r.replayMismatches, r.wrongLatest, r.otherStatuses.length].some((x) => x !== 0)
      ? ['acknowledged reports lost or unexpected answers']
      : [];
  },
  async 'embedded-kill'() {
    const r = await embeddedKillScenario({ runs: 30, ratePerS: 300, sites: 50, minLoadMs: 500, maxLoadMs: 5000 });
    console.log(
      `[figure] embedded-kill (${r.runs} runs): ${r.acknowledged} reports acknowledged at ${Math.round(r.achievedRatePerS)}/s, lost=${r.lostReports}; tokens issued ${r.tokensIssued}, lost=${r.lostTokens}; revoked ${r.revoked}, undone=${r.revocationsUndone}; other statuses ${JSON.stringify(r.otherStatuses)}`,
    );
    return [r.lostReports, r.lostTokens, r.revocationsUndone, r.otherStatuses.length].some((x) => x !== 0)
      ? ['acknowledged writes lost, revocations undone or unexpected answers']
      : [];
  },
  async 'instance-kill'() {
    const r = await instanceKillScenario({ clients: 500, reportsPerS: 50, afterKillMs: 5000 });
    console.log(
      `[figure] instance-kill (500 clients): ${r.moved} moved, reconnect p50 ${ms(r.reconnectP50Ms)}, p99 ${ms(r.reconnectP99Ms)}, max ${ms(r.reconnectMaxMs)}; state mismatches=${r.mismatches}; survivor errors=${r.survivorErrors}`,
    );
    return r.mismatches || r.survivorErrors ? ['state mismatches or survivor errors'] : [];
  },
};

const wanted = process.argv.slice(2).filter((a) => a !== '--');
const names = wanted.length ? wanted : Object.keys(RUNS);
let failed = false;
for (const name of names) {
  const run = RUNS[name];
  if (!run) {
    console.error(`unknown soak "${name}"; known: ${Object.keys(RUNS).join(', ')}`);
    process.exit(2);
  }
  console.log(`${stamp()} ${name}: starting`);
  const problems = await run();
  for (const p of problems) console.error(`${stamp()} ${name}: FAILED: ${p}`);
  failed ||= problems.length > 0;
}
process.exit(failed ? 1 : 0);
