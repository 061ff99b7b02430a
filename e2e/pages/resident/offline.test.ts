// The resident page when the network goes: it says so (and keeps counting the age),
// and a reload without network opens the page from its service worker with the last numbers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { startTestApp, type TestApp } from '../../../testing/server/app.js';
import { browserForTests, launchBrowser } from '../../../testing/server/browser.js';
import { issueAndReport, levelOf, residentSites } from '../../../testing/pages/resident.js';

const hasBrowser = browserForTests();

describe.skipIf(!hasBrowser)('resident page offline', () => {
  let t: TestApp;
  let browser: Browser;

  beforeAll(async () => {
    t = await startTestApp({ sites: residentSites() });
    browser = await launchBrowser();
    // Known numbers before the page opens, so its first snapshot (the one it keeps) has them.
    await issueAndReport(t, 'west', { queue: 100 });
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('when the network goes off, then the page says so, its age keeps counting, and a reload offline shows the last snapshot', async () => {
    const context = await browser.newContext({
      viewport: { width: 390, height: 844 },
      locale: 'zh-CN',
      serviceWorkers: 'allow',
    });
    const page = await context.newPage();
    await page.goto(`${t.url}/`);
    await page.waitForSelector('body[data-ready]', { timeout: 60_000 });
    const connection = () => page.evaluate(() => document.documentElement.dataset.connection);
    await expect.poll(connection).toBe('live');
    await expect.poll(() => levelOf(page, '.site-list li[data-site-id="west"]')).toBe('medium');
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 20_000 });
    // The last snapshot is kept by the feed worker in the Cache API.
    await expect.poll(() => page.evaluate(async () => (await caches.match('/api/live')) !== undefined)).toBe(true);

    const banner = page.locator('[data-testid="conn-banner"]');
    const layoutBefore = await page.locator('.main').boundingBox();
    await context.setOffline(true);
    await expect.poll(connection, { interval: 100 }).toBe('offline');
    await expect.poll(() => banner.isVisible(), { interval: 100 }).toBe(true);
    const first = await banner.innerText();
    expect(first).toMatch(/网络已断开，数据停在 \d+ 秒前/);
    // The age counts on without data, and the banner lies over the page instead of pushing it down.
    await expect.poll(() => banner.innerText(), { interval: 200 }).not.toBe(first);
    expect(await page.locator('.main').boundingBox()).toEqual(layoutBefore);

    await page.reload();
    await page.waitForSelector('body[data-ready]', { timeout: 30_000 });
    await expect.poll(connection).toBe('offline');
    await expect.poll(() => banner.innerText()).toMatch(/网络已断开，数据停在 \d+ (秒|分钟)前/);
    expect(await page.locator('.site-list li[data-site-id]').count()).toBe(residentSites().length);
    expect(await levelOf(page, '.site-list li[data-site-id="west"]')).toBe('medium');

    await context.setOffline(false);
    await expect.poll(connection, { timeout: 20_000 }).toBe('live');
    await expect.poll(() => banner.isVisible()).toBe(false);
    await context.close();
  });
});
