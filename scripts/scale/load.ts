// Throughput and p99 latency with 1, 2 and 3 shortline instances on one Redis, on this machine.
// Loopback only, bounded in clients and time. For each instance count it starts that many real
// processes (`node --import tsx server/index.ts`), spreads viewers over them, drives staff reports
// through all of them at full speed for a fixed time, and measures:
//   reports/s     acknowledged reports per second (closed loop, WRITERS in flight)
//   write p99     POST to 200
//   deliver p99   POST sent to the delta arriving at a viewer (any instance); includes the wait
//                 for the next frame (FRAME_MS = 100 here, so ~50 ms on average)
//   deliveries/s  site updates received by all viewers per second
//
//   npx tsx scripts/scale/load.ts [instances=1,2,3] [seconds=8] [viewers=300] [writers=16]
//   npx tsx scripts/scale/load.ts 1,2,3,1,2,3,1,2,3 6      (interleaved, medians)
//   NGINX=1 npx tsx scripts/scale/load.ts 2,2,2 6 1000      (through the shipped nginx config)
//   FEED=plain NGINX=1 npx tsx scripts/scale/load.ts 1,2,1,2 6 2000   (viewers as resident pages)
//
// Viewers take the documented JSON feed over Socket.IO, or with FEED=plain the resident page's
// compact feed on the plain websocket `/feed` (what the crowd of phones uses).
// With NGINX=1 every viewer and writer goes through deploy/nginx/shortline.conf run in front of
// the instances (the deployment the capacity plan assumes); the table adds each instance's RSS.
//
// Needs the Redis at TEST_REDIS_URL (default 127.0.0.1:6379); uses a throwaway prefix.
import { readFileSync } from 'node:fs';
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '../../shared/events.js';
import { deletePrefix, TEST_REDIS_URL } from '../../testing/server/redis.js';
import { startShortline, type ShortlineProc } from '../../testing/server/shortline-procs.js';
import { startNginx, type Nginx } from '../../testing/server/nginx.js';
import { plainClient } from '../../testing/server/plain-client.js';

const [countsArg = '1,2,3', secondsArg = '8', viewersArg = '300', writersArg = '16'] = process.argv.slice(2);
const COUNTS = countsArg.split(',').map(Number);
const SECONDS = Math.min(Number(secondsArg), 60);
const VIEWERS = Math.min(Number(viewersArg), 2_000);
const WRITERS = Math.min(Number(writersArg), 64);
const SITES = 64;
const ADMIN = 'scale-load-admin-token-0123456789';
const FRAME_MS = 100;
const VIA_NGINX = process.env.NGINX === '1';
const PLAIN = process.env.FEED === 'plain';

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;

/** CPU seconds (user + system) a process has used: fields 14 and 15 of /proc/<pid>/stat, in ticks. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8')
    .replace(/^.*\) /, '')
    .split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Resident memory of a process in MB (VmRSS of /proc/<pid>/status). */
function rssOf(pid: number): number {
  return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN) / 1024;
}

const p = (xs: number[], q: number) =>
  xs.length ? [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]! : NaN;

