// The report path beneath Express (staff-hot.ts) against the Express route it stands in for. A
// request with `Content-Encoding: identity` is left to Express (body-parser treats it as no
// encoding), so each case is sent both ways and the answers must match. Error answers of the
// beneath path carry the full route label in the metrics, which tells the two paths apart.
import { request } from 'node:http';
import { Writable } from 'node:stream';
import express from 'express';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../app.js';
import { ManualClock } from '../clock.js';
import { defaultConfig } from '../config.js';
import { createMemoryStore } from '../store/memory.js';
import { issueToken, startTestApp, testSites, TEST_ADMIN_TOKEN, type TestApp } from '../testing/app.js';
import { clientIpOf } from './staff-hot.js';

const clock = new ManualClock(Date.parse('2026-11-22T02:00:00Z'));
let t: TestApp;
let token: string;
let other: string;

interface Answer { status: number; headers: Record<string, string | string[] | undefined>; body: any }

/** One raw request; `chunks` are written apart (chunked transfer unless content-length is given). */
function send(url: string, path: string, opts: { method?: string; headers?: Record<string, string>; chunks?: Array<string | Buffer> } = {}): Promise<Answer> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ host: u.hostname, port: u.port, path, method: opts.method ?? 'POST', headers: opts.headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: text ? JSON.parse(text) : null }));
    });
    req.on('error', reject);
    const chunks = [...(opts.chunks ?? [])];
    const next = () => {
      const c = chunks.shift();
      if (c === undefined) return void req.end();
      req.write(c);
      setTimeout(next, 5);
    };
    next();
  });
}

interface Req { headers: Record<string, string>; chunks: Array<string | Buffer> }
const json = (body: unknown, auth: string | null = token, extra: Record<string, string> = {}): Req => ({
  headers: { 'content-type': 'application/json', ...(auth ? { authorization: `Bearer ${auth}` } : {}), ...extra },
  chunks: body === undefined ? [] : [typeof body === 'string' ? body : JSON.stringify(body)],
});
const viaExpress = (o: Req): Req => ({ ...o, headers: { ...o.headers, 'content-encoding': 'identity' } });
const withoutVolatile = (h: Answer['headers']) => {
  const { date: _d, etag: _e, 'content-length': _l, ...rest } = h;
  return rest;
};

async function errorLabels(): Promise<string[]> {
  const text = await (await fetch(`${t.url}/metrics`)).text();
  return text.split('\n').filter((l) => l.startsWith('shortline_http_requests_total') && l.includes('reports"') && !l.includes('status="200"'));
}

beforeAll(async () => {
  t = await startTestApp({ clock });
  token = (await issueToken(t, 'site-1')).token;
  other = (await issueToken(t, 'site-2')).token;
});
afterAll(() => t.close());

