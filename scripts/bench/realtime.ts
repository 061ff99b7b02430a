// Fan-out CPU, fan-out ceiling, end-to-end latency and memory per connection: shortline's
// Socket.IO server and a bare `ws` server that sends the same bytes, each ramped to the same
// number of websocket clients held by this process. The ramp measures memory at every step; the
// other figures are taken at the small and the full client count. Shortline goes first: its
// connection's bytes (snapshot, one frame) are what the reference then sends.
import { spawnChild, type Child } from './lib/child.js';
import { ClientPool } from './lib/clients.js';
import { server, type BenchContext, type Benchmark } from './lib/context.js';
import { makeRow, type Row } from './lib/report.js';
import { reporter } from './lib/reporter.js';
import { percentile, slope, sleep, waitUntil } from './lib/stats.js';
import type { ServerStats } from './servers/common.js';
import type { ShortlineReady } from './servers/shortline.js';

/** Sites changed per frame: a busy minute of staff reports across the city, ~4 KB of delta. */
const K = 20;

interface Sizes {
  small: number;
  top: number;
  steps: number[];
  cpuFrames: (n: number) => { count: number; intervalMs: number };
  ceilingFrames: number;
  latencyRounds: number;
}

const sizes = (quick: boolean): Sizes =>
  quick
    ? {
        small: 100,
        top: 200,
        steps: [100, 200],
        cpuFrames: () => ({ count: 10, intervalMs: 20 }),
        ceilingFrames: 10,
        latencyRounds: 3,
      }
    : {
        small: 2000,
        top: 10_000,
        steps: [2000, 4000, 6000, 8000, 10_000],
        cpuFrames: (n) => ({ count: n > 5000 ? 10 : 20, intervalMs: n > 5000 ? 250 : 100 }),
        ceilingFrames: 20,
        latencyRounds: 10,
      };

interface Side {
  cpuSmall: number[];
  cpuTop: number[];
  ceiling: number[];
  latency: number[];
  heapSlope: number;
  rssSlope: number;
  lost: number;
}

type Payload = { snapshot: string; frame: string[] };

async function session(
  ctx: BenchContext,
  sel: ReadonlySet<string>,
  kind: 'ours' | 'public' | 'plain' | 'ref',
  payload: Payload | null,
): Promise<{ side: Side; payload: Payload | null }> {
  const sz = sizes(ctx.quick);
  const srv: Child<ShortlineReady | { port: number }> =
    kind !== 'ref'
      ? await spawnChild<ShortlineReady>(
          server('shortline.ts'),
          { store: 'embedded', manualFrames: true, preFramed: kind === 'ours' },
          { nodeArgs: ['--expose-gc'] },
        )
      : await spawnChild(server('ref-ws.ts'), payload, { nodeArgs: ['--expose-gc'] });
  const url = `http://127.0.0.1:${srv.ready.port}`;
  const mode = kind === 'ref' ? 'raw' : kind === 'plain' ? 'plain' : 'socketio';
  const pool = new ClientPool({ url, mode, capture: kind === 'ours' ? 1 : 0 });
  const side: Side = { cpuSmall: [], cpuTop: [], ceiling: [], latency: [], heapSlope: NaN, rssSlope: NaN, lost: 0 };
  try {
    const memX: number[] = [];
    const heap: number[] = [];
    const rss: number[] = [];
    const measureMem = async () => {
      await sleep(300);
      const s = await srv.request<ServerStats>('gc');
      memX.push(pool.size);
      heap.push(s.heapUsed + s.arrayBuffers);
      rss.push(s.rss);
    };
    if (sel.has('memory')) await measureMem();
    for (const step of sz.steps) {
      const t0 = Date.now();
      await pool.connect(step - pool.size);
      ctx.log(`  ${kind}: ${pool.size} clients (+${((Date.now() - t0) / 1000).toFixed(1)} s)`);
      if (kind === 'ours' && !payload) payload = await capture(srv, pool);
      if (sel.has('memory')) await measureMem();
      if (step === sz.small && sel.has('fanout-cpu')) {
        const idle = await idleRate(srv, ctx.quick ? 300 : 2000);
        side.cpuSmall = await repeat(ctx, () => cpuRun(srv, pool, sz.cpuFrames(step), idle));
      }
    }
    if (sel.has('memory')) {
      side.heapSlope = slope(memX, heap);
      side.rssSlope = slope(memX, rss);
    }
    if (sel.has('fanout-cpu')) {
      ctx.log(`  ${kind}: fan-out CPU`);
      const idle = await idleRate(srv, ctx.quick ? 300 : 2000);
      side.cpuTop = await repeat(ctx, () => cpuRun(srv, pool, sz.cpuFrames(sz.top), idle));
    }
    if (sel.has('fanout-ceiling')) {
      ctx.log(`  ${kind}: fan-out ceiling`);
      side.ceiling = await repeat(ctx, async () => {
        const r = await ceilingRun(srv, pool, sz.ceilingFrames);
        side.lost += r.lost;
        return r.rate;
      });
    }
    if (sel.has('latency')) {
      ctx.log(`  ${kind}: latency`);
      const report = kind !== 'ref' ? await reporter(url, srv.ready as ShortlineReady) : null;
      side.latency = await repeat(ctx, () => latencyRun(srv, pool, sz.latencyRounds, report));
    }
  } finally {
    await pool.close();
    await srv.close();
  }
  return { side, payload };
}

