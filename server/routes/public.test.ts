import { gunzipSync, brotliDecompressSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../clock.js';
import { MetaSchema } from '../../shared/schemas.js';
import { issueToken, report, startTestApp, TEST_ADMIN_TOKEN, type TestApp } from '../../testing/server/app.js';
import { waitFor } from '../../testing/wait.js';

const clock = new ManualClock(Date.parse('2026-11-22T02:00:00Z'));
let t: TestApp;
let token: string;

beforeAll(async () => {
  t = await startTestApp({ clock });
  token = (await issueToken(t, 'site-1')).token;
});
afterAll(() => t.close());

const get = (path: string, headers: Record<string, string> = {}) => fetch(`${t.url}${path}`, { headers });

describe('GET /api/sites and /api/live', () => {
  it('when the registry is read, then every site comes with a strong ETag and If-None-Match gives 304', async () => {
    const res = await get('/api/sites');
    expect(res.status).toBe(200);
    const etag = res.headers.get('etag')!;
    expect(etag).toMatch(/^"[^"]+"$/);
    expect((await res.json()).sites.map((s: { id: string }) => s.id)).toEqual(['site-1', 'site-2', 'site-3']);
    const again = await get('/api/sites', { 'if-none-match': etag });
    expect(again.status).toBe(304);
  });

  it('when live state changes, then /api/live has a new ETag and the old one no longer gives 304', async () => {
    const first = await get('/api/live');
    const etag = first.headers.get('etag')!;
    const snap = await first.json();
    expect(snap.sites).toHaveLength(3);
    expect(snap.sites[0]).toMatchObject({ siteId: 'site-1', level: 'unknown', source: 'none' });
    expect((await get('/api/live', { 'if-none-match': etag })).status).toBe(304);
    await report(t, token, 'site-1', { queue: 12 });
    const changed = await get('/api/live', { 'if-none-match': etag });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(etag);
    expect((await changed.json()).sites[0].queue).toBe(12);
  });

  it('when the client accepts gzip or brotli, then the precompressed body is sent', async () => {
    const { request } = await import('node:http');
    const fetchRaw = (enc: string) =>
      new Promise<{ headers: Record<string, unknown>; body: Buffer }>((resolve, reject) => {
        request(`${t.url}/api/live`, { headers: { 'accept-encoding': enc } }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
        })
          .on('error', reject)
          .end();
      });
    // A frame may land between two requests and change the body; compare only equal ETags.
    await waitFor(async () => {
      const [plain, gz, br] = [await fetchRaw('identity'), await fetchRaw('gzip'), await fetchRaw('gzip, br')];
      expect(gz.headers.etag).toBe(plain.headers.etag);
      expect(br.headers.etag).toBe(plain.headers.etag);
      expect(plain.headers['content-encoding']).toBeUndefined();
      expect(gz.headers['content-encoding']).toBe('gzip');
      expect(br.headers['content-encoding']).toBe('br');
      expect(gunzipSync(gz.body).toString()).toBe(plain.body.toString());
      expect(brotliDecompressSync(br.body).toString()).toBe(plain.body.toString());
    });
  });
});

