// A signed carrier batch of 50,000 readings (one per site of a 50,000-site registry), POSTed to
// shortline on the Redis store and on the embedded one: time to the answer, and the server's
// event-loop delay meanwhile, the window closing once every frame carrying the batch's changes
// has gone out (a frame carries at most FRAME_MAX_SITES sites), so their broadcasts count too. Reference: the batch's Redis work alone (ref-carrier.ts).
import { sign } from '../../server/auth/hmac.js';
import { spawnChild, type Child } from './lib/child.js';
import { server, type BenchContext, type Benchmark } from './lib/context.js';
import { benchPrefix, dropPrefix } from './lib/redis-clean.js';
import { makeRow, type Row } from './lib/report.js';
import { sleep } from './lib/stats.js';
import { benchSites } from './lib/sites.js';
import type { ShortlineReady } from './servers/shortline.js';

type Loop = { p99Ms: number; maxMs: number };

/** POSTs one batch of `readings` readings over `sites` sites; returns ms to the answer and the loop delay. */
export async function postBatch(
  srv: Child<ShortlineReady>,
  sites: string[],
  readings: number,
  frameMs: number,
): Promise<{ ms: number; loop: Loop }> {
  const batch = JSON.stringify({
    batchId: `bench-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}`,
    observedAt: new Date().toISOString(),
    readings: Array.from({ length: readings }, (_, i) => ({
      siteId: sites[i % sites.length]!,
      people: (i * 37) % 400,
      confidence: 0.9,
    })),
  });
  const ts = Math.floor(Date.now() / 1000);
  const { id, secret } = srv.ready.carrierKey;
  const headers = {
    'content-type': 'application/json',
    'x-feed-key': id,
    'x-feed-timestamp': String(ts),
    'x-feed-signature': `sha256=${sign(secret, ts, batch)}`,
  };
  await srv.request('eldReset');
  const t0 = performance.now();
  const res = await fetch(`http://127.0.0.1:${srv.ready.port}/api/feeds/carrier`, {
    method: 'POST',
    headers,
    body: batch,
  });
  const answer = (await res.json()) as { accepted?: number };
  const ms = performance.now() - t0;
  if (res.status !== 200 || answer.accepted !== readings)
    throw new Error(`carrier batch: ${res.status} ${JSON.stringify(answer)}`);
  await sleep(frameMs * 1.3);
  while (await srv.request<boolean>('framePending')) await sleep(frameMs / 4);
  return { ms, loop: await srv.request<Loop>('eld') };
}

type Runs = { ms: number[]; p99: number[]; max: number[] };

/**
 * Runs on shortline and, if `withReference`, on the raw pipeline, alternating run by run so that
 * both sides of each ratio see the same machine load (it swings within a minute here).
 */
async function measure(
  ctx: BenchContext,
  store: 'redis' | 'embedded',
  sites: number,
  readings: number,
  withReference = false,
) {
  const prefix = benchPrefix(`carrier-${store}`);
  const refPrefix = benchPrefix('carrier-ref');
  // Quick mode shortens the frame, and so the wait for the batch's broadcast.
  const frameMs = ctx.quick ? 100 : 1000;
  const srv = await spawnChild<ShortlineReady>(
    server('shortline.ts'),
    { store, prefix, sites, frameMs },
    { startMs: 60_000 },
  );
  const ref = withReference ? await spawnChild(server('ref-carrier.ts'), { prefix: refPrefix, sites }) : null;
  const ids = benchSites(sites).map((s) => s.id);
  try {
    if (!ctx.quick) {
      await postBatch(srv, ids, readings, frameMs);
      await ref?.request('apply');
    }
    const out: Runs = { ms: [], p99: [], max: [] };
    const refMs: number[] = [];
    for (let i = 0; i < ctx.runs; i++) {
      const r = await postBatch(srv, ids, readings, frameMs);
      out.ms.push(r.ms);
      out.p99.push(r.loop.p99Ms);
      out.max.push(r.loop.maxMs);
      if (ref) refMs.push(await ref.request<number>('apply'));
    }
    return { ...out, refMs };
  } finally {
    await srv.close();
    await ref?.close();
    if (store === 'redis') await dropPrefix(prefix);
    if (ref) await dropPrefix(refPrefix);
  }
}

export const carrier: Benchmark = {
  names: ['carrier', 'carrier-embedded'],
  async run(ctx, sel) {
    const n = ctx.quick ? 5_000 : 50_000;
    const label = n.toLocaleString('en-US');
    const eldGoal = { of: 'ours', op: '<=', value: 20 } as const;
    const rows: Row[] = [];
    if (sel.has('carrier')) {
      ctx.log(`carrier batch: ${label} readings over ${label} sites, Redis store, vs raw pipeline`);
      const ours = await measure(ctx, 'redis', n, n, true);
      const maxNote = `max ${Math.max(...ours.max).toFixed(0)} ms; window: POST to answer until every frame of the batch has gone out`;
      const perRun = ours.ms.map((ms, i) => `${(ms / ours.refMs[i]!).toFixed(2)}x`).join(' ');
      rows.push(
        makeRow({
          name: `carrier batch ${label} readings, Redis`,
          unit: 'ms',
          ours: ours.ms,
          reference: ours.refMs,
          paired: true,
          goal: { of: 'ratio', op: '<=', value: 2 },
          note: `runs alternate with the reference; per run ${perRun}`,
        }),
      );
      rows.push(
        makeRow({
          name: 'carrier batch event-loop delay p99, Redis',
          unit: 'ms',
          ours: ours.p99,
          goal: eldGoal,
          note: maxNote,
        }),
      );
      if (!ctx.quick) {
        ctx.log(`carrier batch: ${label} readings over the 986 bundled sites (issue 2 figure)`);
        const small = await measure(ctx, 'redis', 986, n);
        rows.push(
          makeRow({
            name: `carrier batch ${label} readings over 986 sites, Redis`,
            unit: 'ms',
            ours: small.ms,
            note: `event-loop delay p99 ${Math.max(...small.p99).toFixed(0)} ms (worst run)`,
          }),
        );
      }
    }
    if (sel.has('carrier-embedded')) {
      ctx.log(`carrier batch: ${label} readings, embedded store`);
      const ours = await measure(ctx, 'embedded', n, n);
      rows.push(makeRow({ name: `carrier batch ${label} readings, embedded`, unit: 'ms', ours: ours.ms }));
      rows.push(
        makeRow({
          name: 'carrier batch event-loop delay p99, embedded',
          unit: 'ms',
          ours: ours.p99,
          goal: eldGoal,
          note: `max ${Math.max(...ours.max).toFixed(0)} ms`,
        }),
      );
    }
    return rows;
  },
};