/** One warm-up (not in quick mode), then ctx.runs measured runs. */
async function repeat(ctx: BenchContext, fn: () => Promise<number>): Promise<number[]> {
  if (!ctx.quick) await fn();
  const out: number[] = [];
  for (let i = 0; i < ctx.runs; i++) out.push(await fn());
  return out;
}

/** Emits one frame and keeps the messages client 0 got for it: the reference sends these bytes. */
async function capture(srv: Child, pool: ClientPool): Promise<Payload> {
  const before = pool.captured.length;
  await srv.request('frame', { k: K });
  await waitUntil(() => pool.countAtLeast(1) === pool.activeCount(), 30_000);
  await sleep(100);
  const msgs = pool.captured.map((b) => b.toString());
  const snapshot = msgs.find((m) => m.startsWith('42["live:snapshot"'));
  const frame = msgs.slice(before);
  if (!snapshot || !frame[0]?.startsWith('42["live:delta"'))
    throw new Error('could not capture a snapshot and a frame from shortline');
  return { snapshot, frame };
}

/**
 * The server's CPU µs per ms while idle with its clients connected (Socket.IO's heartbeats,
 * timers): subtracted from the runs, since a run lasts as long as the load generator takes to
 * read every frame, and that idle cost is per connection, not per delta.
 */
async function idleRate(srv: Child, ms: number): Promise<number> {
  const s0 = await srv.request<ServerStats>('stats');
  const t0 = performance.now();
  await sleep(ms);
  const s1 = await srv.request<ServerStats>('stats');
  return (s1.cpuUs - s0.cpuUs) / (performance.now() - t0);
}

/** Server CPU µs per delivered delta over `count` frames to every client, idle cost subtracted. */
async function cpuRun(
  srv: Child,
  pool: ClientPool,
  f: { count: number; intervalMs: number },
  idle: number,
): Promise<number> {
  pool.resetCounts();
  const s0 = await srv.request<ServerStats>('stats');
  const t0 = performance.now();
  await srv.request('frames', { ...f, k: K });
  await waitUntil(() => pool.countAtLeast(f.count) === pool.activeCount(), 60_000);
  const s1 = await srv.request<ServerStats>('stats');
  const delivered = pool.deltas.reduce((a, b) => a + b, 0);
  return (s1.cpuUs - s0.cpuUs - idle * (performance.now() - t0)) / delivered;
}

/** Deltas delivered per second when frames go out back to back: first emit to last receipt. */
async function ceilingRun(srv: Child, pool: ClientPool, count: number): Promise<{ rate: number; lost: number }> {
  pool.resetCounts();
  const sent = await srv.request<Array<{ at: number }>>('frames', { count, k: K, intervalMs: 0 });
  const expected = count * pool.activeCount();
  await waitUntil(() => pool.countAtLeast(count) === pool.activeCount(), 120_000);
  const delivered = pool.deltas.reduce((a, b) => a + b, 0);
  const last = pool.lastDeltaAt.reduce((a, b) => Math.max(a, b), 0);
  return { rate: delivered / ((last - sent[0]!.at) / 1000), lost: expected - delivered };
}

/** p99 over clients and rounds of (receipt - frame emitted), in ms; ours starts each round with a real staff report. */
async function latencyRun(
  srv: Child,
  pool: ClientPool,
  rounds: number,
  report: (() => Promise<void>) | null,
): Promise<number> {
  const lat: number[] = [];
  for (let r = 0; r < rounds; r++) {
    await report?.();
    // Taken before the frame goes out: its first receipts may beat the answer to this request.
    const before = pool.deltas.slice();
    const f = await srv.request<{ version: number; at: number }>('frame', { k: report ? 0 : K });
    await waitUntil(() => {
      for (let i = 0; i < pool.size; i++) if (pool.deltas[i] === before[i]) return false;
      return true;
    }, 30_000);
    for (let i = 0; i < pool.size; i++) if (pool.deltas[i]! > before[i]!) lat.push(pool.lastDeltaAt[i]! - f.at);
    await sleep(50);
  }
  return percentile(lat, 99);
}

