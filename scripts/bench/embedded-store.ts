// The embedded store's persistence (LMDB, every answered write synced) against the same store
// without persistence, both with per-minute history for 986 sites (72 h in full mode, 6 h in quick
// mode) and 300 staff reports/s: the event loop's p99 delay (goal: at most 20 ms, issue 15) and the
// time to a durable answer. Runs in this process, like the store runs in the server's.
import { embeddedLoopScenario, type EmbeddedLoopResult } from '../../testing/scenarios/embedded-loop.js';
import type { Benchmark } from './lib/context.js';
import { makeRow, type Row } from './lib/report.js';

export const embeddedStore: Benchmark = {
  names: ['embedded-store'],
  async run(ctx) {
    const historyHours = ctx.quick ? 6 : 72;
    const durationMs = ctx.quick ? 2000 : 10_000;
    // Seeding 72 h of history takes a while; two paired runs are enough for a p99 over 10 s each.
    const runs = ctx.quick ? 1 : 2;
    const ours: EmbeddedLoopResult[] = [];
    const ref: EmbeddedLoopResult[] = [];
    for (let i = 0; i < runs; i++) {
      ctx.log(`embedded store: ${historyHours} h of history for 986 sites, 300 reports/s, run ${i + 1}/${runs}`);
      ref.push(await embeddedLoopScenario({ sites: 986, historyHours, ratePerS: 300, durationMs, persist: false }));
      ours.push(await embeddedLoopScenario({ sites: 986, historyHours, ratePerS: 300, durationMs, persist: true }));
      const o = ours[ours.length - 1]!;
      ctx.log(
        `  ${o.points} points, seeded in ${(o.seedMs / 1000).toFixed(1)} s, opened in ${(o.openMs / 1000).toFixed(1)} s; ${o.achievedRatePerS.toFixed(0)} writes/s`,
      );
    }
    const rows: Row[] = [
      makeRow({
        name: `embedded-store loop p99 (${historyHours} h)`,
        unit: 'ms',
        paired: true,
        ours: ours.map((r) => r.loopP99Ms),
        reference: ref.map((r) => r.loopP99Ms),
        goal: { of: 'ours', op: '<=', value: 20 },
        note: `reference: the same store without persistence; max delay ${ours.map((r) => r.loopMaxMs.toFixed(0)).join('/')} ms vs ${ref.map((r) => r.loopMaxMs.toFixed(0)).join('/')} ms`,
      }),
      makeRow({
        name: 'embedded-store durable write p50',
        unit: 'ms',
        ours: ours.map((r) => r.writeP50Ms),
        reference: ref.map((r) => r.writeP50Ms),
        note: `p99 ${ours.map((r) => r.writeP99Ms.toFixed(0)).join('/')} ms; group commit: one fsync covers every write of its batch`,
      }),
      makeRow({
        name: 'embedded-store durable writes',
        unit: '/s',
        ours: ours.map((r) => r.achievedRatePerS),
        reference: ref.map((r) => r.achievedRatePerS),
      }),
    ];
    return rows;
  },
};
