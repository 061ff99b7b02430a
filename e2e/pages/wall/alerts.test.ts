// A new alert on the wall, at 1080p and 4K: it appears (flagged as new), the needs-action panel
// lists the site, and the wall still fits its screen with nothing clipped.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultAlertConfig } from '../../../server/alerts/config.js';
import { issueToken, report } from '../../../testing/server/app.js';
import { browserForTests, launchBrowser, VIEWPORTS } from '../../../testing/server/browser.js';
import { openWall, startWallApp, wallLayout } from '../../../testing/pages/wall.js';

const hasBrowser = browserForTests();

describe.skipIf(!hasBrowser)('wall alerts', { timeout: 90_000 }, () => {
  let browser: Browser;
  let t: Awaited<ReturnType<typeof startWallApp>>;

  beforeAll(async () => {
    // Rules evaluated often, and a wait over 20 min alerts at once.
    t = await startWallApp({
      config: { alerts: { ...defaultAlertConfig, waitMinutes: 20, waitForMinutes: 0, evalMs: 200 } },
    });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  for (const [i, name, size] of [
    [0, '1920x1080', VIEWPORTS.wall],
    [1, '3840x2160', VIEWPORTS.wall4k],
  ] as const) {
    it(`when a site's wait crosses the rule at ${name}, then a new alert and its action show, and the wall still fits`, async () => {
      const { page, context, errors } = await openWall(browser, t, size);
      // The page has taken the state of things; an alert opened after that is news.
      await page.waitForSelector('[data-list="alerts"]');
      const siteId = t.app.engine.sites[i]!.id;
      const { token } = await issueToken(t, siteId);
      expect((await report(t, token, siteId, { queue: 400, lanesOpen: 1 })).status).toBe(200);
      // The wall polls alerts every few seconds.
      const alert = page.locator(`[data-list="alerts"] li[data-alert][data-site-id="${siteId}"]`);
      await alert.waitFor({ timeout: 30_000 });
      await expect(alert.innerText()).resolves.toContain(t.app.engine.site(siteId)!.name);
      await page.waitForSelector('[data-new-alerts]:not([data-new-alerts="0"])');
      await page.waitForSelector(`[data-list="actions"] li[data-action][data-site-id="${siteId}"]`, {
        timeout: 30_000,
      });
      const l = await wallLayout(page);
      expect(l.sh).toBeLessThanOrEqual(l.ih);
      expect(l.sw).toBeLessThanOrEqual(l.iw);
      expect(l.clipped).toEqual([]);
      expect(l.offscreen).toEqual([]);
      expect(l.minFont).toBeGreaterThanOrEqual(size.height * 0.015);
      expect(errors).toEqual([]);
      await context.close();
    });
  }
});
