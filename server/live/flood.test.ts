// Issue 15.1: clients that flood `live:resync` and never read must not take the server down. The
// server runs as a child process with a 300 MB heap limit (going over it would crash it, which the
// test would see) and a heap probe; the bundled registry (986 sites) makes each snapshot ~180 KB.
import { randomBytes } from 'node:crypto';
import { connect as tcpConnect, type Socket as TcpSocket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startChildApp, issueChildToken, type ChildApp } from '../../testing/server/child-app.js';
import { recorder, type Client } from '../../testing/server/socket.js';
import type { HeapSample } from '../../testing/server/heap-probe.js';
import { pace } from '../../testing/server/load.js';
import { waitFor } from '../../testing/wait.js';

const HEAP_LIMIT_MB = 300;
let child: ChildApp;
const heap: HeapSample[] = [];

beforeAll(async () => {
  child = await startChildApp({
    env: { STORE_FILE: 'off', FRAME_MS: '100', WRITE_RATE_PER_MIN: '1000000', HEAP_PROBE_MS: '250' },
    nodeArgs: ['--expose-gc', `--max-old-space-size=${HEAP_LIMIT_MB}`],
    imports: ['./testing/server/heap-probe.ts'],
    onLine: (line) => {
      if (line.startsWith('{"probe":"heap"')) heap.push(JSON.parse(line) as HeapSample);
    },
  });
}, 90_000);
afterAll(() => child?.stop());
const childExited = false;
const alive = () => !childExited;

/** An unmasked-key (all-zero mask) client text frame: payload bytes stay as they are. */
function clientFrame(text: string): Buffer {
  const payload = Buffer.from(text);
  if (payload.length > 125) throw new Error('short frames only');
  return Buffer.concat([Buffer.from([0x81, 0x80 | payload.length, 0, 0, 0, 0]), payload]);
}

/**
 * A websocket client that connects to the main namespace and sends `packets` resync requests
 * (each with its own acknowledgement id) without ever reading its socket. Resolves once all are
 * written or the connection broke; the server's metrics tell whether it cut the connection (a
 * client that does not read may never see the close).
 */
