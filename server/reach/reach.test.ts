import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shortCodes } from '../../shared/short-code.js';
import type { Site } from '../../shared/schemas.js';
import { httpClient, type HttpClient } from '../../testing/server/http.js';
import { issueToken, report, startTestApp, TEST_ADMIN_TOKEN, type TestApp } from '../../testing/server/app.js';

const HOSTILE = '<img src=x onerror=alert(1)>"\'&';
const sites: Site[] = [
  { id: 'a-1', name: '白沙点', district: '蓬江区', street: '白沙街道', lat: 22.59, lng: 113.08, lanes: 2 },
  {
    id: 'a-2',
    name: HOSTILE,
    district: '蓬江区',
    street: '白沙街道',
    lat: 22.6,
    lng: 113.09,
    lanes: 2,
    hours: [
      { days: [1, 2, 3, 4, 5], open: '00:00', close: '24:00' },
      { days: [6, 7], open: '00:00', close: '24:00' },
    ],
  },
  { id: 'b-1', name: '江海点', district: '江海区', street: '外海街道', lat: 22.56, lng: 113.12, lanes: 1 },
];
const codes = shortCodes(sites.map((s) => s.id));
let t: TestApp;
let http: HttpClient;

beforeAll(async () => {
  t = await startTestApp({ sites });
  http = httpClient(t.url);
  const { token } = await issueToken(t, 'a-1');
  await report(t, token, 'a-1', { queue: 40 });
});
afterAll(async () => {
  http.close();
  await t.close();
});

const page = async (path: string) => {
  const r = await http.send({ path });
  return { status: r.status, html: r.text, headers: r.headers };
};

describe('/lite', () => {
  it("shows a town's sites with the wait in words, its source and age, each tagged with site id and level", async () => {
    const { status, html, headers } = await page(`/lite?area=${encodeURIComponent('白沙街道')}`);
    expect(status).toBe(200);
    expect(headers['content-security-policy']).toContain("default-src 'none'");
    expect(html).toContain('data-connection="live"');
    expect(html).toMatch(/<li class="lv-low" data-site-id="a-1" data-level="low">/);
    expect(html).toContain('排队约 10 分钟');
    expect(html).toContain('工作人员上报');
    expect(html).toContain('data-site-id="a-2"');
    expect(html).not.toContain('data-site-id="b-1"');
    expect(html).toContain('周一至周五 00:00–24:00');
  });

  it('escapes hostile site names so they never become markup', async () => {
    const { html } = await page('/lite?site=a-2');
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;&quot;&#39;&amp;');
  });

  it('escapes a hostile search so it is echoed as text', async () => {
    const { html } = await page(`/lite?q=${encodeURIComponent('"><script>alert(1)</script>')}`);
    expect(html).not.toContain('<script>');
    expect(html).toContain('没有找到采样点');
  });

  it('finds a site by its typed code, in any case, and by name', async () => {
    const code = codes.get('b-1')!;
    expect((await page(`/lite?q=${code.toLowerCase()}`)).html).toMatch(/data-site-id="b-1"[\s\S]*<\/ol>/);
    const byName = (await page(`/lite?q=${encodeURIComponent('江海')}`)).html;
    expect(byName).toContain('data-site-id="b-1"');
    expect(byName).not.toContain('data-site-id="a-1"');
  });

  it('sorts by walk plus wait when a point is given', async () => {
    const { html } = await page('/lite?near=22.59,113.08');
    const order = [...html.matchAll(/data-site-id="([^"]+)"/g)].map((m) => m[1]);
    expect(order).toHaveLength(3);
    // a-1 is nearest but has a 10-minute wait; a-2 is ~1.5 km away with no data and goes last.
    expect(order[0]).toBe('a-1');
    expect(html).toContain('步行约');
  });

  it('speaks English with ?lang=en and refreshes itself only when asked', async () => {
    const en = (await page('/lite?site=a-1&lang=en')).html;
    expect(en).toContain('<html lang="en"');
    expect(en).toContain('Wait about 10 min');
    expect(en).not.toContain('http-equiv="refresh"');
    expect((await page('/lite?site=a-1&auto=1')).html).toContain('<meta http-equiv="refresh" content="60">');
  });

  it('is sent gzipped to clients that accept it', async () => {
    const r = await http.send({
      path: '/lite?area=%E8%93%AC%E6%B1%9F%E5%8C%BA',
      headers: { 'accept-encoding': 'gzip' },
    });
    expect(r.headers['content-encoding']).toBe('gzip');
  });

  it('says the data is stale when no shown site has live data', async () => {
    expect((await page('/lite?site=b-1')).html).toContain('data-connection="stale"');
  });
});

