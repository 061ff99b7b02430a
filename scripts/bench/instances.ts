// Capacity with more instances: the staff report path with one shortline instance, then with two
// sharing one Redis (load split evenly), and the time from a report accepted by one instance to
// the delta at a client of the other. The second instance gets core 1, which the load generator
// also uses: on a 2-core machine this shows the cost of sharing, not the ceiling of scaling out.
import { spawnChild, type Child } from './lib/child.js';
import { server, type BenchContext } from './lib/context.js';
import { makeRow, type Row } from './lib/report.js';
import { percentile } from './lib/stats.js';
import type { ShortlineReady } from './servers/shortline.js';
import { reportsPerSecond, reportToDelta, type Tablet } from './staff.js';

/** `a` is a running instance on the Redis store; a second one joins its key prefix. */
export async function instances(
  ctx: BenchContext,
  a: Child<ShortlineReady>,
  tablets: Tablet[],
  durationMs: number,
  frameMs: number,
): Promise<Row[]> {
  ctx.log('instances: staff reports/s with 1, then 2 instances on one Redis');
  const prefix = await a.request<string>('prefix');
  const b = await spawnChild<ShortlineReady>(server('shortline.ts'), { store: 'redis', prefix, frameMs }, { core: 1 });
  try {
    const one = [a.ready.port];
    const two = [a.ready.port, b.ready.port];
    if (!ctx.quick) {
      await reportsPerSecond(one, tablets, durationMs / 2);
      await reportsPerSecond(two, tablets, durationMs / 2);
    }
    const r1: number[] = [];
    const r2: number[] = [];
    for (let i = 0; i < ctx.runs; i++) {
      r1.push(await reportsPerSecond(one, tablets, durationMs));
      r2.push(await reportsPerSecond(two, tablets, durationMs));
    }
    const waits = await reportToDelta(a.ready.port, b.ready.port, tablets[0]!, ctx.quick ? 3 : 20, frameMs);
    return [
      makeRow({
        name: 'staff reports, 2 instances vs 1, one Redis',
        unit: '/s',
        ours: r2,
        reference: r1,
        paired: true,
        note: 'ours: 2 instances (cores 0 and 1); reference: 1 instance (core 0); load on core 1',
      }),
      makeRow({
        name: 'report on instance A -> delta at a client of B',
        unit: 'ms',
        ours: waits,
        note: `FRAME_MS ${frameMs}; p99 ${percentile(waits, 99).toFixed(0)} ms, min ${Math.min(...waits).toFixed(0)} ms`,
      }),
    ];
  } finally {
    await b.close();
  }
}
