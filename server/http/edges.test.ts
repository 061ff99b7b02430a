// The HTTP edges as a client meets them: the same security headers on every answer (the routes
// answered beneath Express included), HSTS behind an https PUBLIC_URL, JSON for every /api-looking
// path, OPTIONS and wrong methods as JSON 404/405 with Allow, proxy trust, Prometheus metrics.
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMetrics } from '../metrics.js';
import { issueToken, startTestApp, type TestApp } from '../../testing/server/app.js';
import { httpClient, type HttpClient, type RawResponse } from '../../testing/server/http.js';
import { securityHeaderList } from './security-headers.js';

let t: TestApp;
let http: HttpClient;
let token: string;
let n = 0;
const reportBody = () => JSON.stringify({ reportId: `edge-report-${++n}`, queue: 4 });

beforeAll(async () => {
  t = await startTestApp({ config: { trustProxy: 1 } });
  http = httpClient(t.url, 4);
  token = (await issueToken(t, 'site-1')).token;
});
afterAll(async () => {
  http.close();
  await t.close();
});

const expectJsonError = (res: RawResponse, status: number) => {
  expect(res.status, res.text).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  expect(res.json).toMatchObject({ error: expect.any(String), message: expect.any(String) });
};

describe('security headers', () => {
  it('when any route answers, fast or through Express, success or error, then it carries the same security headers', async () => {
    const expected = securityHeaderList(t.config);
    const live = await http.send({ path: '/api/live' });
    const answers = [
      live,
      await http.send({ path: '/api/live', headers: { 'if-none-match': String(live.headers.etag) } }),
      await http.send({ path: '/api/sites', headers: { 'accept-encoding': 'br' } }),
      await http.send({ method: 'HEAD', path: '/api/sites' }),
      await http.send({
        method: 'POST',
        path: '/api/sites/site-1/reports',
        headers: { authorization: `Bearer ${token}` },
        body: reportBody(),
      }),
      await http.send({ method: 'POST', path: '/api/sites/site-1/reports', body: reportBody() }),
      await http.send({ path: '/api/summary' }),
      await http.send({ path: '/api/nothing-here' }),
      await http.send({ path: '/healthz' }),
    ];
    expect(answers.map((a) => a.status)).toEqual([200, 304, 200, 200, 200, 401, 200, 404, 200]);
    for (const a of answers) {
      for (let i = 0; i < expected.length; i += 2)
        expect(a.headers[expected[i]!.toLowerCase()], expected[i]).toBe(expected[i + 1]);
      expect(a.headers['strict-transport-security']).toBeUndefined();
    }
  });

  it('when PUBLIC_URL is https, then every answer carries HSTS; when it is http, then none does', async () => {
    const https = await startTestApp({ config: { publicUrl: 'https://wait.example.cn' } });
    const plain = await startTestApp({ config: { publicUrl: 'http://10.0.0.5:3000' } });
    try {
      for (const path of ['/api/live', '/api/summary', '/api/nope']) {
        expect((await fetch(`${https.url}${path}`)).headers.get('strict-transport-security')).toBe(
          'max-age=31536000; includeSubDomains',
        );
        expect((await fetch(`${plain.url}${path}`)).headers.get('strict-transport-security')).toBeNull();
      }
      const post = await fetch(`${https.url}/api/sites/site-1/reports`, { method: 'POST', body: '{}' });
      expect(post.status).toBe(401);
      expect(post.headers.get('strict-transport-security')).toMatch(/^max-age=/);
    } finally {
      await https.close();
      await plain.close();
    }
  });
});

