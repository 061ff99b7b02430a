// axe-core (the engine behind most accessibility checkers) on every page state residents, staff
// and the command centre see: 0 serious or critical violations. Real Chromium, real app.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startTestApp, TEST_ADMIN_TOKEN, type TestApp } from '../../../testing/server/app.js';
import { browserForTests, launchBrowser } from '../../../testing/server/browser.js';
import { axeSerious as axe } from '../../../testing/pages/axe.js';
import { residentSites } from '../../../testing/pages/resident.js';

const hasBrowser = browserForTests();

describe.skipIf(!hasBrowser)('accessibility (axe-core)', () => {
  let t: TestApp;
  let browser: Browser;

  beforeAll(async () => {
    t = await startTestApp({ sites: residentSites() });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const open = async (path: string, init?: (page: Page) => Promise<void>, viewport = { width: 390, height: 844 }) => {
    // Tests may inject axe as a script; the pages' CSP is checked elsewhere.
    const context = await browser.newContext({ viewport, bypassCSP: true, locale: 'zh-CN' });
    const page = await context.newPage();
    if (init) await init(page);
    await page.goto(`${t.url}${path}`);
    return page;
  };

  const residentStates: Array<[string, string, (page: Page) => Promise<void>]> = [
    ['zh', '/', async () => undefined],
    ['en', '/', async (page) => page.click('.lang-btn')],
    ['elderly', '/', async (page) => page.click('.elderly-btn')],
    ['details open', '/?site=near', async (page) => void (await page.waitForSelector('#d-title'))],
  ];

  for (const [name, path, act] of residentStates) {
    it(`/ (${name}) has no serious or critical violations`, async () => {
      const page = await open(path);
      await page.waitForSelector('body[data-ready]', { timeout: 60_000 });
      await act(page);
      expect(await axe(page)).toEqual([]);
      await page.context().close();
    });
  }

  it('/ with a notice shown has no serious or critical violations', async () => {
    const res = await fetch(`${t.url}/api/admin/notices`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        siteId: 'near',
        kind: 'redirect',
        message: '物资不足，请改去稍远采样点',
        redirectSiteId: 'far',
        ttlMinutes: 30,
      }),
    });
    expect(res.status).toBe(201);
    const page = await open('/');
    await page.waitForSelector('body[data-ready]', { timeout: 60_000 });
    await page.waitForSelector('.notices .notice');
    expect(await axe(page)).toEqual([]);
    await page.context().close();
  });

  for (const [path, ready] of [
    ['/staff', 'body[data-screen]'],
    ['/wall', 'body'],
    ['/wall/admin', 'body'],
  ] as const) {
    it(`${path} has no serious or critical violations`, async () => {
      const page = await open(path, undefined, { width: 1280, height: 800 });
      await page.waitForSelector(ready, { timeout: 30_000 });
      await page.waitForLoadState('networkidle').catch(() => undefined);
      expect(await axe(page)).toEqual([]);
      await page.context().close();
    });
  }
});
