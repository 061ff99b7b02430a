// The resident details' "usually" in real Chromium, from the hourly archive: a site with 14 archived
// days shows the typical chart for today's kind of day; a site with 6 says there is not enough data.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { startTestApp, type TestApp } from '../../../testing/server/app.js';
import { browserForTests, launchBrowser } from '../../../testing/server/browser.js';
import { openResident, residentSites } from '../../../testing/pages/resident.js';
import { emptyHourRow, HOUR } from '../../../server/archive/hour-rows.js';
import { createMemoryArchive } from '../../../server/archive/memory.js';
import type { HourArchive } from '../../../server/archive/types.js';

const hasBrowser = browserForTests();

const DAY = 24 * HOUR;
/** The last midnight in Jiangmen (UTC+8, no daylight saving). */
const midnight = () => Math.floor((Date.now() + 8 * HOUR) / DAY) * DAY - 8 * HOUR;

/** Archived hours for `siteId` from `fromMs` up to `toMs`: a 20-minute wait in every hour. */
async function archiveHours(archive: HourArchive, siteId: string, fromMs: number, toMs: number): Promise<void> {
  for (let h = fromMs; h < toMs; h += HOUR) {
    const row = { ...emptyHourRow(h), waitMean: 20, waitMax: 25, queueMean: 40, queueMax: 50 };
    await archive.putHour(h, [[siteId, { ...row, carrierMinutes: 60, noneMinutes: 0 }]], h + 35 * DAY);
  }
}

describe.skipIf(!hasBrowser)('resident details: typical week from the archive', () => {
  let t: TestApp;
  let browser: Browser;

  beforeAll(async () => {
    const archive = createMemoryArchive(() => Date.now());
    // 14 whole local days before today; 6 for 'far' (exactly 6 local days, today none).
    await archiveHours(archive, 'near', midnight() - 14 * DAY, midnight());
    await archiveHours(archive, 'far', midnight() - 6 * DAY, midnight());
    t = await startTestApp({ sites: residentSites(), archive });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('when a site has 14 archived days, then its details chart the usual wait for this kind of day', async () => {
    const { page, errors } = await openResident(browser, t, '/?site=near');
    const charts = page.locator('section.details[data-site-id="near"] .d-charts');
    await expect.poll(() => charts.innerText(), { timeout: 10_000 }).toMatch(/(工作日|周末)通常各时段等候/);
    expect(await charts.locator('canvas').count()).toBeGreaterThan(0);
    expect(await charts.locator('[data-testid="typical-none"]').count()).toBe(0);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('when a site has 6 archived days, then its details say there is not enough data yet', async () => {
    const { page, errors } = await openResident(browser, t, '/?site=far');
    const none = page.locator('section.details[data-site-id="far"] [data-testid="typical-none"]');
    await expect.poll(() => none.innerText(), { timeout: 10_000 }).toContain('现有 6 天');
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
