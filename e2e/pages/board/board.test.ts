// /board in real Chromium: at TV sizes in both orientations the sites show without overflow; when
// the server stops the page marks its data as old within 5 s; 10,000 deltas leave the heap and
// the DOM where they were.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LiveState, Site } from '../../../shared/schemas.js';
import { createApp } from '../../../server/app.js';
import { systemClock } from '../../../server/clock.js';
import { silentLogger } from '../../../server/logger.js';
import { createMemoryStore } from '../../../server/store/memory.js';
import { issueToken, report, startTestApp, type TestApp } from '../../../testing/server/app.js';
import { browserForTests, launchBrowser, watchErrors } from '../../../testing/server/browser.js';

const hasBrowser = browserForTests();
/** More sites than fit, with long names, to exercise paging and clipping. */
const sites: Site[] = Array.from({ length: 30 }, (_, i) => ({
  id: `gate-${i}`,
  name: i % 3 ? `白沙${i}号社区核酸采样点` : `江门市蓬江区白沙街道羊桥社区第${i}号临时核酸采样点（东门）`,
  district: '蓬江区',
  street: '白沙街道',
  lat: 22.59 + i / 1000,
  lng: 113.08,
  lanes: 2,
}));
const AREA = encodeURIComponent('白沙街道');

async function openBoard(browser: Browser, t: TestApp, viewport: { width: number; height: number }): Promise<Page> {
  const page = await browser.newPage({ viewport });
  await page.goto(`${t.url}/board?area=${AREA}`);
  await page.waitForSelector('html[data-connection="live"] .card[data-site-id="gate-0"][data-level="medium"]');
  return page;
}