function flood(port: number, packets: number): Promise<{ sent: number; sock: TcpSocket }> {
  return new Promise((resolve) => {
    const sock: TcpSocket = tcpConnect(port, '127.0.0.1');
    let sent = 0;
    let done = false;
    const finish = () => {
      if (!done) resolve({ sent, sock });
      done = true;
    };
    sock.on('error', finish);
    sock.on('close', finish);
    sock.write(
      `GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
    );
    sock.write(clientFrame('40'));
    // Reads only until the namespace is connected (Socket.IO closes a client that sends events
    // before that), then never again.
    let head = '';
    const onData = (d: Buffer) => {
      head += d.toString('latin1');
      if (!head.includes('40{"sid"')) return;
      sock.off('data', onData);
      sock.pause();
      pump();
    };
    sock.on('data', onData);
    const pump = () => {
      while (!done && sent < packets) {
        const batch: Buffer[] = [];
        for (let i = 0; i < 500 && sent < packets; i++, sent++) batch.push(clientFrame(`42${sent}["live:resync"]`));
        if (!sock.write(Buffer.concat(batch))) return void sock.once('drain', pump);
      }
      finish();
    };
  });
}

/** /healthz polled up to 20 times a second from this process, one request at a time; latencies in ms and failures. */
function pollHealth(url: string) {
  const lat: number[] = [];
  let failures = 0;
  const load = pace(
    20,
    async () => {
      const t0 = performance.now();
      const ok = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(5000) }).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) lat.push(performance.now() - t0);
      else failures++;
    },
    1,
  );
  return { lat, failures: () => failures, stop: () => load.stop() };
}

/** Reports to one site up to 20 times a second, one at a time, so frames flow; the sent times by queue value. */
function reportLoop(url: string, token: string, siteId: string) {
  const sentAt = new Map<number, number>();
  let q = 0;
  const load = pace(
    20,
    async () => {
      q = (q + 1) % 1000;
      sentAt.set(q, performance.now());
      await fetch(`${url}/api/sites/${siteId}/reports`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ queue: q, reportId: randomBytes(8).toString('hex') }),
      });
    },
    1,
  );
  return { sentAt, stop: () => load.stop() };
}

const p99 = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(s.length * 0.99))]! : NaN;
};

async function metric(name: string): Promise<number> {
  const text = await (await fetch(`${child.url}/metrics`)).text();
  return Number(new RegExp(`^${name} (\\d+)`, 'm').exec(text)?.[1] ?? NaN);
}

async function cutCount(): Promise<number> {
  const text = await (await fetch(`${child.url}/metrics`)).text();
  return [...text.matchAll(/^shortline_sockets_cut_total\{reason="\w+"\} (\d+)/gm)].reduce(
    (a, m) => a + Number(m[1]),
    0,
  );
}

/** Runs `flooders` flooding clients while a reading client, a reporter and a health poller run. */
async function scenario(flooders: number, packets: number) {
  const siteId = await firstSiteId();
  const token = await issueChildToken(child.url, siteId);
  const reader: { socket: Client; got: ReturnType<typeof recorder>['got'] } = recorder(child.url);
  try {
    await waitFor(() => expect(reader.got.snapshots).toHaveLength(1), { timeout: 10_000 });
    const deltaAt: Array<{ q: number; at: number }> = [];
    reader.socket.on('live:delta', (d) => {
      const s = d.sites.find((x) => x.siteId === siteId);
      if (s && typeof s.queue === 'number') deltaAt.push({ q: s.queue, at: performance.now() });
    });
    const health = pollHealth(child.url);
    const reports = reportLoop(child.url, token, siteId);
    const cutBefore = await cutCount();
    heap.length = 0;
    const deltasBefore = deltaAt.length;
    const results = await Promise.all(Array.from({ length: flooders }, () => flood(child.port, packets)));
    // Every flooding connection cut by the server, only the reader left connected.
    await waitFor(
      async () => {
        expect((await cutCount()) - cutBefore).toBeGreaterThanOrEqual(flooders);
        expect(await metric('shortline_sockets')).toBe(1);
      },
      { timeout: 30_000, interval: 200 },
    );
    for (const r of results) r.sock.destroy();
    // A few more frames after the flood: the reader still gets them.
    await waitFor(() => expect(deltaAt.length).toBeGreaterThan(deltasBefore + 5), { timeout: 10_000 });
    await reports.stop();
    await health.stop();
    const lag = deltaAt.map((d) => d.at - (reports.sentAt.get(d.q) ?? d.at));
    const maxHeapMb = Math.max(0, ...heap.map((h) => h.heapUsed)) / 2 ** 20;
    console.log(
      `[flood ${flooders}x${packets}] sent ${results.map((r) => r.sent).join(',')} packets; cut ${(await cutCount()) - cutBefore}; ` +
        `heap max ${maxHeapMb.toFixed(0)} MB (after GC, ${heap.length} samples); /healthz p99 ${p99(health.lat).toFixed(1)} ms ` +
        `(n=${health.lat.length}, failed ${health.failures()}); report->delta p99 ${p99(lag).toFixed(0)} ms (n=${lag.length})`,
    );
    return { results, maxHeapMb, health, cut: (await cutCount()) - cutBefore, deltas: deltaAt.length - deltasBefore };
  } finally {
    reader.socket.close();
  }
}

let siteIdCache: string | undefined;
async function firstSiteId(): Promise<string> {
  siteIdCache ??= ((await (await fetch(`${child.url}/api/live`)).json()) as { sites: Array<{ siteId: string }> })
    .sites[0]!.siteId;
  return siteIdCache;
}

describe('a client flooding live:resync without reading', () => {
  it('when one client sends 30,000 resync requests and never reads, then it is cut, the heap stays under 300 MB and others are served', async () => {
    const r = await scenario(1, 30_000);
    expect(r.cut).toBeGreaterThanOrEqual(1);
    expect(alive()).toBe(true);
    expect(r.maxHeapMb).toBeLessThan(HEAP_LIMIT_MB);
    expect(r.health.failures()).toBe(0);
    expect(r.health.lat.length).toBeGreaterThan(0);
    expect(r.deltas).toBeGreaterThan(5);
  }, 120_000);

  it('when 10 such clients flood while frames flow, then all are cut and the server, /healthz and other clients carry on', async () => {
    const r = await scenario(10, 30_000);
    expect(r.cut).toBeGreaterThanOrEqual(10);
    expect(alive()).toBe(true);
    expect(r.maxHeapMb).toBeLessThan(HEAP_LIMIT_MB);
    expect(r.health.failures()).toBe(0);
    expect(r.deltas).toBeGreaterThan(5);
    // A generous sanity bound, not a timing goal: the poller times out at 5 s.
    expect(Math.max(...r.health.lat)).toBeLessThan(5000);
  }, 180_000);
});