describe('hot reads answered beneath Express', () => {
  const metricValue = async (line: RegExp) => {
    const text = await (await get('/metrics')).text();
    return Number(
      text
        .split('\n')
        .find((l) => line.test(l))
        ?.split(' ')
        .pop() ?? 0,
    );
  };

  it('when /api/live is read with a query, HEAD or If-None-Match, then 200, HEAD and 304 carry the same cache headers and are counted', async () => {
    const okLine = /^shortline_http_requests_total\{route="\/api\/live",method="GET",status="200"\}/;
    const notModifiedLine = /^shortline_http_requests_total\{route="\/api\/live",method="GET",status="304"\}/;
    const [ok0, nm0] = [await metricValue(okLine), await metricValue(notModifiedLine)];
    const full = await get('/api/live?fresh=1', { 'accept-encoding': 'identity' });
    const body = Buffer.from(await full.arrayBuffer());
    expect(full.status).toBe(200);
    expect(full.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(full.headers.get('content-length')).toBe(String(body.length));
    expect(full.headers.get('x-content-type-options')).toBe('nosniff');
    expect(full.headers.get('cache-control')).toBe('no-cache');
    expect(full.headers.get('vary')).toBe('Accept-Encoding');
    const etag = full.headers.get('etag')!;

    const head = await fetch(`${t.url}/api/live`, { method: 'HEAD', headers: { 'accept-encoding': 'identity' } });
    expect(head.status).toBe(200);
    expect(head.headers.get('etag')).toBe(etag);
    expect(head.headers.get('content-length')).toBe(String(body.length));
    expect((await head.arrayBuffer()).byteLength).toBe(0);

    const nm = await get('/api/live', { 'if-none-match': etag });
    expect(nm.status).toBe(304);
    expect(nm.headers.get('etag')).toBe(etag);
    expect(nm.headers.get('x-content-type-options')).toBe('nosniff');
    expect(nm.headers.get('cache-control')).toBe('no-cache');
    expect(nm.headers.get('content-type')).toBeNull();

    expect(await metricValue(okLine)).toBe(ok0 + 1);
    expect(await metricValue(notModifiedLine)).toBe(nm0 + 1);
  });
});

describe('one site, history, summary', () => {
  it('when a site is asked for, then site and live come back; an unknown id gives 404 unknown_site', async () => {
    const ok = await (await get('/api/sites/site-2')).json();
    expect(ok.site.id).toBe('site-2');
    expect(ok.live.siteId).toBe('site-2');
    const missing = await get('/api/sites/nope');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: 'unknown_site' });
  });

  it('when history is asked for, then per-minute points show reports and go null once data ages out', async () => {
    const { token: tk } = await issueToken(t, 'site-3');
    await report(t, tk, 'site-3', { queue: 30, observedAt: new Date(clock.now() - 30 * 60_000).toISOString() });
    await report(t, tk, 'site-3', { queue: 8, observedAt: new Date(clock.now() - 5 * 60_000).toISOString() });
    const h = await (await get('/api/sites/site-3/history?hours=1')).json();
    expect(h.siteId).toBe('site-3');
    expect(h.points).toHaveLength(61);
    const at = (minAgo: number) =>
      h.points.find((p: { at: string }) => Date.parse(p.at) === clock.now() - minAgo * 60_000);
    expect(at(40)).toMatchObject({ queue: null, waitMinutes: null });
    expect(at(29)).toMatchObject({ queue: 30, waitMinutes: 8 });
    // 30 minutes old, past the 15-minute staff limit: not shown as current.
    expect(at(10)).toMatchObject({ queue: null });
    expect(at(0)).toMatchObject({ queue: 8, waitMinutes: 2 });
    expect((await (await get('/api/sites/site-3/history')).json()).points).toHaveLength(361);
  });

  it('when hours is out of range or not a number, then 400', async () => {
    for (const q of ['0', '73', 'abc', '1.5']) {
      const res = await get(`/api/sites/site-1/history?hours=${q}`);
      expect(res.status, q).toBe(400);
      expect((await res.json()).error).toBe('invalid_request');
    }
  });

  it("when the meta is read, then it matches its schema and names the tiles' datum (WGS-84 unless TILE_CRS says)", async () => {
    const meta = MetaSchema.parse(await (await get('/api/meta')).json());
    expect(meta).toMatchObject({ tileUrl: null, tileCrs: 'wgs84' });
  });

  it('when the summary is read, then totals and districts add up', async () => {
    const s = await (await get('/api/summary')).json();
    expect(s.totals.sites).toBe(3);
    expect(s.districts.reduce((n: number, d: { sites: number }) => n + d.sites, 0)).toBe(3);
    expect(s.totals.low + s.totals.medium + s.totals.high + s.totals.closed + s.totals.unknown).toBe(3);
  });
});

