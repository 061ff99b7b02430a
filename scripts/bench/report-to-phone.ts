// Report to phone (issue 19, item 6): the time from a staff report's POST leaving the tablet to
// its change arriving at every connected phone, p99 over clients and rounds, with the default
// FRAME_MS and the Redis store. Each round starts after a quiet window longer than FRAME_MS, so
// the change goes out at once (server/live/sync.ts) instead of waiting for the next tick. The
// reference is the floor of that path: HTTP POST -> Redis PUBLISH -> subscriber -> one
// pre-serialised ws send per client (servers/ref-push.ts).
import WebSocket from 'ws';
import { monoMs, spawnChild, type Child } from './lib/child.js';
import { ClientPool } from './lib/clients.js';
import { server, type Benchmark } from './lib/context.js';
import { benchPrefix, dropPrefix } from './lib/redis-clean.js';
import { makeRow, type Row } from './lib/report.js';
import { reporter } from './lib/reporter.js';
import { percentile, sleep, waitUntil } from './lib/stats.js';
import type { ShortlineReady } from './servers/shortline.js';

const FRAME_MS = 1000;

/** One side at `n` clients: p99 of (receipt - POST sent) in ms per measured run, and clients the server dropped. */
async function side(
  kind: 'ours' | 'ref',
  n: number,
  rounds: number,
  runs: number,
  /** 'plain': the resident page's feed (`/feed`); 'json': Socket.IO's documented events. */
  feed: 'json' | 'plain' = 'json',
): Promise<{ p99: number[]; dropped: number }> {
  const prefix = benchPrefix(kind === 'ours' ? 'r2p' : 'r2p-ref');
  const srv: Child<ShortlineReady | { port: number }> =
    kind === 'ours'
      ? await spawnChild<ShortlineReady>(server('shortline.ts'), { store: 'redis', prefix, frameMs: FRAME_MS })
      : await spawnChild(server('ref-push.ts'), { prefix });
  const url = `http://127.0.0.1:${srv.ready.port}`;
  const pool = new ClientPool({ url, mode: kind === 'ref' ? 'raw' : feed === 'plain' ? 'plain' : 'socketio' });
  let k = 0;
  const post =
    kind === 'ours'
      ? await reporter(url, srv.ready as ShortlineReady)
      : async () => {
          const r = await fetch(`${url}/push`, { method: 'POST', body: JSON.stringify({ siteId: 's', queue: k++ }) });
          await r.body?.cancel();
        };
  try {
    await pool.connect(n);
    const out: number[] = [];
    for (let run = -1; run < runs; run++) {
      const lat: number[] = [];
      for (let r = 0; r < rounds; r++) {
        // A quiet window: nothing has gone out for longer than FRAME_MS.
        await sleep(FRAME_MS + 200);
        const before = pool.deltas.slice();
        const t0 = monoMs();
        await post();
        // A client the server dropped (a missed heartbeat on a starved machine) is not waited for.
        const open = (i: number) => pool.sockets[i]!.readyState === WebSocket.OPEN;
        const all = await waitUntil(() => {
          for (let i = 0; i < pool.size; i++) if (pool.deltas[i] === before[i] && open(i)) return false;
          return true;
        }, 60_000);
        if (!all) throw new Error(`${kind}: not every client got the change within 60 s`);
        for (let i = 0; i < pool.size; i++) if (pool.deltas[i] !== before[i]) lat.push(pool.lastDeltaAt[i]! - t0);
      }
      if (run >= 0) out.push(percentile(lat, 99)); // run -1 warms up
    }
    return { p99: out, dropped: pool.closedEarly };
  } finally {
    await pool.close();
    await srv.close();
    await dropPrefix(prefix);
  }
}

export const reportToPhone: Benchmark = {
  names: ['report-to-phone'],
  async run(ctx) {
    const sizes = ctx.quick ? [200] : [5000, 10_000];
    const rounds = ctx.quick ? 3 : 10;
    const rows: Row[] = [];
    for (const n of sizes) {
      ctx.log(
        `report-to-phone: ${n} clients, shortline (Redis store, FRAME_MS ${FRAME_MS}), compact and JSON feeds, then reference`,
      );
      const compact = await side('ours', n, rounds, ctx.runs, 'plain');
      const json = await side('ours', n, rounds, ctx.runs, 'json');
      const reference = await side('ref', n, rounds, ctx.runs);
      // The compact feed on /feed is what the resident page (a phone) receives; the JSON feed is
      // the documented one outside tools read, with the city summary in every frame.
      for (const [feed, ours] of [
        ['compact feed on /feed (phones)', compact],
        ['JSON feed', json],
      ] as const) {
        rows.push(
          makeRow({
            name: `report to phone p99, ${n} clients, quiet window, ${feed}`,
            unit: 'ms',
            ours: ours.p99,
            reference: reference.p99,
            goal: { of: 'ratio', op: '<=', value: 1.5 },
            note: `POST sent -> change received by every client; reference: POST -> Redis PUBLISH -> one ws send per client; clients dropped: ours ${ours.dropped}, reference ${reference.dropped}`,
          }),
        );
      }
    }
    return rows;
  },
};