async function run(n: number) {
  const prefix = `scale-load-${n}-${Date.now()}:`;
  const env = {
    REDIS_URL: TEST_REDIS_URL,
    REDIS_PREFIX: prefix,
    ADMIN_TOKEN: ADMIN,
    FRAME_MS: String(FRAME_MS),
    WRITE_RATE_PER_MIN: '1000000',
  };
  const instances: ShortlineProc[] = await Promise.all(Array.from({ length: n }, () => startShortline(env)));
  const viewers: Array<{ close(): void }> = [];
  let nginx: Nginx | null = null;
  try {
    // Two descriptors per proxied viewer, and the writers' connections on top.
    if (VIA_NGINX)
      nginx = await startNginx(
        instances.map((i) => new URL(i.url).host),
        undefined,
        2 * VIEWERS + 4 * WRITERS + 256,
      );
    /** Where client number k connects: nginx when it is in front, else the instances in turn. */
    const target = (k: number) => nginx?.url ?? instances[k % n]!.url;
    const siteIds = Array.from({ length: SITES }, (_, i) => `jm-pengjiang-${String(i + 1).padStart(4, '0')}`);
    const tokens = await Promise.all(
      siteIds.map(async (siteId) => {
        const res = await fetch(`${instances[0]!.url}/api/admin/staff-tokens`, {
          method: 'POST',
          headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
          body: JSON.stringify({ siteId }),
        });
        return ((await res.json()) as { token: string }).token;
      }),
    );

    // Each report gets a queue value unique per site, so a delta names the report it carries.
    const sentAt = new Map<string, number>();
    const deliver: number[] = [];
    let deliveries = 0;
    let messages = 0;
    let ready = 0;
    const ids = PLAIN
      ? ((await (await fetch(`${instances[0]!.url}/api/sites`)).json()) as { sites: Array<{ id: string }> }).sites.map(
          (x) => x.id,
        )
      : [];
    for (let i = 0; i < VIEWERS && PLAIN; i++) {
      const probe = i % 10 === 0;
      const c = plainClient(target(i), ids, {
        onDelta: (changed) => {
          const now = performance.now();
          deliveries += changed.length;
          messages++;
          if (!probe) return;
          for (const s of changed) {
            const t = sentAt.get(`${s.siteId}:${s.queue}`);
            if (t !== undefined) deliver.push(now - t);
          }
        },
      });
      c.ws.once('message', () => void ready++);
      viewers.push({ close: () => c.ws.terminate() });
    }
    for (let i = 0; i < VIEWERS && !PLAIN; i++) {
      const socket: Client = io(target(i), { transports: ['websocket'], forceNew: true, reconnection: false });
      socket.once('live:snapshot', () => void ready++);
      // A sample of viewers measures latency; every viewer receives and parses everything.
      const probe = i % 10 === 0;
      socket.on('live:delta', (d) => {
        const now = performance.now();
        deliveries += d.sites.length;
        messages++;
        if (!probe) return;
        for (const s of d.sites) {
          const t = sentAt.get(`${s.siteId}:${s.queue}`);
          if (t !== undefined) deliver.push(now - t);
        }
      });
      viewers.push(socket);
    }
    const deadlineReady = Date.now() + 30_000;
    while (ready < VIEWERS && Date.now() < deadlineReady) await new Promise((r) => setTimeout(r, 50));

    const writeMs: number[] = [];
    let acked = 0;
    let failed = 0;
    let seq = 0;
    const queueOf = new Map<string, number>();
    const t0 = performance.now();
    const stopAt = t0 + SECONDS * 1000;
    deliveries = 0;
    messages = 0;
    const cpuBefore = instances.reduce((sum, i) => sum + cpuSeconds(i.pid), 0);
    await Promise.all(
      Array.from({ length: WRITERS }, async (_, w) => {
        while (performance.now() < stopAt) {
          const k = seq++;
          const site = k % SITES;
          const siteId = siteIds[site]!;
          const queue = ((queueOf.get(siteId) ?? 0) + 1) % 10_000;
          queueOf.set(siteId, queue);
          const started = performance.now();
          sentAt.set(`${siteId}:${queue}`, started);
          // A keep-alive connection the proxy closed between two requests (nginx's
          // keepalive_requests) fails the request; it is counted and the writer goes on.
          const res = await fetch(`${target(k + w)}/api/sites/${siteId}/reports`, {
            method: 'POST',
            headers: { authorization: `Bearer ${tokens[site]}`, 'content-type': 'application/json' },
            body: JSON.stringify({
              reportId: `load-${n}-${k}-${Date.now()}`,
              queue,
              observedAt: new Date().toISOString(),
            }),
          }).catch(() => null);
          if (!res) {
            failed++;
            continue;
          }
          await res.arrayBuffer();
          const done = performance.now();
          if (res.status === 200) {
            acked++;
            writeMs.push(done - started);
          } else failed++;
        }
      }),
    );
    const elapsed = (performance.now() - t0) / 1000;
    const cpu = instances.reduce((sum, i) => sum + cpuSeconds(i.pid), 0) - cpuBefore;
    const rssMb = instances.map((i) => rssOf(i.pid));
    await new Promise((r) => setTimeout(r, FRAME_MS * 5)); // the last frames
    return {
      instances: n,
      viewers: ready,
      writers: WRITERS,
      seconds: Number(elapsed.toFixed(1)),
      reportsPerS: Math.round(acked / elapsed),
      failed,
      writeP50: Number(p(writeMs, 0.5).toFixed(1)),
      writeP99: Number(p(writeMs, 0.99).toFixed(1)),
      deliverP50: Number(p(deliver, 0.5).toFixed(1)),
      deliverP99: Number(p(deliver, 0.99).toFixed(1)),
      deliveriesPerS: Math.round(deliveries / elapsed),
      messagesPerS: Math.round(messages / elapsed),
      /** Cores the instances kept busy, and their CPU per report and per delta message sent. */
      instanceCores: Number((cpu / elapsed).toFixed(2)),
      cpuMsPerReport: Number(((cpu * 1000) / Math.max(1, acked)).toFixed(2)),
      cpuUsPerMessage: Number(((cpu * 1e6) / Math.max(1, messages)).toFixed(1)),
      /** The largest instance's resident memory at the end of the run, MB. */
      rssMb: Math.round(Math.max(...rssMb)),
    };
  } finally {
    for (const v of viewers) v.close();
    await nginx?.stop();
    await Promise.all(instances.map((i) => i.stop()));
    await deletePrefix(TEST_REDIS_URL, prefix);
  }
}

// Repeat counts (e.g. 1,2,3,1,2,3,1,2,3) to interleave runs on a noisy machine: the table shows
// the median of each figure per instance count.
const rows: Array<Awaited<ReturnType<typeof run>>> = [];
for (const n of COUNTS) {
  const row = await run(n);
  rows.push(row);
  console.error(JSON.stringify(row));
}
const med = (xs: number[]) => p(xs, 0.5);
console.log(
  `\n${new Date().toISOString()}, ${(await import('node:os')).cpus().length} cores, load average ${(
    await import('node:os')
  )
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(
      ' ',
    )}, frame ${FRAME_MS} ms, ${VIEWERS} viewers, ${WRITERS} writers in flight, ${SECONDS} s a run${VIA_NGINX ? ', through nginx' : ''}`,
);
console.log(
  '| instances | runs | reports/s | write p50 / p99 ms | delivery p50 / p99 ms | deltas delivered/s | instance cores busy | CPU ms per report | CPU µs per delta sent | largest RSS MB |',
);
console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
for (const n of [...new Set(COUNTS)]) {
  const rs = rows.filter((r) => r.instances === n);
  const m = (f: (r: (typeof rs)[number]) => number) => med(rs.map(f));
  console.log(
    `| ${n} | ${rs.length} | ${m((r) => r.reportsPerS)} | ${m((r) => r.writeP50)} / ${m((r) => r.writeP99)} | ${m((r) => r.deliverP50)} / ${m((r) => r.deliverP99)} | ${m((r) => r.messagesPerS)} | ${m((r) => r.instanceCores)} | ${m((r) => r.cpuMsPerReport)} | ${m((r) => r.cpuUsPerMessage)} | ${m((r) => r.rssMb)} |`,
  );
}
process.exit(0);