describe('POST /api/sites/:id/reports beneath Express', () => {
  it('when any error case arrives, then the answer is the Express route\'s, status, JSON and headers alike', async () => {
    const cases: Array<[string, string, Req]> = [
      ['invalid body', '/api/sites/site-1/reports', json({ reportId: 'short', queue: -1, status: 'maybe', extra: 1 })],
      ['broken JSON', '/api/sites/site-1/reports', json('{"queue": ')],
      ['a number, not an object', '/api/sites/site-1/reports', json('123')],
      ['no body at all', '/api/sites/site-1/reports', { headers: { authorization: `Bearer ${token}` }, chunks: [] }],
      ['an empty body', '/api/sites/site-1/reports', json('', token, { 'content-length': '0' })],
      ['5 KB', '/api/sites/site-1/reports', json({ reportId: 'report-big-1', queue: 1, note: 'x'.repeat(5000) })],
      ['no token', '/api/sites/site-1/reports', json({ reportId: 'report-0101', queue: 1 }, null)],
      ['unknown token', '/api/sites/site-1/reports', json({ reportId: 'report-0102', queue: 1 }, `st_${'A'.repeat(43)}`)],
      ['another site\'s token', '/api/sites/site-1/reports', json({ reportId: 'report-0103', queue: 1 }, other)],
      ['unknown site', '/api/sites/nope/reports?x=1', json({ reportId: 'report-0104', queue: 1 })],
      ['in the future', '/api/sites/site-1/reports', json({ reportId: 'report-0105', queue: 1, observedAt: new Date(clock.now() + 3 * 60_000).toISOString() })],
    ];
    for (const [name, path, o] of cases) {
      const fast = await send(t.url, path, o);
      const slow = await send(t.url, path, viaExpress(o));
      expect(fast.status, name).toBeGreaterThanOrEqual(400);
      expect(fast.body, name).toEqual(slow.body);
      expect(fast.status, name).toBe(slow.status);
      expect(withoutVolatile(fast.headers), name).toEqual(withoutVolatile(slow.headers));
      expect(fast.headers.etag, name).toBe(slow.headers.etag);
    }
    const labels = await errorLabels();
    for (const status of [400, 401, 403, 404, 413]) {
      expect(labels.some((l) => l.includes('route="/api/sites/:id/reports"') && l.includes(`status="${status}"`)), String(status)).toBe(true);
    }
  });

  it('when a report is applied, replayed or reused, then the answers match the Express route\'s', async () => {
    const body = { reportId: 'report-0201', queue: 12 };
    const first = await send(t.url, '/api/sites/site-1/reports', json(body));
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ applied: true, live: { siteId: 'site-1', queue: 12 } });
    const replayFast = await send(t.url, '/api/sites/site-1/reports', json({ queue: 12, reportId: 'report-0201' }));
    const replaySlow = await send(t.url, '/api/sites/site-1/reports', viaExpress(json(body)));
    expect(replayFast.body).toEqual(replaySlow.body);
    expect(withoutVolatile(replayFast.headers)).toEqual(withoutVolatile(replaySlow.headers));
    const reuse = await send(t.url, '/api/sites/site-1/reports', json({ reportId: 'report-0201', queue: 13 }));
    expect(reuse.status).toBe(422);
    expect(reuse.body.error).toBe('idempotency_mismatch');
    // Every header helmet sets on Express's answers, with the same values.
    const page = await send(t.url, '/api/summary', { method: 'GET' });
    for (const h of ['content-security-policy', 'cross-origin-opener-policy', 'cross-origin-resource-policy', 'origin-agent-cluster',
      'referrer-policy', 'x-content-type-options', 'x-dns-prefetch-control', 'x-download-options', 'x-frame-options',
      'x-permitted-cross-domain-policies', 'x-xss-protection']) {
      expect(first.headers[h], h).toBeDefined();
      expect(first.headers[h], h).toBe(page.headers[h]);
    }
  });

  it('when the body arrives chunked in several pieces, then it is read whole; over 4 KB it is 413 and the connection goes on', async () => {
    const text = JSON.stringify({ reportId: 'report-0301', queue: 31, note: 'n'.repeat(150) });
    const parts = [text.slice(0, 10), text.slice(10, 60), text.slice(60)];
    const ok = await send(t.url, '/api/sites/site-1/reports', { headers: { authorization: `Bearer ${token}` }, chunks: parts });
    expect(ok.status).toBe(200);
    expect(ok.body.live.queue).toBe(31);
    const big = Array.from({ length: 6 }, () => 'x'.repeat(1000));
    const tooBig = await send(t.url, '/api/sites/site-1/reports', { headers: { authorization: `Bearer ${token}` }, chunks: big });
    expect(tooBig.status).toBe(413);
    expect(tooBig.body).toEqual({ error: 'payload_too_large', message: 'Request body too large.' });
    // Keep-alive: the same client goes on with its next report.
    const client = new (await import('node:http')).Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const post = (body: string) => new Promise<number>((resolve, reject) => {
        const u = new URL(t.url);
        const r = request({ host: u.hostname, port: u.port, path: '/api/sites/site-1/reports', method: 'POST', agent: client,
          headers: { authorization: `Bearer ${token}`, 'content-length': Buffer.byteLength(body) } }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode!));
        });
        r.on('error', reject);
        r.end(body);
      });
      expect(await post('y'.repeat(5 * 1024))).toBe(413);
      expect(await post(JSON.stringify({ reportId: 'report-0302', queue: 32 }))).toBe(200);
    } finally {
      client.destroy();
    }
  });

  it('when another method or a compressed body comes, then Express answers as before', async () => {
    const get = await send(t.url, '/api/sites/site-1/reports', { method: 'GET' });
    expect(get.status).toBe(404);
    expect(get.body.error).toBe('not_found');
    const { gzipSync } = await import('node:zlib');
    const gz = await send(t.url, '/api/sites/site-1/reports', {
      headers: { authorization: `Bearer ${token}`, 'content-encoding': 'gzip' }, chunks: [gzipSync(JSON.stringify({ reportId: 'report-0401', queue: 41 }))],
    });
    expect(gz.status).toBe(200);
    expect(gz.body.live.queue).toBe(41);
    const latin = await send(t.url, '/api/sites/site-1/reports', json({ reportId: 'report-0402', queue: 1 }, token, { 'content-type': 'application/json; charset=latin1' }));
    expect(latin.status).toBe(415);
    expect(latin.body.error).toBe('unsupported_encoding');
  });

  it('when the store fails unexpectedly, then the answer is the contract\'s 500 and the error is logged', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, new Writable({ write: (c, _e, cb) => void (lines.push(String(c)), cb()) }));
    const store = createMemoryStore({ now: () => clock.now() });
    const broken = new Proxy(store, {
      get: (target, key, recv) => (key === 'applyStaffReport' ? () => Promise.reject(new TypeError('boom')) : Reflect.get(target, key, recv)),
    });
    const app = await createApp({ config: { ...defaultConfig, adminToken: TEST_ADMIN_TOKEN }, store: broken, clock, logger, sites: testSites() });
    const addr = await app.listen(0, '127.0.0.1');
    try {
      const url = `http://127.0.0.1:${addr.port}`;
      const { token: tk } = await issueToken({ url } as TestApp, 'site-1');
      const r = await send(url, '/api/sites/site-1/reports', json({ reportId: 'report-0501', queue: 1 }, tk));
      expect(r.status).toBe(500);
      expect(r.body).toEqual({ error: 'internal', message: 'Internal error.' });
      expect(r.headers['content-security-policy']).toBeDefined();
      expect(lines.some((l) => l.includes('unhandled error') && l.includes('boom'))).toBe(true);
    } finally {
      await app.close();
      await store.close();
    }
  });
});

