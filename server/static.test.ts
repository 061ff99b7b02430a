// Precompressed static files: the build writes .br/.gz copies, the server picks one per request.
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { precompressDir } from '../scripts/build/precompress.js';
import { mountPages } from './pages.js';
import { accepts } from './static.js';

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

describe('precompressed static files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'shortline-static-'));
  const js = `export const x = ${JSON.stringify('排队'.repeat(2000))};\n`;
  const html = `<!doctype html><title>x</title><p>${'排队实况 '.repeat(300)}</p>\n`;
  let url = '';
  let close: () => void = () => undefined;

  beforeAll(async () => {
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'assets/app-abc123.js'), js);
    writeFileSync(join(dir, 'assets/tiny-1.js'), 'export {};\n');
    writeFileSync(join(dir, 'assets/pic.png'), Buffer.alloc(4000, 7));
    writeFileSync(join(dir, 'index.html'), html);
    expect(precompressDir(dir)).toBe(2);
    const app = express();
    mountPages(app, dir);
    const server = app.listen(0);
    await new Promise((r) => server.once('listening', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = () => server.close();
  });
  afterAll(() => {
    close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the build writes brotli and gzip copies of text files only, and only where they are worth it', () => {
    expect(existsSync(join(dir, 'assets/app-abc123.js.br'))).toBe(true);
    expect(existsSync(join(dir, 'assets/app-abc123.js.gz'))).toBe(true);
    expect(existsSync(join(dir, 'assets/tiny-1.js.br'))).toBe(false);
    expect(existsSync(join(dir, 'assets/pic.png.br'))).toBe(false);
  });

  it('a browser accepting brotli gets the brotli copy with the script type, Vary and a year of immutable caching', async () => {
    const a = await get(`${url}/assets/app-abc123.js`, { 'accept-encoding': 'gzip, deflate, br, zstd' });
    expect(a.status).toBe(200);
    expect(a.headers['content-encoding']).toBe('br');
    expect(a.headers['content-type']).toMatch(/^text\/javascript; charset=utf-8$/);
    expect(a.headers.vary).toMatch(/Accept-Encoding/i);
    expect(a.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(brotliDecompressSync(a.body).toString()).toBe(js);
    expect(a.body.length).toBeLessThan(js.length / 5);
  });

  it('gzip only gets the gzip copy; no Accept-Encoding (or br;q=0 and gzip;q=0) gets the file itself, still with Vary', async () => {
    const gz = await get(`${url}/assets/app-abc123.js`, { 'accept-encoding': 'gzip' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.body).toString()).toBe(js);
    for (const headers of [{}, { 'accept-encoding': 'br;q=0, gzip;q=0' }] as Record<string, string>[]) {
      const plain = await get(`${url}/assets/app-abc123.js`, headers);
      expect(plain.headers['content-encoding']).toBeUndefined();
      expect(plain.headers.vary).toMatch(/Accept-Encoding/i);
      expect(plain.body.toString()).toBe(js);
    }
  });

  it('files without copies are served as usual, and a missing asset is a 404', async () => {
    const png = await get(`${url}/assets/pic.png`, { 'accept-encoding': 'br' });
    expect(png.headers['content-encoding']).toBeUndefined();
    expect(png.body).toEqual(readFileSync(join(dir, 'assets/pic.png')));
    expect((await get(`${url}/assets/nope-1.js`, { 'accept-encoding': 'br' })).status).toBe(404);
    expect(
      (await get(`${url}/assets/..%2f..%2fetc%2fpasswd`, { 'accept-encoding': 'br' })).status,
    ).toBeGreaterThanOrEqual(400);
  });

  it('the resident page itself comes compressed, revalidated on every visit (no-cache)', async () => {
    const a = await get(`${url}/`, { 'accept-encoding': 'br' });
    expect(a.status).toBe(200);
    expect(a.headers['content-encoding']).toBe('br');
    expect(a.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(a.headers['cache-control']).toBe('no-cache');
    expect(brotliDecompressSync(a.body).toString()).toBe(html);
  });

  it('reads Accept-Encoding with q-values and wildcards', () => {
    expect(accepts('gzip, br', 'br')).toBe(true);
    expect(accepts('gzip;q=1.0, br;q=0', 'br')).toBe(false);
    expect(accepts('*', 'gzip')).toBe(true);
    expect(accepts('identity', 'gzip')).toBe(false);
    expect(accepts(undefined, 'br')).toBe(false);
  });
});
