// "If I leave at HH:MM" in a site's details, in real Chromium against a real server: a site with two
// weeks of archive gets a later departure's wait as a range from both witnesses; a site without
// any gets an answer for a near departure only and says plainly that it cannot see further; near
// midnight there is nothing left to choose. The server's clock is fixed (the page follows it), so
// nothing here depends on the hour the suite runs at.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { ManualClock } from '../../../server/clock.js';
import { emptyHourRow, HOUR } from '../../../server/archive/hour-rows.js';
import { createMemoryArchive } from '../../../server/archive/memory.js';
import type { HourArchive } from '../../../server/archive/types.js';
import type { LiveState } from '../../../shared/schemas.js';
import { startTestApp, type TestApp } from '../../../testing/server/app.js';
import { browserForTests, launchBrowser, watchErrors } from '../../../testing/server/browser.js';
import { axeSerious } from '../../../testing/pages/axe.js';
import { issueAndReport, offset, ORIGIN, testSite } from '../../../testing/pages/resident.js';
import { waitFor } from '../../../testing/wait.js';

const hasBrowser = browserForTests();

const DAY = 24 * HOUR;
/**
 * Monday 2026-12-07 09:50:10 in Jiangmen (UTC+8): the input proposes 09:55. The page's clock
 * follows the server's from its last frame, so it reads T0 plus at most the test's own duration:
 * minutes of slack before the proposal would move on.
 */
const T0 = Date.parse('2026-12-07T01:50:10Z');
/** Local midnight that starts T0's day. */
const MIDNIGHT = Date.parse('2026-12-06T16:00:00Z');
const SITES = [testSite('usual', '常规采样点', offset(600)), testSite('new', '新开采样点', offset(-600))];

/**
 * 14 days of archived hours (08:00-19:59) for `siteId`: the wait differs from day to day (10 to 30
 * minutes), so the typical hour has a wide spread.
 */
async function archiveDays(archive: HourArchive, siteId: string): Promise<void> {
  for (let d = 14; d >= 1; d--) {
    for (let hr = 8; hr < 20; hr++) {
      const hourMs = MIDNIGHT - d * DAY + hr * HOUR;
      const wait = 10 + (d % 5) * 5;
      const row = { ...emptyHourRow(hourMs), waitMean: wait, waitMax: wait, queueMean: wait * 4, queueMax: wait * 4 };
      await archive.putHour(hourMs, [[siteId, { ...row, carrierMinutes: 60, noneMinutes: 0 }]], hourMs + 35 * DAY);
    }
  }
}