describe('/api edges', () => {
  it('when a path only looks like /api once decoded (escapes, %2f, matrix parameters), then the answer is JSON, never HTML', async () => {
    for (const path of [
      '/%61pi/live',
      '/api%2flive',
      '/api;/live',
      '/api;x=1/sites/site-1',
      '/%41PI/summary',
      '/api/%zz',
    ]) {
      expectJsonError(await http.send({ path }), 404);
    }
  });

  it('when a path has a trailing slash or another case, then it is routed as Express routes it, answering JSON', async () => {
    const summary = await http.send({ path: '/api/summary/' });
    expect(summary.status).toBe(200);
    expect(summary.json).toHaveProperty('totals');
    const live = await http.send({ path: '/api/live/' });
    expect(live.status).toBe(200);
    expect(live.json).toHaveProperty('sites');
    const upper = await http.send({
      method: 'POST',
      path: '/API/sites/site-1/reports/',
      headers: { authorization: `Bearer ${token}` },
      body: reportBody(),
    });
    expect(upper.status, upper.text).toBe(200);
  });

  it('when OPTIONS asks for an /api path, then a known one answers JSON 405 with Allow and an unknown one JSON 404', async () => {
    const known = await http.send({ method: 'OPTIONS', path: '/api/live' });
    expectJsonError(known, 405);
    expect(known.headers.allow).toBe('GET, HEAD');
    const report = await http.send({ method: 'OPTIONS', path: '/api/sites/site-1/reports' });
    expectJsonError(report, 405);
    expect(report.headers.allow).toBe('POST');
    // Another origin's preflight of a write is refused by the CORS policy (server/reach/cors.ts).
    const foreign = await http.send({
      method: 'OPTIONS',
      path: '/api/sites/site-1/reports',
      headers: { origin: 'https://elsewhere.example', 'access-control-request-method': 'POST' },
    });
    expectJsonError(foreign, 403);
    expect(foreign.headers['access-control-allow-origin']).toBeUndefined();
    const tokens = await http.send({ method: 'OPTIONS', path: '/api/admin/staff-tokens' });
    expect(tokens.headers.allow).toBe('GET, HEAD, POST');
    expectJsonError(await http.send({ method: 'OPTIONS', path: '/api/nope' }), 404);
    expectJsonError(await http.send({ method: 'OPTIONS', path: '/%61pi/live' }), 405);
  });

  it('when a known /api path is asked with a method it does not take, then JSON 405 names the methods it does', async () => {
    const get = await http.send({ path: '/api/sites/site-1/reports' });
    expectJsonError(get, 405);
    expect(get.headers.allow).toBe('POST');
    const del = await http.send({ method: 'DELETE', path: '/api/summary' });
    expectJsonError(del, 405);
    expect(del.headers.allow).toBe('GET, HEAD');
  });

  it('when a report body is compressed or not utf-8, then it is refused with JSON 415 and nothing is stored', async () => {
    const before = t.app.engine.liveOf('site-1');
    const gz = await http.send({
      method: 'POST',
      path: '/api/sites/site-1/reports',
      headers: { authorization: `Bearer ${token}`, 'content-encoding': 'gzip' },
      body: reportBody(),
    });
    expectJsonError(gz, 415);
    const latin = await http.send({
      method: 'POST',
      path: '/api/sites/site-1/reports',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json; charset=latin1' },
      body: reportBody(),
    });
    expectJsonError(latin, 415);
    expect(t.app.engine.liveOf('site-1')).toEqual(before);
    const utf8 = await http.send({
      method: 'POST',
      path: '/api/sites/site-1/reports',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json; charset=UTF-8' },
      body: reportBody(),
    });
    expect(utf8.status).toBe(200);
  });
});

describe('proxy trust', () => {
  it('when TRUST_PROXY is a hop count of 1, then the address the proxy saw is the client: limits are per client, not per proxy', async () => {
    const guess = (ip: string) =>
      http.send({
        path: '/api/staff/me',
        headers: { authorization: `Bearer st_${'x'.repeat(43)}`, 'x-forwarded-for': `198.51.100.1, ${ip}` },
      });
    let status = 0;
    for (let i = 0; i < 1000 && status !== 429; i++) status = (await guess('203.0.113.50')).status;
    expect(status).toBe(429);
    // Another client behind the same proxy is judged on its own failures.
    expect((await guess('203.0.113.51')).status).toBe(401);
    // The spoofable left-most address is not trusted: the proxy's view (right-most) decides.
    expect(
      (
        await http.send({
          path: '/api/staff/me',
          headers: { authorization: `Bearer st_${'x'.repeat(43)}`, 'x-forwarded-for': '203.0.113.51, 203.0.113.50' },
        })
      ).status,
    ).toBe(429);
  });
});

describe('metrics', () => {
  it('when scraped, then promtool check metrics accepts them, default process metrics included', async () => {
    const m = createMetrics({ defaultMetrics: true });
    const text = await m.registry.metrics();
    const check = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
    expect(check.stdout + check.stderr).toBe('');
    expect(check.status).toBe(0);
  });

  it('when a route answers and throws, then it has one label; a replayed report counts as a replay', async () => {
    await http.send({ path: '/api/sites/site-1' });
    await http.send({ path: '/api/sites/no-such-site' });
    const body = JSON.stringify({ reportId: 'edge-replayed-1', queue: 9 });
    for (let i = 0; i < 2; i++) {
      expect(
        (
          await http.send({
            method: 'POST',
            path: '/api/sites/site-1/reports',
            headers: { authorization: `Bearer ${token}` },
            body,
          })
        ).status,
      ).toBe(200);
    }
    const text = (await http.send({ path: '/metrics' })).text;
    const check = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
    expect(check.status, check.stdout + check.stderr).toBe(0);
    const routes = new Set([...text.matchAll(/shortline_http_requests_total\{route="([^"]+)"/g)].map((x) => x[1]));
    expect(routes).toContain('/api/sites/:id');
    expect([...routes].filter((r) => r!.endsWith('/sites/:id'))).toEqual(['/api/sites/:id']);
    expect(text).toMatch(/shortline_http_requests_total\{route="\/api\/sites\/:id",method="GET",status="404"\} [1-9]/);
    expect(text).toMatch(/shortline_writes_total\{kind="staff",outcome="replayed"\} [1-9]/);
  });
});