describe('/s/<code>', () => {
  it('redirects a code, in any case, to the site on the map page', async () => {
    const r = await http.send({ path: `/s/${codes.get('a-2')!.toLowerCase()}` });
    expect(r.status).toBe(302);
    expect(r.headers.location).toBe('/?site=a-2');
  });

  it('sends an unknown code to the lite search', async () => {
    const r = await http.send({ path: '/s/QQQQ' });
    expect(r.status).toBe(302);
    expect(r.headers.location).toBe('/lite?q=QQQQ');
  });
});

describe('/embed', () => {
  it('may be framed by any origin by default, while other pages refuse framing', async () => {
    const e = await page('/embed?site=a-1');
    expect(e.headers['content-security-policy']).toContain('frame-ancestors *');
    expect(e.headers['x-frame-options']).toBeUndefined();
    expect(e.html).toContain('data-site-id="a-1"');
    expect(e.html).toContain('target="_blank"');
    const lite = await page('/lite');
    expect(lite.headers['content-security-policy']).toContain("frame-ancestors 'none'");
  });

  it('names only EMBED_ORIGINS as frame ancestors when set', async () => {
    const t2 = await startTestApp({ sites, config: { embedOrigins: ['https://news.example.cn'] } });
    try {
      const r = await fetch(`${t2.url}/embed?area=${encodeURIComponent('蓬江区')}`);
      expect(r.headers.get('content-security-policy')).toContain('frame-ancestors https://news.example.cn');
    } finally {
      await t2.close();
    }
  });
});

describe('open data', () => {
  it('gives the sites as GeoJSON points with their codes and live state', async () => {
    const r = await http.send({ path: '/api/sites.geojson' });
    expect(r.headers['content-type']).toContain('application/geo+json');
    const g = r.json as {
      type: string;
      features: Array<{
        geometry: { coordinates: number[] };
        properties: { id: string; code: string; live: { level: string } };
      }>;
    };
    expect(g.type).toBe('FeatureCollection');
    expect(g.features[0]!.geometry.coordinates).toEqual([113.08, 22.59]);
    expect(g.features[0]!.properties).toMatchObject({ id: 'a-1', code: codes.get('a-1'), live: { level: 'low' } });
  });

  it('gives the sites as CSV with quoted cells and formula-like names defused', async () => {
    const r = await http.send({ path: '/api/sites.csv' });
    const lines = r.text
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe(
      'id,code,name,district,street,community,address,lat,lng,lanes,tags,status,level,waitMinutes,queue,source,updatedAt',
    );
    expect(lines).toHaveLength(4);
    expect(lines[2]).toContain(`"<img src=x onerror=alert(1)>""'&"`);
  });
});

describe('CORS', () => {
  const other = 'http://127.0.0.2:9999';

  it('opens public reads to any origin, without credentials', async () => {
    for (const path of [
      '/api/live',
      '/api/sites',
      '/api/summary',
      '/api/sites/a-1',
      '/api/sites/a-1/history',
      '/api/notices',
      '/api/sites.csv',
    ]) {
      const r = await http.send({ path, headers: { origin: other } });
      expect(r.status, path).toBe(200);
      expect(r.headers['access-control-allow-origin'], path).toBe('*');
      expect(r.headers['access-control-allow-credentials'], path).toBeUndefined();
    }
  });

  it('answers a preflight of a public read', async () => {
    const r = await http.send({
      method: 'OPTIONS',
      path: '/api/live',
      headers: {
        origin: other,
        'access-control-request-method': 'GET',
        'access-control-request-headers': 'if-none-match',
      },
    });
    expect(r.status).toBe(204);
    expect(r.headers['access-control-allow-origin']).toBe('*');
    expect(r.headers['access-control-allow-methods']).toContain('GET');
  });

  it('refuses a preflight to admin and staff endpoints, and a write to a public path', async () => {
    for (const [path, method] of [
      ['/api/admin/staff-tokens', 'POST'],
      ['/api/sites/a-1/reports', 'POST'],
      ['/api/feeds/carrier', 'POST'],
      ['/api/live', 'DELETE'],
    ] as const) {
      const r = await http.send({
        method: 'OPTIONS',
        path,
        headers: {
          origin: other,
          'access-control-request-method': method,
          'access-control-request-headers': 'authorization',
        },
      });
      expect(r.status, path).toBe(403);
      expect(r.headers['access-control-allow-origin'], path).toBeUndefined();
      expect((r.json as { error: string }).error).toBe('cross_origin_refused');
    }
  });

  it('refuses a credentialed request from another origin to an admin endpoint, and stores nothing', async () => {
    const r = await http.send({
      method: 'POST',
      path: '/api/admin/staff-tokens',
      headers: {
        origin: other,
        authorization: `Bearer ${TEST_ADMIN_TOKEN}`,
        cookie: 'sid=1',
        'content-type': 'application/json',
      },
      body: JSON.stringify({ siteId: 'a-1' }),
    });
    expect(r.status).toBe(403);
    expect(r.headers['access-control-allow-origin']).toBeUndefined();
    const list = await http.send({
      path: '/api/admin/staff-tokens',
      headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
    });
    expect((list.json as { tokens: unknown[] }).tokens).toHaveLength(1);
  });

  it('lets the same origin use admin endpoints as before', async () => {
    const r = await http.send({
      path: '/api/admin/staff-tokens',
      headers: { origin: t.url, authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
    });
    expect(r.status).toBe(200);
  });

  it('gzip lite pages decode to the same HTML', async () => {
    const plain = await http.send({ path: '/lite?site=a-1' });
    const { request } = await import('node:http');
    const gz = await new Promise<Buffer>((resolve, reject) => {
      request(`${t.url}/lite?site=a-1`, { headers: { 'accept-encoding': 'gzip' } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve(Buffer.concat(chunks)));
      })
        .on('error', reject)
        .end();
    });
    expect(
      gunzipSync(gz)
        .toString()
        .replace(/\d+ 分钟前更新|刚刚更新/, ''),
    ).toBe(plain.text.replace(/\d+ 分钟前更新|刚刚更新/, ''));
  });
});

