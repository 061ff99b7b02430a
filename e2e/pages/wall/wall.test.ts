// The wall in real Chromium against a real app with the bundled city (986 sites) and a manual clock.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueToken, report } from '../../../testing/server/app.js';
import { browserForTests, launchBrowser, VIEWPORTS } from '../../../testing/server/browser.js';
import {
  carrierBatch,
  kpis,
  openWall,
  startWallApp,
  summary,
  wallLayout,
  WALL_T0,
} from '../../../testing/pages/wall.js';

const hasBrowser = browserForTests();
const MIN = 60_000;

// Real Chromium on a shared machine: generous limits, the assertions poll rather than sleep.
describe.skipIf(!hasBrowser)('wall display', { timeout: 60_000 }, () => {
  let browser: Browser;
  let t: Awaited<ReturnType<typeof startWallApp>>;

  beforeAll(async () => {
    t = await startWallApp();
    browser = await launchBrowser();
    // Some city: carrier estimates for every site, staff counts for a few.
    await carrierBatch(
      t,
      t.app.engine.sites.map((s, i) => ({ siteId: s.id, people: (i * 37) % 120 })),
    );
    for (const s of t.app.engine.sites.slice(0, 5)) {
      const { token } = await issueToken(t, s.id);
      expect((await report(t, token, s.id, { queue: 20 })).status).toBe(200);
    }
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  for (const [name, size] of [
    ['1920x1080', VIEWPORTS.wall],
    ['3840x2160', VIEWPORTS.wall4k],
  ] as const) {
    it(`when shown at ${name}, then it fits exactly with no scrollbars, nothing clipped, text readable from across a room`, async () => {
      const { page, context, errors } = await openWall(browser, t, size);
      await page.waitForFunction(
        () => Number(document.querySelector('canvas[data-chart="city"]')?.getAttribute('data-points')) > 0,
      );
      const l = await wallLayout(page);
      expect(l.sh).toBeLessThanOrEqual(l.ih);
      expect(l.sw).toBeLessThanOrEqual(l.iw);
      expect([l.iw, l.ih]).toEqual([size.width, size.height]);
      expect(l.clipped).toEqual([]);
      expect(l.offscreen).toEqual([]);
      // 1.5% of the screen height: 16 px on a 1080p wall, 32 px on 4K.
      expect(l.minFont).toBeGreaterThanOrEqual(size.height * 0.015);
      // Every site is on the map, as an element naming the site and its level.
      expect(await page.locator('.map path[data-site-id][data-level]').count()).toBe(t.app.engine.sites.length);
      expect(errors).toEqual([]);
      await context.close();
    });
  }

  it('when open, then the totals and district rows equal /api/summary', async () => {
    const { page, context } = await openWall(browser, t, VIEWPORTS.wall);
    const s = await summary(t);
    await expect
      .poll(() => kpis(page))
      .toEqual({
        queue: s.totals.queue,
        open: s.totals.open,
        wait: s.totals.waitMinutesAvg,
        low: s.totals.low,
        medium: s.totals.medium,
        high: s.totals.high,
        stale: s.totals.unknown,
      });
    for (const d of s.districts) {
      const cells = await page.locator(`tr[data-district="${d.district}"] td`).allTextContents();
      expect(cells[1]!.replace(/,/g, '')).toBe(String(d.queue));
      expect(cells[3]).toBe(`${d.open}/${d.sites}`);
    }
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
    await context.close();
  });

  it('when a staff report arrives, then the open page updates totals, the top list and the map', async () => {
    const { page, context } = await openWall(browser, t, VIEWPORTS.wall);
    const site = t.app.engine.sites[40]!;
    const before = (await kpis(page)).queue!;
    const previous = t.app.engine.liveOf(site.id)?.queue ?? 0;
    const { token } = await issueToken(t, site.id);
    expect((await report(t, token, site.id, { queue: 2000 })).status).toBe(200);
    await expect.poll(async () => (await kpis(page)).queue).toBe(before - previous + 2000);
    expect((await kpis(page)).queue).toBe((await summary(t)).totals.queue);
    const first = page.locator('[data-list="longest"] li').first();
    await expect.poll(() => first.getAttribute('data-site-id')).toBe(site.id);
    expect(await first.getAttribute('data-level')).toBe('high');
    expect(await first.textContent()).toContain(site.name);
    await expect
      .poll(() => page.locator(`.map path[data-site-id="${site.id}"]`).getAttribute('data-level'))
      .toBe('high');
    await context.close();
  });

  it('when English is asked for in the address, then the wall is in English without any interaction', async () => {
    const { page, context } = await openWall(browser, t, VIEWPORTS.wall, '/wall?lang=en');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    expect(await page.locator('[data-kpi="queue"] .k').textContent()).toBe('People queuing');
    // English words are longer; they must still fit.
    const l = await wallLayout(page);
    expect(l.clipped).toEqual([]);
    expect(l.sh).toBeLessThanOrEqual(l.ih);
    await context.close();
  });

  it('when the connection drops, then the wall says so, reconnects by itself and shows what changed meanwhile', async () => {
    const { page, context } = await openWall(browser, t, VIEWPORTS.wall);
    await page.waitForSelector('.status[data-connected="true"]');
    const site = t.app.engine.sites[120]!;
    const { token } = await issueToken(t, site.id);
    // Cut every transport (as a network blip would); the client reconnects after its back-off.
    for (const s of t.app.io.of('/').sockets.values()) s.conn.close();
    await page.waitForSelector('.status[data-connected="false"]');
    expect((await report(t, token, site.id, { queue: 3000 })).status).toBe(200);
    await page.waitForSelector('.status[data-connected="true"]', { timeout: 15_000 });
    await expect
      .poll(() => page.locator('[data-list="longest"] li').first().getAttribute('data-site-id'))
      .toBe(site.id);
    await expect.poll(async () => (await kpis(page)).queue).toBe((await summary(t)).totals.queue);
    await context.close();
  });

  // Last: it moves the clock, which ages every other site too.
  it('when a site stops reporting past STAFF_STALE_MIN, then it appears in the stale list with how long', async () => {
    const { page, context } = await openWall(browser, t, VIEWPORTS.wall);
    const site = t.app.engine.sites[77]!;
    const { token } = await issueToken(t, site.id);
    t.clock.set(WALL_T0 + MIN);
    expect((await report(t, token, site.id, { queue: 12 })).status).toBe(200);
    await expect
      .poll(() => page.locator(`.map path[data-site-id="${site.id}"]`).getAttribute('data-level'))
      .not.toBe('unknown');
    t.clock.advance((t.config.staffStaleMin + 2) * MIN);
    const row = page.locator(`[data-list="stale"] li[data-site-id="${site.id}"]`);
    await row.waitFor();
    expect(await row.textContent()).toContain(site.name);
    expect(await row.textContent()).toMatch(new RegExp(`已中断 ${t.config.staffStaleMin + 2} 分钟`));
    // The most recently dark site leads the list.
    expect(await page.locator('[data-list="stale"] li').first().getAttribute('data-site-id')).toBe(site.id);
    expect(await row.getAttribute('data-level')).toBe('unknown');
    await context.close();
  });
});
