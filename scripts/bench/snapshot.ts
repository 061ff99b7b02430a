// GET /api/live, 200 and 304, at 986 and 50,000 sites, against bare node:http answering with the
// very bytes and headers shortline answered with (a browser's Accept-Encoding, so the
// precompressed body). Runs alternate between the two servers so drift hits both alike.
//
// The figure is requests per second of server CPU (process.cpuUsage of the server), i.e. the
// req/s one saturated core sustains. Wall-clock req/s is in the note: on a shared 2-core machine
// the load generator's core is never quite free, so the servers sit partly idle and wall req/s
// measures the load generator as much as the server.
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnChild, type Child } from './lib/child.js';
import { server, type Benchmark } from './lib/context.js';
import { getRequest, httpLoad } from './lib/http-load.js';
import { makeRow, type Row } from './lib/report.js';
import { median } from './lib/stats.js';
import { withCpu } from './servers/common.js';
import type { ShortlineReady } from './servers/shortline.js';

const ACCEPT = { 'Accept-Encoding': 'gzip, deflate, br, zstd', Accept: 'application/json' };
const CONNECTIONS = 32;

export const snapshot: Benchmark = {
  names: ['snapshot'],
  async run(ctx) {
    const rows: Row[] = [];
    const durationMs = ctx.quick ? 300 : 3000;
    for (const sites of ctx.quick ? [986] : [986, 50_000]) {
      ctx.log(`snapshot endpoint: ${sites} sites`);
      const ours = await spawnChild<ShortlineReady>(server('shortline.ts'), {
        store: 'embedded',
        sites,
        manualFrames: true,
      });
      let ref: Child<{ port: number }> | undefined;
      try {
        // Every site with a staff count, as in the daytime: a registry of unknowns compresses to nothing.
        await ours.request('frame', { k: sites });
        const res = await fetch(`http://127.0.0.1:${ours.ready.port}/api/live`, { headers: ACCEPT });
        // fetch decodes bodies; the raw bytes come from a second request through the load generator's framing instead.
        const headers = Object.fromEntries(
          [...res.headers].filter(([k]) => !['date', 'connection', 'keep-alive', 'content-length'].includes(k)),
        );
        await res.body?.cancel();
        const body = await rawBody(ours.ready.port);
        const bodyFile = join(tmpdir(), `shortline-bench-live-${process.pid}-${sites}.bin`);
        writeFileSync(bodyFile, body);
        ref = await spawnChild(server('ref-http.ts'), { bodyFile, headers });
        ctx.log(
          `  body ${(body.length / 1024).toFixed(0)} KB (${headers['content-encoding'] ?? 'identity'}), ETag ${headers.etag}`,
        );
        for (const status of [200, 304] as const) {
          const req = getRequest('/api/live', status === 304 ? { ...ACCEPT, 'If-None-Match': headers.etag! } : ACCEPT);
          const wall = { ours: [] as number[], ref: [] as number[] };
          const load = async (srv: Child<{ port: number }>, into?: number[]) => {
            const r = await withCpu(srv, () =>
              httpLoad({ port: srv.ready.port, connections: CONNECTIONS, durationMs, request: () => req }),
            );
            if (r.value.errors || (r.value.statuses[String(status)] ?? 0) !== r.value.requests) {
              throw new Error(`unexpected answers ${JSON.stringify(r.value.statuses)} ${r.value.lastError ?? ''}`);
            }
            into?.push(r.value.rps);
            return r.value.requests / (r.cpuUs / 1e6);
          };
          if (!ctx.quick) {
            await load(ours);
            await load(ref);
          }
          const o: number[] = [];
          const f: number[] = [];
          for (let i = 0; i < ctx.runs; i++) {
            o.push(await load(ours, wall.ours));
            f.push(await load(ref, wall.ref));
          }
          const med = (xs: number[]) => Math.round(median(xs)).toLocaleString('en-US');
          rows.push(
            makeRow({
              name: `/api/live ${status}, ${sites.toLocaleString('en-US')} sites, per server CPU-s`,
              unit: 'req/s',
              ours: o,
              reference: f,
              paired: true,
              goal: { of: 'ratio', op: '>=', value: 0.8 },
              note: `wall-clock ${med(wall.ours)} vs ${med(wall.ref)} req/s; ${(body.length / 1024).toFixed(0)} KB ${headers['content-encoding'] ?? 'identity'} body, ${CONNECTIONS} keep-alive connections`,
            }),
          );
        }
      } finally {
        await ref?.close();
        await ours.close();
      }
    }
    return rows;
  },
};

/** The body bytes exactly as sent (still compressed). */
async function rawBody(port: number): Promise<Buffer> {
  const { connect } = await import('node:net');
  return new Promise((resolve, reject) => {
    const s = connect({ port, host: '127.0.0.1' });
    const chunks: Buffer[] = [];
    s.on('connect', () => s.write(getRequest('/api/live', { ...ACCEPT, Connection: 'close' })));
    s.on('data', (c: Buffer) => chunks.push(c));
    s.on('error', reject);
    s.on('end', () => {
      const all = Buffer.concat(chunks);
      const at = all.indexOf('\r\n\r\n');
      resolve(all.subarray(at + 4));
    });
  });
}