export const realtime: Benchmark = {
  names: ['fanout-cpu', 'fanout-ceiling', 'latency', 'memory', 'public-path'],
  async run(ctx, sel) {
    const sz = sizes(ctx.quick);
    ctx.log(`realtime: shortline (Socket.IO), then bare ws, ${sz.top} clients`);
    // The public-path rows compare against ours, so ours measures fan-out whenever they are asked for.
    const oursSel = sel.has('public-path') ? new Set([...sel, 'fanout-cpu', 'fanout-ceiling']) : sel;
    const ours = await session(ctx, oursSel, 'ours', null);
    const ref = await session(ctx, sel, 'ref', ours.payload);
    // The resident page's connections (the crowd) are on the plain feed, not Socket.IO: its memory
    // is the goal's; its fan-out (compact deltas, no summary) is measured for the capacity plan.
    const plainSel = new Set([...sel].filter((x) => ['memory', 'fanout-cpu', 'fanout-ceiling'].includes(x)));
    const plain = plainSel.size ? (await session(ctx, plainSel, 'plain', null)).side : null;
    const rows: Row[] = [];
    if (sel.has('public-path')) {
      // The supported path: the same server broadcasting through engine.io's public writes. Within
      // 10% of the pre-framed path, the private one (live/engine-adapter.ts) would not be worth it.
      const pub = (await session(ctx, new Set(['fanout-cpu', 'fanout-ceiling']), 'public', ours.payload)).side;
      const note = 'public engine.io writes against the pre-framed path, same server and clients';
      rows.push(
        makeRow({
          name: `public writes: fan-out CPU per delta, ${sz.top} clients`,
          unit: 'µs',
          ours: pub.cpuTop,
          reference: ours.side.cpuTop,
          goal: { of: 'ratio', op: '<=', value: 1.1 },
          note,
        }),
        makeRow({
          name: `public writes: fan-out ceiling, ${sz.top} clients`,
          unit: '/s',
          ours: pub.ceiling,
          reference: ours.side.ceiling,
          goal: { of: 'ratio', op: '>=', value: 0.9 },
          note,
        }),
      );
    }
    const o = ours.side;
    const r = ref.side;
    if (sel.has('fanout-cpu')) {
      const note = `server CPU per delivered delta (each frame: delta and summary, ${K} sites changed), idle CPU subtracted`;
      rows.push(
        makeRow({
          name: `fan-out CPU per delta, ${sz.small} clients`,
          unit: 'µs',
          ours: o.cpuSmall,
          reference: r.cpuSmall,
          goal: { of: 'ratio', op: '<=', value: 1.3 },
          note,
        }),
      );
      rows.push(
        makeRow({
          name: `fan-out CPU per delta, ${sz.top} clients`,
          unit: 'µs',
          ours: o.cpuTop,
          reference: r.cpuTop,
          goal: { of: 'ratio', op: '<=', value: 1.3 },
          note,
        }),
      );
    }
    if (sel.has('fanout-ceiling')) {
      rows.push(
        makeRow({
          name: `fan-out ceiling, ${sz.top} clients`,
          unit: '/s',
          ours: o.ceiling,
          reference: r.ceiling,
          goal: { of: 'ratio', op: '>=', value: 0.75 },
          note: `deltas lost: ours ${o.lost}, reference ${r.lost}`,
        }),
      );
    }
    if (sel.has('latency')) {
      rows.push(
        makeRow({
          name: `latency p99 minus frame wait, ${sz.top} clients`,
          unit: 'ms',
          ours: o.latency,
          reference: r.latency,
          goal: { of: 'ratio', op: '<=', value: 1.3 },
        }),
      );
    }
    if (plain && sel.has('fanout-cpu')) {
      rows.push(
        makeRow({
          name: `resident feed: fan-out CPU per delta, ${sz.top} clients`,
          unit: 'µs',
          ours: plain.cpuTop,
          note: `plain websocket /feed, compact deltas of ${K} sites and no summary (no reference sends these bytes); at ${sz.small} clients ${plain.cpuSmall.map((x) => x.toFixed(1)).join(', ')} µs`,
        }),
      );
    }
    if (plain && sel.has('fanout-ceiling')) {
      rows.push(
        makeRow({
          name: `resident feed: fan-out ceiling, ${sz.top} clients`,
          unit: '/s',
          ours: plain.ceiling,
          note: `plain websocket /feed, frames back to back; deltas lost ${plain.lost}`,
        }),
      );
    }
    if (sel.has('memory') && plain) {
      const note = `least-squares slope over ${sz.steps.length + 1} ramp steps to ${sz.top} idle clients, after GC`;
      const mem = (name: string, ours: number, reference: number, goal: boolean, why: string) =>
        makeRow({
          name,
          unit: 'KB',
          ours: [ours / 1024],
          reference: [reference / 1024],
          ...(goal ? { goal: { of: 'ratio', op: '<=', value: 1.8 } as const } : {}),
          note: `${why}; ${note}`,
        });
      rows.push(
        mem('memory per connection, heap, resident feed', plain.heapSlope, r.heapSlope, true, 'plain websocket /feed'),
        mem('memory per connection, RSS, resident feed', plain.rssSlope, r.rssSlope, true, 'plain websocket /feed'),
        mem('memory per connection, heap, Socket.IO', o.heapSlope, r.heapSlope, false, 'staff, wall, outside tools'),
        mem('memory per connection, RSS, Socket.IO', o.rssSlope, r.rssSlope, false, 'staff, wall, outside tools'),
      );
    }
    return rows;
  },
};
