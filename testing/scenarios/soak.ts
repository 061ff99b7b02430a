// Scenario: sockets churning (each lives a random while, then a new one takes its place) and a
// steady rate of staff reports, against a shortline child on Redis with a heap probe loaded. Heap
// after GC must stay flat between the end of the warm-up and the end; once every client has gone,
// no Socket.IO socket may be left in the child's heap.
import { setTimeout as sleep } from 'node:timers/promises';
import { io as connect } from 'socket.io-client';
import { testSites } from '../server/app.js';
import { issueChildToken, startChildApp, writeSitesFile } from '../server/child-app.js';
import type { HeapSample } from '../server/heap-probe.js';
import { httpClient, postJson } from '../server/http.js';
import { pace } from '../server/load.js';
import { startPrivateRedis } from '../server/private-redis.js';
import type { Client } from '../server/socket.js';

export interface SoakOptions {
  sockets: number;
  updatesPerS: number;
  durationMs: number;
  /** Heap growth is measured from the end of this (the issue says: minute 2). */
  warmupMs: number;
  /** Each client lives a random time in this range. */
  lifetimeMs: [number, number];
  probeMs: number;
  onProgress?: (line: string) => void;
}

export interface SoakResult {
  connects: number;
  connectErrors: number;
  updates: number;
  updateErrors: number;
  heapAtWarmupMb: number;
  heapAtEndMb: number;
  heapGrowthMb: number;
  /** Least-squares slope of heap after GC over the measured part, MB per minute. */
  heapSlopeMbPerMin: number;
  /** Socket.IO sockets still in the child's heap once every client has disconnected. */
  leakedIoSockets: number;
  samples: number;
}

const MB = 1024 * 1024;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

export async function soakScenario(o: SoakOptions): Promise<SoakResult> {
  // A Redis of its own: other suites' and benchmarks' load on the shared one must not blur the figures.
  const redis = await startPrivateRedis();
  // Every simulated client parses every frame in this one process: a small registry and updates
  // spread over 10 sites keep that cost below the server's (in production each is its own browser).
  const sites = testSites(50);
  const samples: HeapSample[] = [];
  const child = await startChildApp({
    nodeArgs: ['--expose-gc'],
    imports: ['./testing/server/heap-probe.ts'],
    env: {
      REDIS_URL: redis.url,
      SITES_FILE: writeSitesFile(sites),
      WRITE_RATE_PER_MIN: '1000000',
      FRAME_MS: '1000',
      HEAP_PROBE_MS: String(o.probeMs),
    },
    onLine: (line) => {
      if (line.startsWith('{"probe":"heap"')) samples.push(JSON.parse(line) as HeapSample);
    },
  });
  const clients = new Set<{ socket: Client; until: number }>();
  let connects = 0;
  let connectErrors = 0;
  try {
    const tokens = new Map<string, string>();
    for (const s of sites.slice(0, 10)) tokens.set(s.id, await issueChildToken(child.url, s.id));
    const http = httpClient(child.url, 32);
    let n = 0;
    let updateErrors = 0;
    const updates = pace(o.updatesPerS, async () => {
      const site = sites[n % 10]!.id;
      const res = await postJson(
        http,
        `/api/sites/${site}/reports`,
        { reportId: `soak-${String(++n).padStart(8, '0')}`, queue: n % 400 },
        tokens.get(site),
      );
      if (res.status !== 200) updateErrors++;
    });

    const t0 = Date.now();
    const [lo, hi] = o.lifetimeMs;
    // At most this many new connections per tick, so the start is a ramp, not a stampede.
    const perTick = Math.max(5, Math.ceil(o.sockets / 20));
    let lastReport = 0;
    while (Date.now() - t0 < o.durationMs) {
      const now = Date.now();
      for (const c of clients) {
        if (c.until <= now) {
          c.socket.close();
          clients.delete(c);
        }
      }
      for (let i = 0; i < perTick && clients.size < o.sockets; i++) {
        const socket: Client = connect(child.url, { transports: ['websocket'], forceNew: true, reconnection: false });
        socket.on('connect', () => connects++);
        socket.on('connect_error', () => connectErrors++);
        clients.add({ socket, until: now + lo + Math.random() * (hi - lo) });
      }
      if (
        o.onProgress &&
        now - lastReport >= (process.env.SOAK_PROGRESS_MS ? Number(process.env.SOAK_PROGRESS_MS) : 30_000)
      ) {
        lastReport = now;
        const last = samples.at(-1);
        o.onProgress(
          `${Math.round((now - t0) / 1000)} s: ${clients.size} sockets, ${connects} connects, ${updates.started} updates, heap after GC ${last ? (last.heapUsed / MB).toFixed(1) : '?'} MB`,
        );
      }
      await sleep(50);
    }
    await updates.stop();
    http.close();
    const endAt = Date.now();
    for (const c of clients) c.socket.close();
    clients.clear();
    // Long enough for the child to see every close; then it counts the sockets left in its heap.
    await sleep(3000);
    process.kill(child.pid, 'SIGUSR2');
    const counted = () => samples.some((s) => s.ioSockets !== undefined);
    for (let i = 0; i < 200 && !counted(); i++) await sleep(100);

    const measured = samples.filter((s) => s.atMs >= t0 + o.warmupMs && s.atMs <= endAt);
    const window = Math.max(1, Math.floor(measured.length / 5));
    const heapAtWarmup = median(measured.slice(0, window).map((s) => s.heapUsed));
    const heapAtEnd = median(measured.slice(-window).map((s) => s.heapUsed));
    return {
      connects,
      connectErrors,
      updates: updates.started,
      updateErrors,
      heapAtWarmupMb: heapAtWarmup / MB,
      heapAtEndMb: heapAtEnd / MB,
      heapGrowthMb: (heapAtEnd - heapAtWarmup) / MB,
      heapSlopeMbPerMin: slope(measured.map((s) => [(s.atMs - t0) / 60_000, s.heapUsed / MB])),
      leakedIoSockets: samples.find((s) => s.ioSockets !== undefined)?.ioSockets ?? NaN,
      samples: measured.length,
    };
  } finally {
    for (const c of clients) c.socket.close();
    await child.stop();
    await redis.stop();
  }
}

function slope(points: Array<[number, number]>): number {
  const n = points.length;
  if (n < 2) return NaN;
  const mx = points.reduce((a, [x]) => a + x, 0) / n;
  const my = points.reduce((a, [, y]) => a + y, 0) / n;
  const num = points.reduce((a, [x, y]) => a + (x - mx) * (y - my), 0);
  const den = points.reduce((a, [x]) => a + (x - mx) ** 2, 0);
  return den === 0 ? 0 : num / den;
}