describe('admin API', () => {
  const admin = (method: string, path: string, body?: unknown, tok: string | null = TEST_ADMIN_TOKEN) =>
    fetch(`${t.url}/api/admin${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(tok ? { authorization: `Bearer ${tok}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  it('when a token is issued, then it is shown once with an enrolment link that keeps it after #', async () => {
    const res = await admin('POST', '/staff-tokens', { siteId: 'site-2', label: 'tablet A' });
    expect(res.status).toBe(201);
    const body = await res.json();
    expect(body.token).toMatch(/^st_[A-Za-z0-9_-]{43}$/);
    expect(body.enrollUrl).toBe(`${t.url}/staff#enroll=${body.token}`);
    const list = await (await admin('GET', '/staff-tokens?siteId=site-2')).json();
    expect(list.tokens.find((x: { tokenId: string }) => x.tokenId === body.tokenId)).toMatchObject({
      label: 'tablet A',
      siteId: 'site-2',
    });
    expect(JSON.stringify(list)).not.toContain(body.token);
  });

  it('when the admin token is wrong or missing, then 401; for an unknown site 404; a bad body 400', async () => {
    expect((await admin('POST', '/staff-tokens', { siteId: 'site-1' }, 'wrong-token')).status).toBe(401);
    expect((await admin('POST', '/staff-tokens', { siteId: 'site-1' }, null)).status).toBe(401);
    expect((await admin('POST', '/staff-tokens', { siteId: 'nowhere' })).status).toBe(404);
    expect((await admin('POST', '/staff-tokens', { site: 1 })).status).toBe(400);
    expect((await admin('DELETE', '/staff-tokens/tk_doesnotexist')).status).toBe(404);
    expect((await admin('DELETE', '/staff-tokens/..%2F..')).status).toBe(400);
  });

  it('when no ADMIN_TOKEN is configured, then admin routes answer 403 admin_disabled', async () => {
    const off = await startTestApp({ clock, config: { adminToken: null } });
    try {
      const res = await fetch(`${off.url}/api/admin/staff-tokens`, {
        method: 'POST',
        headers: { authorization: 'Bearer anything' },
        body: '{}',
      });
      expect(res.status).toBe(403);
      expect((await res.json()).error).toBe('admin_disabled');
    } finally {
      await off.close();
    }
  });
});

describe('operations and errors', () => {
  it('when probed, then healthz and readyz answer 200 and metrics are Prometheus text', async () => {
    expect((await get('/healthz')).status).toBe(200);
    expect(await (await get('/readyz')).json()).toMatchObject({ ok: true, store: 'embedded' });
    const m = await get('/metrics');
    expect(m.headers.get('content-type')).toContain('text/plain');
    const text = await m.text();
    expect(text).toContain('shortline_http_requests_total');
    expect(text).toContain('shortline_sockets');
  });

  it('when an unknown /api path or method is used, then a JSON 404, never HTML', async () => {
    for (const [method, path] of [
      ['GET', '/api/nothing'],
      ['PUT', '/api/live'],
      ['GET', '/api/sites/%E0%A4%A'],
    ] as const) {
      const res = await fetch(`${t.url}${path}`, { method });
      expect(res.headers.get('content-type'), path).toContain('application/json');
      const body = await res.json();
      expect(body.error).toBeTypeOf('string');
      expect(body.message).toBeTypeOf('string');
    }
  });

  it('when the OpenAPI document is read, then it is 3.1 and lists every contract route', async () => {
    const doc = await (await get('/api/openapi.json')).json();
    expect(doc.openapi).toBe('3.1.0');
    for (const p of [
      '/api/sites',
      '/api/live',
      '/api/sites/{id}',
      '/api/sites/{id}/history',
      '/api/summary',
      '/api/sites/{id}/reports',
      '/api/feeds/carrier',
      '/api/admin/staff-tokens',
      '/api/admin/staff-tokens/{tokenId}',
      '/healthz',
      '/readyz',
      '/metrics',
    ]) {
      expect(doc.paths[p], p).toBeDefined();
    }
    expect(doc.components.schemas.StaffReport.properties.queue.maximum).toBe(10_000);
  });

  it('when pages are served, then a strict CSP comes with them', async () => {
    const res = await get('/');
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain("frame-ancestors 'none'");
  });
});