describe.skipIf(!hasBrowser)('/board', () => {
  let browser: Browser;
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ sites });
    const { token } = await issueToken(t, 'gate-0');
    await report(t, token, 'gate-0', { queue: 80 });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  for (const viewport of [
    { width: 1920, height: 1080 },
    { width: 1080, height: 1920 },
  ]) {
    it(`at ${viewport.width}x${viewport.height} shows the sites in words without overflow, and pages through the rest`, async () => {
      const page = await openBoard(browser, t, viewport);
      const errors = watchErrors(page);
      await expect(page.locator('.card[data-site-id="gate-0"] .wait').innerText()).resolves.toBe(
        '排队约 20 分钟 · 人较多',
      );
      const m = await page.evaluate(() => {
        const cards = [...document.querySelectorAll<HTMLElement>('.card:not([hidden])')];
        const inside = (el: Element) => {
          const r = el.getBoundingClientRect();
          return r.left >= 0 && r.top >= 0 && r.right <= innerWidth + 0.5 && r.bottom <= innerHeight + 0.5;
        };
        return {
          shown: cards.length,
          clipped: cards
            .filter((c) => c.scrollHeight > c.clientHeight + 1 || c.scrollWidth > c.clientWidth + 1 || !inside(c))
            .map((c) => c.dataset.siteId),
          page:
            document.documentElement.scrollHeight <= innerHeight && document.documentElement.scrollWidth <= innerWidth,
          qrs: [...document.querySelectorAll<HTMLElement>('.qr-box')].map((q) =>
            inside(q) ? q.dataset.qrText : 'outside',
          ),
          paging: document.querySelector('.page')?.textContent,
        };
      });
      expect(m.shown).toBeGreaterThanOrEqual(4);
      expect(m.shown).toBeLessThan(30);
      expect(m.clipped).toEqual([]);
      expect(m.page).toBe(true);
      expect(m.qrs).toEqual([`${t.url}/`, `${t.url}/lite?area=${AREA}`]);
      expect(m.paging).toMatch(/^第 1\/\d+ 页$/);
      expect(errors).toEqual([]);
      await page.close();
    });
  }

  it('when 10,000 deltas arrive, the heap and the DOM stay where they were', { timeout: 240_000 }, async () => {
    const page = await openBoard(browser, t, { width: 1920, height: 1080 });
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    const measure = async () => {
      await cdp.send('HeapProfiler.collectGarbage');
      const { metrics } = await cdp.send('Performance.getMetrics');
      const get = (n: string) => metrics.find((x) => x.name === n)?.value ?? NaN;
      return { heap: get('JSHeapUsedSize'), nodes: get('Nodes') };
    };
    // Deltas sent straight down the server's sockets, chained from the version the page holds.
    let version = t.app.engine.currentVersion;
    const at = () => new Date().toISOString();
    const state = (i: number, n: number): LiveState => ({
      siteId: `gate-${i % 30}`,
      status: 'open',
      lanesOpen: 2,
      queue: n % 120,
      waitMinutes: Math.round((n % 120) / 4),
      level: n % 120 < 60 ? 'low' : n % 120 < 120 ? 'medium' : 'high',
      source: 'staff',
      updatedAt: at(),
      confidence: 1,
      pauseReason: null,
    });
    const caughtUp = () =>
      page.waitForFunction((v) => document.documentElement.dataset.version === String(v), version, { timeout: 60_000 });
    const drive = async (count: number, from: number) => {
      for (let n = from; n < from + count; n++) {
        t.app.io.emit('live:delta', {
          version: version + 1,
          since: version,
          at: at(),
          sites: [state(n, n), state(n + 7, n * 3)],
        });
        version += 1;
        // Wait for the page every 200 deltas: a page that falls a whole budget behind is cut by
        // the server's connection guard (by design), which this test is not about.
        if (n % 200 === 199) await caughtUp();
      }
      await caughtUp();
    };
    await drive(1000, 0);
    const before = await measure();
    await drive(10_000, 1000);
    const after = await measure();
    console.log(
      `board heap after 1,000 deltas ${(before.heap / 1e6).toFixed(2)} MB, after 11,000 ${(after.heap / 1e6).toFixed(2)} MB; nodes ${before.nodes} -> ${after.nodes}`,
    );
    expect(await page.evaluate(() => document.documentElement.dataset.connection)).toBe('live');
    expect(after.nodes).toBeLessThanOrEqual(before.nodes + 20);
    expect(after.heap).toBeLessThan(before.heap * 1.25);
    await cdp.detach();
    await page.close();
  });

  it(
    'when the server stops, the board marks its data as old within 5 s, never shows it as current, and reconnects when it is back',
    { timeout: 60_000 },
    async () => {
      const own = await startTestApp({ sites });
      const { token } = await issueToken(own, 'gate-0');
      await report(own, token, 'gate-0', { queue: 80 });
      const page = await openBoard(browser, own, { width: 1920, height: 1080 });
      await own.close();
      await page.waitForFunction(() => document.documentElement.dataset.connection !== 'live', undefined, {
        timeout: 15_000,
        polling: 100,
      });
      expect(await page.evaluate(() => document.documentElement.dataset.connection)).toBe('offline');
      await expect(page.locator('.banner').innerText()).resolves.toContain('连接中断');
      const look = await page
        .locator('.card[data-site-id="gate-0"] .wait')
        .evaluate((el) => getComputedStyle(el).textDecorationLine);
      expect(look).toBe('line-through');

      // A server comes back at the same address (a restart): the board reconnects by itself.
      const again = await createApp({
        config: own.config,
        store: createMemoryStore(),
        clock: systemClock,
        logger: silentLogger(),
        sites,
      });
      await again.listen(own.port, '127.0.0.1');
      try {
        const back = { ...own, app: again, close: () => again.close() };
        const { token: t2 } = await issueToken(back, 'gate-0');
        await report(back, t2, 'gate-0', { queue: 160 });
        await page.waitForSelector('html[data-connection="live"] .card[data-site-id="gate-0"][data-level="high"]', {
          timeout: 30_000,
        });
        await expect(page.locator('.banner').isHidden()).resolves.toBe(true);
      } finally {
        await page.close();
        await again.close();
      }
    },
  );
});
