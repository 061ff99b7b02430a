// The staff report path on the Redis store: reports per second, POST to stored and published,
// against the lean reference (ref-staff.ts: node:http, an in-process token map, one small Redis
// script) under its own key prefix, which shortline never reads or subscribes to; runs alternate. Then, for issue 2, the time from an accepted report
// to a client's delta with the default 1 s frame.
import { spawnChild, monoMs, type Child } from './lib/child.js';
import { ClientPool } from './lib/clients.js';
import { instances } from './instances.js';
import { server, type Benchmark } from './lib/context.js';
import { httpLoad, postRequest } from './lib/http-load.js';
import { benchPrefix, dropPrefix } from './lib/redis-clean.js';
import { makeRow, type Row } from './lib/report.js';
import { median, percentile, waitUntil } from './lib/stats.js';
import { benchSites } from './lib/sites.js';
import { withCpu } from './servers/common.js';
import type { ShortlineReady } from './servers/shortline.js';

/** One tablet per connection, each its own site and token. */
const CONNECTIONS = 16;

export interface Tablet {
  siteId: string;
  token: string;
}

export async function issueTokens(port: number, adminToken: string, n: number): Promise<Tablet[]> {
  const sites = benchSites(n);
  return Promise.all(
    sites.map(async ({ id: siteId }) => {
      const res = await fetch(`http://127.0.0.1:${port}/api/admin/staff-tokens`, {
        method: 'POST',
        headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ siteId }),
      });
      if (res.status !== 201) throw new Error(`staff token: ${res.status} ${await res.text()}`);
      return { siteId, token: ((await res.json()) as { token: string }).token };
    }),
  );
}

let nonce = 0;
/** Requests for connection c: its tablet's reports, each with a new id. */
export function reportRequests(tablets: Tablet[]) {
  const tag = `${process.pid}-${Date.now().toString(36)}-${nonce++}`;
  return (c: number, n: number) => {
    const t = tablets[c % tablets.length]!;
    return postRequest(
      `/api/sites/${t.siteId}/reports`,
      JSON.stringify({ reportId: `bench-${tag}-${c}-${n}`, queue: n % 120 }),
      {
        Authorization: `Bearer ${t.token}`,
      },
    );
  };
}

export async function reportsPerSecond(ports: number[], tablets: Tablet[], durationMs: number): Promise<number> {
  const request = reportRequests(tablets);
  const results = await Promise.all(
    ports.map((port, i) =>
      httpLoad({
        port,
        connections: CONNECTIONS / ports.length,
        durationMs,
        request: (c, n) => request(c + i * (CONNECTIONS / ports.length), n),
      }),
    ),
  );
  let total = 0;
  for (const r of results) {
    if (r.errors || (r.statuses['200'] ?? 0) !== r.requests)
      throw new Error(`unexpected answers ${JSON.stringify(r.statuses)} ${r.lastError ?? ''}`);
    total += r.rps;
  }
  return total;
}

export const staff: Benchmark = {
  names: ['staff', 'instances'],
  async run(ctx, sel) {
    const prefix = benchPrefix('staff');
    const refPrefix = benchPrefix('staff-ref');
    const durationMs = ctx.quick ? 300 : 3000;
    // The default frame; quick mode shortens it so that waiting for deltas takes less time.
    const frameMs = ctx.quick ? 200 : 1000;
    const ours = await spawnChild<ShortlineReady>(server('shortline.ts'), { store: 'redis', prefix, frameMs });
    let ref: Child<{ port: number }> | undefined;
    const rows: Row[] = [];
    try {
      const tablets = await issueTokens(ours.ready.port, ours.ready.adminToken, CONNECTIONS);
      if (sel.has('instances')) rows.push(...(await instances(ctx, ours, tablets, durationMs, frameMs)));
      if (!sel.has('staff')) return rows;
      ctx.log('staff report path: shortline on Redis vs the lean reference (token map, one Redis script)');
      ref = await spawnChild(server('ref-staff.ts'), { prefix: refPrefix, tablets });
      if (!ctx.quick) {
        await reportsPerSecond([ours.ready.port], tablets, durationMs / 2);
        await reportsPerSecond([ref.ready.port], tablets, durationMs / 2);
      }
      // Per server CPU-second (see snapshot.ts): Redis does the same work for both, off the clock.
      const o: number[] = [];
      const f: number[] = [];
      const wall = { ours: [] as number[], ref: [] as number[] };
      const run = async (srv: Child<{ port: number }>, into: number[], wallInto: number[]) => {
        const r = await withCpu(srv, () => reportsPerSecond([srv.ready.port], tablets, durationMs));
        wallInto.push(r.value);
        into.push((r.value * durationMs) / 1000 / (r.cpuUs / 1e6));
      };
      for (let i = 0; i < ctx.runs; i++) {
        await run(ours, o, wall.ours);
        await run(ref, f, wall.ref);
      }
      const med = (xs: number[]) => Math.round(median(xs)).toLocaleString('en-US');
      rows.push(
        makeRow({
          name: 'staff reports, POST to stored and published, per server CPU-s',
          unit: '/s',
          ours: o,
          reference: f,
          paired: true,
          goal: { of: 'ratio', op: '>=', value: 0.8 },
          note: `wall-clock ${med(wall.ours)} vs ${med(wall.ref)} reports/s; ${CONNECTIONS} tablets on keep-alive connections, Redis store`,
        }),
      );
      const waits = await reportToDelta(ours.ready.port, ours.ready.port, tablets[0]!, ctx.quick ? 3 : 20, frameMs);
      rows.push(
        makeRow({
          name: `report accepted -> client delta, FRAME_MS ${frameMs}`,
          unit: 'ms',
          ours: waits,
          note: `median of ${waits.length}; p99 ${percentile(waits, 99).toFixed(0)} ms, min ${Math.min(...waits).toFixed(0)} ms: mostly the wait for the next frame (0-${frameMs} ms)`,
        }),
      );
    } finally {
      await ref?.close();
      await ours.close();
      await dropPrefix(prefix);
      await dropPrefix(refPrefix);
    }
    return rows;
  },
};

/** Accepted report (its 200 received) to the delta at a Socket.IO client, in ms, `count` times. */
export async function reportToDelta(
  port: number,
  clientPort: number,
  tablet: Tablet,
  count: number,
  frameMs: number,
): Promise<number[]> {
  const pool = new ClientPool({ url: `http://127.0.0.1:${clientPort}`, mode: 'socketio' });
  const waits: number[] = [];
  try {
    await pool.connect(1);
    for (let n = 0; n < count; n++) {
      const before = pool.deltas[0]!;
      const res = await fetch(`http://127.0.0.1:${port}/api/sites/${tablet.siteId}/reports`, {
        method: 'POST',
        headers: { authorization: `Bearer ${tablet.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ reportId: `bench-delta-${process.pid}-${Date.now()}-${n}`, queue: n }),
      });
      await res.body?.cancel();
      const accepted = monoMs();
      if (res.status !== 200) throw new Error(`staff report: ${res.status}`);
      if (!(await waitUntil(() => pool.deltas[0]! > before, 5_000, 1)))
        throw new Error('no delta within 5 s of a report');
      waits.push(pool.lastDeltaAt[0]! - accepted);
      // A random phase against the frame timer, so frame waits spread over 0-FRAME_MS.
      await new Promise((r) => setTimeout(r, Math.random() * frameMs));
    }
  } finally {
    await pool.close();
  }
  return waits;
}
