// Three shortline processes behind nginx running deploy/nginx/shortline.conf, on one Redis.
// Slow (real processes), so it runs in `npm run test:scale`, which sets SCALE_TESTS=1.
import { request } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClientToServerEvents, ServerToClientEvents } from '../../shared/events.js';
import type { Delta } from '../../shared/schemas.js';
import { TEST_ADMIN_TOKEN } from '../../testing/server/app.js';
import { hasNginx, startNginx, type Nginx } from '../../testing/server/nginx.js';
import { plainClient, type PlainClient } from '../../testing/server/plain-client.js';
import { deletePrefix, redisForTests, TEST_REDIS_URL, uniquePrefix } from '../../testing/server/redis.js';
import { startShortline, type ShortlineProc } from '../../testing/server/shortline-procs.js';
import { waitFor } from '../../testing/wait.js';

const canRun = process.env.SCALE_TESTS === '1' && (hasNginx() || process.env.REQUIRE_NGINX === '1');
const hasRedis = canRun && (await redisForTests());
const INSTANCES = 3;
const WRITES_PER_MIN = 1; // per-IP bucket: 10 writes per instance, so the limit test is short
const poll = { timeout: 15_000, interval: 50 };

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;
interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** node:http, because fetch cannot choose its source address (each 127.x.y.z is a "client"). */
function http(
  url: string,
  o: { method?: string; headers?: Record<string, string>; body?: unknown; from?: string } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: o.method ?? 'GET', headers: o.headers, localAddress: o.from ?? '127.0.0.1' },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
      },
    );
    req.on('error', reject);
    if (o.body !== undefined) req.setHeader('content-type', 'application/json');
    req.end(o.body === undefined ? undefined : JSON.stringify(o.body));
  });
}
const json = (a: Answer) => JSON.parse(a.body.toString()) as Record<string, any>;