describe('API document', () => {
  it('lists the open-data and short-code endpoints', async () => {
    const doc = (await http.send({ path: '/api/openapi.json' })).json as { paths: Record<string, unknown> };
    for (const p of ['/api/sites.geojson', '/api/sites.csv', '/api/codes/{code}'])
      expect(doc.paths[p], p).toBeDefined();
  });

  it('resolves a short code to its site, and answers 404 for an unknown one', async () => {
    expect((await http.send({ path: `/api/codes/${codes.get('b-1')!.toLowerCase()}` })).json).toEqual({
      code: codes.get('b-1'),
      siteId: 'b-1',
    });
    const r = await http.send({ path: '/api/codes/QQQQ' });
    expect(r.status).toBe(404);
    expect((r.json as { error: string }).error).toBe('unknown_code');
  });
});

describe('/lite with nothing chosen', () => {
  it('lists every district and town as links that name the district, so equal town names never mix', async () => {
    const { html } = await page('/lite');
    expect(html).toContain(`href="/lite?area=${encodeURIComponent('蓬江区/白沙街道')}"`);
    expect(html).toContain(`href="/lite?area=${encodeURIComponent('江海区')}"`);
    expect(html).not.toContain('data-site-id');
  });
});

describe('EMBED_ORIGINS', () => {
  it('reads a comma- or space-separated list of origins and refuses anything else with one clear line', async () => {
    const { configFromEnv } = await import('../config.js');
    expect(configFromEnv({ EMBED_ORIGINS: 'https://a.example.cn/, https://b.example.cn' }).embedOrigins).toEqual([
      'https://a.example.cn',
      'https://b.example.cn',
    ]);
    expect(configFromEnv({}).embedOrigins).toBeNull();
    expect(() => configFromEnv({ EMBED_ORIGINS: 'not a url' })).toThrow(/EMBED_ORIGINS/);
  });
});

describe('/lite notices', () => {
  it("shows a city-wide notice at the top and a site's own notice on it, as text", async () => {
    const post = (body: object) =>
      http.send({
        method: 'POST',
        path: '/api/admin/notices',
        body: JSON.stringify(body),
        headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, 'content-type': 'application/json' },
      });
    expect((await post({ kind: 'info', message: '全市今日延长开放 <b>', ttlMinutes: 30 })).status).toBe(201);
    expect((await post({ siteId: 'b-1', kind: 'closed', message: '试剂用完', ttlMinutes: 30 })).status).toBe(201);
    const { html } = await page('/lite?area=%E5%A4%96%E6%B5%B7%E8%A1%97%E9%81%93');
    expect(html).toContain('<p class="n" role="note">通知: 全市今日延长开放 &lt;b&gt;</p>');
    expect(html).toMatch(/data-site-id="b-1"[^]*<p class="n">试剂用完<\/p><\/li>/);
  });
});
