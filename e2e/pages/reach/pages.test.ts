// /lite, /embed and /s/<code> in real Chromium: with script off the lite page shows the waits and
// its search works; axe finds nothing serious; /embed shows inside a page of another origin while
// /lite refuses to be framed; a short code lands on its site with and without script.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shortCodes } from '../../../shared/short-code.js';
import type { Site } from '../../../shared/schemas.js';
import { browserForTests, launchBrowser, watchErrors } from '../../../testing/server/browser.js';
import { issueToken, report, startTestApp, type TestApp } from '../../../testing/server/app.js';

const hasBrowser = browserForTests();
const sites: Site[] = [
  { id: 'near-1', name: '白沙一号点', district: '蓬江区', street: '白沙街道', lat: 22.59, lng: 113.08, lanes: 2 },
  { id: 'near-2', name: '白沙二号点', district: '蓬江区', street: '白沙街道', lat: 22.595, lng: 113.085, lanes: 2 },
  { id: 'far-1', name: '外海点', district: '江海区', street: '外海街道', lat: 22.56, lng: 113.12, lanes: 1 },
];
const codes = shortCodes(sites.map((s) => s.id));
const AREA = encodeURIComponent('白沙街道');

describe.skipIf(!hasBrowser)('plain pages in a browser', () => {
  let t: TestApp;
  let browser: Browser;
  let other: Server;
  let otherUrl: string;

  beforeAll(async () => {
    t = await startTestApp({ sites });
    const { token } = await issueToken(t, 'near-1');
    await report(t, token, 'near-1', { queue: 60 });
    browser = await launchBrowser();
    // Another origin (another port on loopback) whose page frames ours.
    other = createServer((req, res) => {
      const path = decodeURIComponent((req.url ?? '/').slice(1));
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(
        `<!doctype html><title>news</title><iframe id="f" width="400" height="400" src="${t.url}/${path}"></iframe>`,
      );
    });
    await new Promise<void>((r) => other.listen(0, '127.0.0.1', r));
    otherUrl = `http://localhost:${(other.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise((r) => other?.close(r));
    await t?.close();
  });

  it('with JavaScript disabled, /lite shows the waits and its search finds a site by name and by code', async () => {
    const ctx = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 320, height: 700 } });
    const page = await ctx.newPage();
    await page.goto(`${t.url}/lite?area=${AREA}`);
    const first = page.locator('li[data-site-id="near-1"]');
    await expect(first.getAttribute('data-level')).resolves.toBe('medium');
    await expect(first.innerText()).resolves.toContain('排队约 15 分钟');
    await page.fill('input[name="q"]', '外海');
    await page.click('button[type="submit"]');
    await page.waitForURL(/\/lite\?q=/);
    expect(
      await page.locator('[data-site-id]').evaluateAll((els) => els.map((e) => e.getAttribute('data-site-id'))),
    ).toEqual(['far-1']);
    await page.fill('input[name="q"]', codes.get('near-2')!.toLowerCase());
    await page.click('button[type="submit"]');
    await page.waitForURL(/\/lite\?q=/);
    expect(
      await page.locator('[data-site-id]').evaluateAll((els) => els.map((e) => e.getAttribute('data-site-id'))),
    ).toEqual(['near-2']);
    // Nothing overflows a 320 px screen sideways.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
    await ctx.close();
  });

  it('with JavaScript disabled, / and a short code both land on the lite page of that site', async () => {
    const ctx = await browser.newContext({ javaScriptEnabled: false });
    const page = await ctx.newPage();
    await page.goto(`${t.url}/`);
    await page.waitForURL(`${t.url}/lite`);
    await page.goto(`${t.url}/s/${codes.get('far-1')!.toLowerCase()}`);
    await page.waitForURL(`${t.url}/lite?site=far-1`);
    await expect(page.locator('[data-site-id]').count()).resolves.toBe(1);
    await expect(page.locator('[data-site-id="far-1"]').count()).resolves.toBe(1);
    await ctx.close();
  });

  it('a short code opens its site on the map page', async () => {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    await page.goto(`${t.url}/s/${codes.get('near-2')!}`);
    await page.waitForSelector('body[data-ready]');
    expect(new URL(page.url()).search).toBe('?site=near-2');
    await expect.poll(() => page.locator('section.details').getAttribute('data-site-id')).toBe('near-2');
    await ctx.close();
  });

  it("a code typed into the map page's search finds its site", async () => {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    await page.goto(`${t.url}/`);
    await page.waitForSelector('body[data-ready]');
    await page.fill('#site-search', codes.get('far-1')!.toLowerCase());
    await expect
      .poll(() =>
        page
          .locator('.site-list li[data-site-id]')
          .evaluateAll((els) => els.map((e) => e.getAttribute('data-site-id'))),
      )
      .toEqual(['far-1']);
    await ctx.close();
  });

  it('axe finds no serious or critical problem on /lite, in Chinese and English', async () => {
    const axe = readFileSync('node_modules/axe-core/axe.min.js', 'utf8');
    // The page allows no script at all: the test injects axe past the page's CSP.
    const ctx = await browser.newContext({ bypassCSP: true });
    const page = await ctx.newPage();
    for (const path of [`/lite?area=${AREA}`, `/lite?near=22.59,113.08&lang=en`, '/lite', `/embed?area=${AREA}`]) {
      await page.goto(`${t.url}${path}`);
      await page.addScriptTag({ content: axe });
      const found = await page.evaluate(async () => {
        const r = await (
          window as unknown as { axe: { run(): Promise<{ violations: Array<{ id: string; impact: string }> }> } }
        ).axe.run();
        return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id);
      });
      expect(found, path).toEqual([]);
    }
    await ctx.close();
  });

  it('/embed shows inside a page of another origin, with a link out; /lite refuses to be framed', async () => {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    const errors = watchErrors(page);
    await page.goto(`${otherUrl}/${encodeURIComponent(`embed?site=near-1`)}`);
    const frame = page.frameLocator('#f');
    await expect(frame.locator('li[data-site-id="near-1"]').innerText()).resolves.toContain('排队约 15 分钟');
    await expect(frame.locator('a[target="_blank"]').getAttribute('href')).resolves.toBe(`${t.url}/?site=near-1`);
    expect(errors).toEqual([]);

    await page.goto(`${otherUrl}/${encodeURIComponent(`lite?site=near-1`)}`);
    await expect
      .poll(async () => {
        const f = page.frames().find((x) => x !== page.mainFrame());
        return f ? f.url() : null;
      })
      .not.toBeNull();
    const f = page.frames().find((x) => x !== page.mainFrame())!;
    // Blocked by frame-ancestors: the frame holds Chromium's error page, never our content.
    await expect
      .poll(() => f.evaluate(() => document.querySelectorAll('[data-site-id]').length).catch(() => 0))
      .toBe(0);
    expect(await f.evaluate(() => location.href).catch(() => 'blocked')).not.toContain('/lite');
    await ctx.close();
  });
});