describe('client address (trust proxy)', () => {
  it('when X-Forwarded-For is sent, then the address is the one Express\'s req.ip gives, for every trust setting', () => {
    const settings: Array<string | false> = [false, 'loopback', '1', '2', '127.0.0.1', '10.0.0.0/8, loopback', 'uniquelocal'];
    const sockets = ['127.0.0.1', '::ffff:127.0.0.1', '10.1.2.3', '203.0.113.9', undefined];
    const headers = [undefined, '', '198.51.100.1', '198.51.100.1, 10.0.0.7', ' 198.51.100.1 ,, 127.0.0.1 ', 'garbage, 10.0.0.1', '2001:db8::1,127.0.0.1'];
    const ipGetter = Object.getOwnPropertyDescriptor(express.request, 'ip')!.get!;
    for (const trustProxy of settings) {
      const app = express();
      if (trustProxy !== false) app.set('trust proxy', trustProxy);
      const ours = clientIpOf({ trustProxy });
      for (const remoteAddress of sockets) {
        for (const xff of headers) {
          const req = { headers: xff === undefined ? {} : { 'x-forwarded-for': xff }, socket: { remoteAddress }, app };
          const expected = (ipGetter.call(req) as string | undefined) ?? remoteAddress ?? 'unknown';
          expect(ours(req as never), JSON.stringify({ trustProxy, remoteAddress, xff })).toBe(expected);
        }
      }
    }
  });

  it('when TRUST_PROXY is set, then failed sign-ins are counted per forwarded address; without it, per socket', async () => {
    for (const trustProxy of ['loopback', false] as const) {
      const app = await startTestApp({ clock, config: { trustProxy, authFailuresPerHour: 30 } });
      try {
        const bad = (ip: string) => send(app.url, '/api/sites/site-1/reports', json({ reportId: 'report-0601', queue: 1 }, `st_${'B'.repeat(43)}`, { 'x-forwarded-for': ip }));
        const statuses: number[] = [];
        for (let i = 0; i < 12; i++) statuses.push((await bad('203.0.113.7')).status);
        expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true);
        expect(statuses.at(-1)).toBe(429);
        const fromElsewhere = await bad('198.51.100.4');
        expect(fromElsewhere.status).toBe(trustProxy ? 401 : 429);
        if (fromElsewhere.status === 429) expect(Number(fromElsewhere.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      } finally {
        await app.close();
      }
    }
  });
});
