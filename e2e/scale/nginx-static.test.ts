// deploy/nginx/shortline.conf serves the built assets from disk: the gzip copy the build wrote,
// with Content-Encoding, Vary and a year of immutable caching; the pages still come from the app.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { precompressDir } from '../../scripts/build/precompress.js';
import { startTestApp, type TestApp } from '../../testing/server/app.js';
import { hasNginx, startNginx, type Nginx } from '../../testing/server/nginx.js';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}
function get(url: string, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    request(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    })
      .on('error', reject)
      .end();
  });
}

describe.skipIf(!hasNginx())('nginx serving the built assets', () => {
  const dir = mkdtempSync(join(tmpdir(), 'shortline-nginx-static-'));
  const js = `export const x = ${JSON.stringify('排队'.repeat(3000))};\n`;
  let t: TestApp;
  let nginx: Nginx;

  beforeAll(async () => {
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'assets/app-abc123.js'), js);
    precompressDir(dir);
    t = await startTestApp();
    nginx = await startNginx([`127.0.0.1:${t.port}`], dir);
  });

  afterAll(async () => {
    await nginx?.stop();
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a browser accepting gzip gets the precompressed copy, typed, with Vary and immutable caching', async () => {
    const a = await get(`${nginx.url}/assets/app-abc123.js`, { 'accept-encoding': 'gzip, deflate, br' });
    expect(a.status).toBe(200);
    expect(a.headers['content-encoding']).toBe('gzip');
    expect(a.headers['content-type']).toMatch(/javascript/);
    expect(a.headers.vary).toMatch(/Accept-Encoding/i);
    expect(a.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(gunzipSync(a.body).toString()).toBe(js);
  });

  it('without Accept-Encoding the file itself comes; a missing asset is a 404 from nginx, not the app', async () => {
    const plain = await get(`${nginx.url}/assets/app-abc123.js`);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.toString()).toBe(js);
    const missing = await get(`${nginx.url}/assets/nope-1.js`);
    expect(missing.status).toBe(404);
    expect(missing.headers['content-type']).not.toMatch(/json/);
  });
});