describe.skipIf(!hasRedis)('three instances behind nginx', () => {
  const prefix = uniquePrefix('nginx').replace(/[^A-Za-z0-9:_-]/g, '');
  const instances: ShortlineProc[] = [];
  const clients: Client[] = [];
  let nginx: Nginx;
  let seq = 0;

  beforeAll(async () => {
    const env = {
      REDIS_URL: TEST_REDIS_URL,
      REDIS_PREFIX: prefix,
      TRUST_PROXY: 'loopback',
      FRAME_MS: '100',
      ADMIN_TOKEN: TEST_ADMIN_TOKEN,
      WRITE_RATE_PER_MIN: String(WRITES_PER_MIN),
    };
    instances.push(...(await Promise.all(Array.from({ length: INSTANCES }, () => startShortline(env)))));
    nginx = await startNginx(instances.map((i) => `127.0.0.1:${i.port}`));
  }, 90_000);

  afterAll(async () => {
    for (const c of clients) c.close();
    await nginx?.stop();
    await Promise.all(instances.map((i) => i.stop()));
    await deletePrefix(TEST_REDIS_URL, prefix);
  });

  const connect = (opts: { polling?: boolean; from?: string } = {}) => {
    const socket: Client = io(nginx.url, {
      transports: opts.polling ? ['polling'] : ['websocket', 'polling'],
      forceNew: true,
      reconnectionDelay: 200,
      reconnectionDelayMax: 1_000,
      localAddress: opts.from,
    } as Parameters<typeof io>[1]);
    const got = { snapshots: 0, deltas: [] as Delta[] };
    socket.on('live:snapshot', () => got.snapshots++);
    socket.on('live:delta', (d) => got.deltas.push(d));
    clients.push(socket);
    return {
      socket,
      got,
      saw: (siteId: string, queue: number) =>
        got.deltas.some((d) => d.sites.some((s) => s.siteId === siteId && s.queue === queue)),
    };
  };
  const token = async (siteId: string) =>
    json(
      await http(`${nginx.url}/api/admin/staff-tokens`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
        body: { siteId },
      }),
    ).token as string;
  const report = (tok: string, siteId: string, queue: number, from?: string) =>
    http(`${nginx.url}/api/sites/${siteId}/reports`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tok}` },
      from,
      body: { reportId: `nginx-${Date.now()}-${++seq}`, queue },
    });
  const socketsPerInstance = async () =>
    Promise.all(
      instances
        .filter((i) => i.running)
        .map(async (i) => {
          const text = await (await fetch(`${i.url}/metrics`)).text();
          return Number(/^shortline_sockets (\d+)/m.exec(text)?.[1] ?? NaN);
        }),
    );

  it('when clients connect through nginx, then they spread over every instance and a report through nginx reaches all', async () => {
    const viewers = Array.from({ length: 9 }, () => connect());
    await waitFor(() => expect(viewers.every((v) => v.got.snapshots === 1)).toBe(true), poll);
    const counts = await socketsPerInstance();
    expect(
      counts.every((n) => n >= 1),
      `sockets per instance: ${counts.join(', ')}`,
    ).toBe(true);

    const r = await report(await token('jm-pengjiang-0001'), 'jm-pengjiang-0001', 17);
    expect(r.status).toBe(200);
    await waitFor(() => expect(viewers.filter((v) => !v.saw('jm-pengjiang-0001', 17))).toHaveLength(0), poll);
  });

  it("when resident pages take the plain feed through nginx, then they spread over the instances and a report reaches each page's state", async () => {
    const ids = (json(await http(`${nginx.url}/api/sites`)).sites as Array<{ id: string }>).map((x) => x.id);
    const pages: PlainClient[] = Array.from({ length: 9 }, () => plainClient(nginx.url, ids));
    try {
      await waitFor(() => expect(pages.map((p) => p.got.snapshots)).toEqual(pages.map(() => 1)), poll);
      const counts = await socketsPerInstance();
      expect(
        counts.every((n) => n >= 1),
        `sockets per instance: ${counts.join(', ')}`,
      ).toBe(true);
      const r = await report(await token('jm-pengjiang-0002'), 'jm-pengjiang-0002', 23, '127.0.0.5');
      expect(r.status).toBe(200);
      await waitFor(
        () => expect(pages.map((p) => p.got.sites.get('jm-pengjiang-0002')?.queue)).toEqual(pages.map(() => 23)),
        poll,
      );
      expect(pages.flatMap((p) => p.got.errors)).toEqual([]);
    } finally {
      for (const p of pages) p.ws.terminate();
    }
  });

  it('when a client can only poll, then its session sticks to one instance and receives deltas', async () => {
    const poller = connect({ polling: true, from: '127.0.0.9' });
    await waitFor(() => expect(poller.got.snapshots).toBe(1), poll);
    expect(poller.socket.io.engine.transport.name).toBe('polling');
    expect((await report(await token('jm-pengjiang-0002'), 'jm-pengjiang-0002', 23)).status).toBe(200);
    await waitFor(() => expect(poller.saw('jm-pengjiang-0002', 23)).toBe(true), poll);
  });

  it("when /api/live is read through nginx, then it is cached briefly, 304s pass, and the app's encoding and Vary arrive intact", async () => {
    const live = `${nginx.url}/api/live`;
    const br = await http(live, { headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect(br.status).toBe(200);
    expect(br.headers['content-encoding']).toBe('br');
    expect(String(br.headers.vary)).toMatch(/Accept-Encoding/i);
    const etag = String(br.headers.etag);
    const snapshot = JSON.parse(brotliDecompressSync(br.body).toString()) as { sites: unknown[] };
    // A second read within the second is nginx's, not an instance's.
    expect(snapshot.sites.length).toBeGreaterThan(100);

    const again = await http(live, { headers: { 'accept-encoding': 'br' } });
    expect(again.headers['x-cache-status']).toMatch(/HIT|UPDATING|REVALIDATED/);
    // Each variant may come from another instance, whose snapshot has its own `at`.
    const gz = await http(live, { headers: { 'accept-encoding': 'gzip' } });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(JSON.parse(gunzipSync(gz.body).toString()).sites).toEqual(snapshot.sites);
    const plain = await http(live);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(JSON.parse(plain.body.toString()).sites).toEqual(snapshot.sites);

    const notModified = await http(live, { headers: { 'accept-encoding': 'br', 'if-none-match': etag } });
    expect(notModified.status).toBe(304);
    // The cache holds an entry for 1 s only: a change shows through it within about a second.
    expect((await report(await token('jm-pengjiang-0008'), 'jm-pengjiang-0008', 55)).status).toBe(200);
    const seenAt = performance.now();
    await waitFor(async () => {
      const body = JSON.parse((await http(live)).body.toString()) as {
        sites: Array<{ siteId: string; queue: number | null }>;
      };
      expect(body.sites.find((x) => x.siteId === 'jm-pengjiang-0008')?.queue).toBe(55);
    }, poll);
    expect(performance.now() - seenAt).toBeLessThan(3_000);
    const sites = await http(`${nginx.url}/api/sites`, { headers: { 'accept-encoding': 'gzip' } });
    expect([sites.status, sites.headers['content-encoding']]).toEqual([200, 'gzip']);
    expect(
      (await http(`${nginx.url}/api/sites`, { headers: { 'if-none-match': String(sites.headers.etag) } })).status,
    ).toBe(304);
  });

  it('when many writes come from one client address, then only that address is limited, not everyone behind nginx', async () => {
    const tokens = await Promise.all(
      ['jm-pengjiang-0003', 'jm-pengjiang-0004', 'jm-pengjiang-0005', 'jm-pengjiang-0006'].map(
        async (s) => [s, await token(s)] as const,
      ),
    );
    // Every instance keeps its own buckets (10 writes a client address): 40 writes exhaust all three.
    const statuses: number[] = [];
    for (let i = 0; i < 40; i++) {
      const [siteId, tok] = tokens[i % tokens.length]!;
      statuses.push((await report(tok, siteId, i, '127.0.0.2')).status);
    }
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
    expect(statuses.every((s) => s === 200 || s === 429)).toBe(true);
    const [siteId, tok] = tokens[0]!;
    expect((await report(tok, siteId, 99, '127.0.0.3')).status).toBe(200);
  });

  it('when an instance is killed, then its clients reconnect through nginx to the others, resync, and get new reports', async () => {
    const viewers = Array.from({ length: 6 }, () => connect());
    await waitFor(() => expect(viewers.every((v) => v.got.snapshots === 1)).toBe(true), poll);
    const victim = instances[0]!;
    const before = await socketsPerInstance();
    await victim.stop('SIGKILL');
    // Those that were on it got a fresh snapshot from their new instance: that is the resync.
    const total = (counts: number[]) => counts.reduce((a, b) => a + b, 0);
    await waitFor(async () => {
      expect(viewers.every((v) => v.socket.connected)).toBe(true);
      expect(viewers.filter((v) => v.got.snapshots === 2).length).toBeGreaterThan(0);
      expect(total(await socketsPerInstance())).toBe(total(before));
    }, poll);

    const r = await report(await token('jm-pengjiang-0007'), 'jm-pengjiang-0007', 31, '127.0.0.4');
    expect(r.status).toBe(200);
    await waitFor(() => expect(viewers.filter((v) => !v.saw('jm-pengjiang-0007', 31))).toHaveLength(0), poll);
  });
});