describe.skipIf(!hasBrowser)('resident details: if I leave at HH:MM', () => {
  let t: TestApp;
  let clock: ManualClock;
  let browser: Browser;

  beforeAll(async () => {
    clock = new ManualClock(T0);
    const archive = createMemoryArchive(() => clock.now());
    await archiveDays(archive, 'usual');
    t = await startTestApp({ sites: SITES, clock, archive });
    await issueAndReport(t, 'usual', { queue: 80 });
    await issueAndReport(t, 'new', { queue: 40 });
    await waitFor(async () => {
      const body = (await (await fetch(`${t.url}/api/live`)).json()) as { sites: LiveState[] };
      if (!body.sites.every((l) => l.waitMinutes !== null)) throw new Error('waits not known yet');
    });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function open(path: string, lang: 'zh-CN' | 'en', opts: BrowserContextOptions = {}) {
    const ctx = await browser.newContext({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
      bypassCSP: true,
      ...opts,
    });
    await ctx.addInitScript((l: string) => localStorage.setItem('shortline.lang', l), lang);
    const page = await ctx.newPage();
    const errors = watchErrors(page);
    await page.goto(`${t.url}${path}`);
    await page.waitForSelector('body[data-ready]', { timeout: 60_000 });
    return { page, errors };
  }
  const answer = (page: Page) => page.locator('section.details [data-testid="trip"]');
  const located: BrowserContextOptions = {
    geolocation: { latitude: ORIGIN.lat, longitude: ORIGIN.lng },
    permissions: ['geolocation'],
  };

  it('when a site has two weeks of history, then a later departure gets the wait on arrival as a range, from both witnesses', async () => {
    const { page, errors } = await open('/?site=usual', 'zh-CN', located);
    const input = page.getByLabel('如果我在…出发');
    // The proposal: the page's clock (the server's, 09:50) rounded up to the next 5 minutes.
    await expect.poll(() => input.inputValue(), { timeout: 10_000 }).toBe('09:55');
    await expect(input.getAttribute('min')).resolves.toMatch(/^09:5[0-4]$/);
    await expect(input.getAttribute('max')).resolves.toBe('23:59');
    expect((await input.boundingBox())!.height).toBeGreaterThanOrEqual(44);
    // Leaving now-ish: today's trend and the usual for this hour.
    await expect.poll(() => answer(page).innerText(), { timeout: 10_000 }).toMatch(/含步行 \d+ 分钟/);

    await input.fill('12:00');
    await expect.poll(() => answer(page).innerText()).toContain('依据今天的走势和该时段的通常情况');
    const text = await answer(page).innerText();
    const m = /约 (\d\d):(\d\d) 到达，预计排队约 (\d+)–(\d+) 分钟/.exec(text);
    expect(m, text).not.toBeNull();
    const walk = Number(/含步行 (\d+) 分钟/.exec(text)![1]);
    // Arrival is the departure plus the walk shown; the range is one worth saying as a range.
    expect(Number(m![1]) * 60 + Number(m![2])).toBe(12 * 60 + walk);
    const [lo, hi] = [Number(m![3]), Number(m![4])];
    expect(hi - lo).toBeGreaterThanOrEqual(5);
    await expect(answer(page).getAttribute('aria-live')).resolves.toBe('polite');
    expect(await axeSerious(page)).toEqual([]);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('when a site has no history, then a near departure follows the trend and a far one says it cannot be predicted yet', async () => {
    const { page, errors } = await open('/?site=new', 'zh-CN', located);
    const input = page.getByLabel('如果我在…出发');
    await expect.poll(() => answer(page).getAttribute('data-plan'), { timeout: 10_000 }).toBe('ok');
    await input.fill('10:05');
    await expect.poll(() => answer(page).innerText()).toMatch(/约 10:\d\d 到达，预计排队约 \d+(–\d+)? 分钟/);
    await expect(answer(page).innerText()).resolves.toContain('依据今天的走势；');
    await input.fill('15:00');
    await expect.poll(() => answer(page).getAttribute('data-plan')).toBe('unknown');
    await expect(answer(page).innerText()).resolves.toBe('暂时还无法预测这么久以后的排队情况（历史数据不足）');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('when no start point is set, then the English page leaves the walk out and says so, and fits 320 px', async () => {
    const { page, errors } = await open('/?site=usual', 'en', { viewport: { width: 320, height: 568 } });
    const input = page.getByLabel('If I leave at');
    await input.fill('11:00');
    await expect
      .poll(() => answer(page).innerText(), { timeout: 10_000 })
      .toMatch(
        /^Arrive about 11:00, wait about \d+(–\d+)? min\s+Based on [^\n]*; no start point set, so no walk is included$/,
      );
    const overflow = await page.evaluate(() => {
      const d = document.querySelector<HTMLElement>('section.details')!;
      return d.scrollWidth - d.clientWidth;
    });
    expect(overflow).toBeLessThanOrEqual(0);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('when less than five minutes of the day are left, then no departure is offered and the page says why', async () => {
    // 23:55:30: four and a half minutes left, and as much slack before midnight.
    clock.set(MIDNIGHT + DAY - 4.5 * 60_000);
    const { page, errors } = await open('/?site=usual', 'zh-CN');
    await expect.poll(() => answer(page).getAttribute('data-plan'), { timeout: 10_000 }).toBe('late');
    await expect(answer(page).innerText()).resolves.toBe('今天已近午夜，无法再选更晚的出发时间');
    await expect(page.locator('#trip-at').isVisible()).resolves.toBe(false);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
