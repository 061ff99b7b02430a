// Slow clients: the same shortline server and clients, all reading, or with 5% of them stalled
// (their sockets no longer read, like phones on a dead link: the kernel's buffers fill, then the
// server's). Figures: the other clients' p99 from frame emitted to delta received, and the
// server's memory (heap and buffers, after GC). Goal: stalled/unstalled <= 1.1x. Frames of 50
// changed sites (~10 KB), four a second.
import { spawnChild } from './lib/child.js';
import { ClientPool } from './lib/clients.js';
import { server, type BenchContext, type Benchmark } from './lib/context.js';
import { makeRow } from './lib/report.js';
import { median, percentile, sleep, waitUntil } from './lib/stats.js';
import type { ServerStats } from './servers/common.js';
import type { ShortlineReady } from './servers/shortline.js';

const STALLED_SHARE = 0.05;
const K = 50;

/**
 * Per run: blocks of frames alternating between every client reading and 5% stalled (they read
 * again, and catch up, before the next unstalled block), so that drift on this shared machine
 * hits both conditions alike. Latencies are pooled per condition; memory is taken after each block.
 */
async function measure(ctx: BenchContext, n: number): Promise<Array<{ p99: [number, number]; mem: [number, number] }>> {
  // Socket.IO's default heartbeat (25 s, 20 s) instead of the app's 3 s + 2 s: a block stalls
  // clients for longer than 5 s, and the app's heartbeat would drop them, so they would never catch
  // up (each block then waited out its 30 s timeout, and two runs outlived the server's 10-minute
  // lifetime). Stalled clients that stay connected are also the harder case for the server.
  const srv = await spawnChild<ShortlineReady>(
    server('shortline.ts'),
    { store: 'embedded', manualFrames: true, ping: [25_000, 20_000] },
    { nodeArgs: ['--expose-gc'] },
  );
  const receipts = new Map<number, number[]>();
  const pool = new ClientPool({
    url: `http://127.0.0.1:${srv.ready.port}`,
    mode: 'socketio',
    onDelta: (i, version, at) => {
      if (pool.isStalled(i)) return;
      let r = receipts.get(version);
      if (!r) receipts.set(version, (r = []));
      r.push(at);
    },
  });
  const frames = ctx.quick ? { count: 5, intervalMs: 50 } : { count: 10, intervalMs: 250 };
  const blocks = ctx.quick ? 2 : 6;
  const block = async (lat: number[], mem: number[]) => {
    receipts.clear();
    pool.resetCounts();
    const sent = await srv.request<Array<{ version: number; at: number }>>('frames', { ...frames, k: K });
    await waitUntil(() => pool.countAtLeast(frames.count) === pool.activeCount(), 60_000);
    for (const f of sent) for (const at of receipts.get(f.version) ?? []) lat.push(at - f.at);
    await sleep(200);
    const s = await srv.request<ServerStats>('gc');
    mem.push(s.heapUsed + s.arrayBuffers);
  };
  try {
    const t0 = Date.now();
    await pool.connect(n);
    ctx.log(`  ${n} clients connected in ${Date.now() - t0} ms`);
    await srv.request('frames', { count: 5, k: K, intervalMs: 20 });
    await sleep(300);
    const out = [];
    for (let run = 0; run < ctx.runs; run++) {
      // A different 5% each run, spread over the clients.
      const stalled = Array.from(
        { length: Math.round(n * STALLED_SHARE) },
        (_, j) => (Math.floor(j / STALLED_SHARE) + run) % n,
      );
      const lat = { reading: [] as number[], stalled: [] as number[] };
      const mem = { reading: [] as number[], stalled: [] as number[] };
      for (let b = 0; b < blocks; b++) {
        if (b % 2 === 0) {
          await block(lat.reading, mem.reading);
          continue;
        }
        pool.stall(stalled);
        await block(lat.stalled, mem.stalled);
        const leaked = stalled.reduce((a, i) => a + pool.deltas[i]!, 0);
        if (leaked > 0) throw new Error(`stalled clients still received ${leaked} deltas: the stall did not hold`);
        pool.resume();
        await waitUntil(() => pool.countAtLeast(frames.count) === pool.size, 30_000);
      }
      const r = {
        p99: [percentile(lat.reading, 99), percentile(lat.stalled, 99)] as [number, number],
        mem: [median(mem.reading), median(mem.stalled)] as [number, number],
      };
      ctx.log(
        `  p99 ${r.p99[0].toFixed(1)} -> ${r.p99[1].toFixed(1)} ms, memory ${(r.mem[0] / 2 ** 20).toFixed(1)} -> ${(r.mem[1] / 2 ** 20).toFixed(1)} MB with ${stalled.length} stalled`,
      );
      out.push(r);
    }
    return out;
  } finally {
    await pool.close();
    await srv.close();
  }
}

export const slowClients: Benchmark = {
  names: ['slow-clients'],
  async run(ctx) {
    const n = ctx.quick ? 200 : 2000;
    ctx.log(`slow clients: ${n} clients, then ${STALLED_SHARE * 100}% of them stalled`);
    const runs = await measure(ctx, n);
    const goal = { of: 'ratio', op: '<=', value: 1.1 } as const;
    return [
      makeRow({
        name: `slow clients: fast clients' p99, ${n} clients`,
        unit: 'ms',
        ours: runs.map((r) => r.p99[1]),
        reference: runs.map((r) => r.p99[0]),
        paired: true,
        goal,
        note: 'ours: 5% of clients stalled; reference: every client reading; blocks of 10 frames alternate within each run',
      }),
      makeRow({
        name: `slow clients: server heap+buffers, ${n} clients`,
        unit: 'KB',
        ours: runs.map((r) => r.mem[1] / 1024),
        reference: runs.map((r) => r.mem[0] / 1024),
        paired: true,
        goal,
      }),
    ];
  },
};
