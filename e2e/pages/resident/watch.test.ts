// "提醒我 / Notify me" in a site's details, in real Chromium against a real server without VAPID
// keys (page-open notifications; Web Push itself is tested against a local push service in
// server/routes/watches.test.ts). Notifications are permitted in the browser context, and every
// notification the page shows is recorded by wrapping the two ways it can show one. The live
// changes are staff reports through the API.
import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startTestApp, type TestApp } from '../../../testing/server/app.js';
import { browserForTests, launchBrowser, watchErrors } from '../../../testing/server/browser.js';
import { axeSerious } from '../../../testing/pages/axe.js';
import { issueAndReport, offset, residentSites, testSite } from '../../../testing/pages/resident.js';
import { ManualClock } from '../../../server/clock.js';

const hasBrowser = browserForTests();
const SHOTS = 'screenshots/tmp';

interface Shown {
  title: string;
  body: string;
  tag: string;
}

/** Runs in the page before its scripts: records every notification shown, then shows it. */
function recordNotifications(): void {
  const w = window as unknown as { __shown: Shown[] };
  w.__shown = [];
  const proto = ServiceWorkerRegistration.prototype;
  const show = proto.showNotification;
  proto.showNotification = function (title: string, options?: NotificationOptions) {
    w.__shown.push({ title, body: options?.body ?? '', tag: options?.tag ?? '' });
    return show.call(this, title, options);
  };
  const Native = window.Notification;
  const Recorded = function (title: string, options?: NotificationOptions) {
    w.__shown.push({ title, body: options?.body ?? '', tag: options?.tag ?? '' });
    return new Native(title, options);
  } as unknown as typeof Notification;
  Object.defineProperty(Recorded, 'permission', { get: () => Native.permission });
  Recorded.requestPermission = Native.requestPermission.bind(Native);
  window.Notification = Recorded;
}

const shown = (page: Page) => page.evaluate(() => (window as unknown as { __shown: Shown[] }).__shown);
const kept = (page: Page) => page.evaluate(() => localStorage.getItem('shortline.watches'));

describe.skipIf(!hasBrowser)('resident details: notify me', () => {
  let t: TestApp;
  let browser: Browser;

  beforeAll(async () => {
    t = await startTestApp({ sites: residentSites() });
    await issueAndReport(t, 'near', { queue: 80 }); // 20 minutes
    await issueAndReport(t, 'far', { queue: 120 }); // 30 minutes
    await issueAndReport(t, 'east', { queue: 0, status: 'closed' });
    browser = await launchBrowser();
    mkdirSync(SHOTS, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function open(
    path: string,
    opts: { lang?: 'zh-CN' | 'en'; grant?: boolean; app?: TestApp } = {},
  ): Promise<{ ctx: BrowserContext; page: Page; errors: string[] }> {
    const app = opts.app ?? t;
    const ctx = await browser.newContext({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
      bypassCSP: true,
    });
    if (opts.grant !== false) await ctx.grantPermissions(['notifications'], { origin: app.url });
    await ctx.addInitScript((l: string) => localStorage.setItem('shortline.lang', l), opts.lang ?? 'zh-CN');
    await ctx.addInitScript(recordNotifications);
    const page = await ctx.newPage();
    const errors = watchErrors(page);
    await page.goto(`${app.url}${path}`);
    await page.waitForSelector('body[data-ready]', { timeout: 60_000 });
    return { ctx, page, errors };
  }

  it('when a wait watch is set and the wait comes down, then one notification says so, with no animation frames running (a background tab), and the watch ends', async () => {
    const { page, errors, ctx } = await open('/?site=near');
    const block = page.locator('[data-testid=watch]');
    await expect.poll(() => block.locator('select').count()).toBe(1);
    // Only waits below the 20 minutes now; 10 proposed (the largest within 60% of it).
    expect(await block.locator('option').allTextContents()).toEqual(['5 分钟以内', '10 分钟以内', '15 分钟以内']);
    expect(await block.locator('select').inputValue()).toBe('10');
    expect(await block.locator('.watch-note').textContent()).toContain('仅在本页打开时提醒');
    expect(await block.locator('label').textContent()).toBe('等候降到');
    for (const el of [block.locator('select'), block.locator('button')]) {
      expect((await el.boundingBox())!.height).toBeGreaterThanOrEqual(44);
    }

    await block.getByRole('button', { name: '提醒我' }).click();
    await expect.poll(() => block.locator('.watch-on').textContent()).toContain('等候降到 10 分钟以内时提醒您');
    expect(await block.locator('[role=status]').textContent()).toBe('已设置提醒。');
    expect(JSON.parse((await kept(page))!)).toMatchObject([{ siteId: 'near', cond: { belowMinutes: 10 } }]);
    expect((await block.locator('.watch-cancel').boundingBox())!.height).toBeGreaterThanOrEqual(44);
    expect(await axeSerious(page)).toEqual([]);
    await page.screenshot({ path: `${SHOTS}/resident-watch-zh.png` });

    // Kept over a reload.
    await page.reload();
    await page.waitForSelector('body[data-ready]');
    await expect.poll(() => block.locator('.watch-on').count()).toBe(1);

    // A background tab runs no animation frames (headless Chromium keeps every tab visible, so this
    // is how the test gets one): the check must run on the live updates themselves.
    await page.evaluate(() => {
      const w = window as unknown as { __held: FrameRequestCallback[]; __raf: typeof requestAnimationFrame };
      w.__held = [];
      w.__raf = window.requestAnimationFrame;
      window.requestAnimationFrame = (cb) => (w.__held.push(cb), 0);
    });
    await issueAndReport(t, 'far', { queue: 100 }); // another site changing is no news
    await issueAndReport(t, 'near', { queue: 48 }); // 12 minutes: not yet
    await issueAndReport(t, 'near', { queue: 12 }); // 3 minutes
    await expect
      .poll(() => shown(page))
      .toEqual([{ title: '排队提醒：近处采样点', body: '现在约 3 分钟，已降到 10 分钟以内', tag: 'watch-near' }]);
    expect(await page.evaluate(() => (window as unknown as { __held: unknown[] }).__held.length)).toBeGreaterThan(0);
    expect(await kept(page)).toBeNull();
    await page.evaluate(() => {
      const w = window as unknown as { __held: FrameRequestCallback[]; __raf: typeof requestAnimationFrame };
      window.requestAnimationFrame = w.__raf;
      w.__held.splice(0).forEach((cb) => window.requestAnimationFrame(cb));
    });
    await expect.poll(() => block.locator('[role=status]').textContent()).toBe('已提醒，提醒已结束。');
    // 3 minutes: nothing lower to choose.
    expect(await block.textContent()).toContain('现在等候已很短，无需提醒。');

    // Ended: lower still, nothing more.
    await issueAndReport(t, 'near', { queue: 4 });
    await expect.poll(() => page.locator('.details[data-site-id=near] .d-facts').textContent()).toContain('排队 4 人');
    expect(await shown(page)).toHaveLength(1);
    expect(errors).toEqual([]);
    await ctx.close();
  });

  it('when a watched site is past its opening hours, then a short wait there is not notified until its hours open again', async () => {
    // 17:00 in Asia/Shanghai; the site breaks from 16:30 to 17:30. A fresh staff report keeps it
    // open on the map, but nobody is told "go now" (the same rule as the recommendations).
    const clock = new ManualClock(Date.parse('2026-12-07T09:00:00Z'));
    const hours = [
      { open: '08:00', close: '16:30' },
      { open: '17:30', close: '20:00' },
    ];
    const own = await startTestApp({ sites: [testSite('brk', '午休采样点', offset(0), { hours })], clock });
    try {
      await issueAndReport(own, 'brk', { queue: 80 });
      const { ctx, page, errors } = await open('/?site=brk', { app: own });
      const block = page.locator('[data-testid=watch]');
      await block.getByRole('button', { name: '提醒我' }).click();
      await expect.poll(() => block.locator('.watch-on').count()).toBe(1);
      await issueAndReport(own, 'brk', { queue: 8 });
      await expect.poll(() => page.locator('.details[data-site-id=brk] .d-facts').textContent()).toContain('排队 8 人');
      expect(await shown(page)).toEqual([]);
      expect(await kept(page)).not.toBeNull();
      clock.advance(40 * 60_000);
      await issueAndReport(own, 'brk', { queue: 6 });
      await expect.poll(() => shown(page)).toHaveLength(1);
      expect(errors).toEqual([]);
      await ctx.close();
    } finally {
      await own.close();
    }
  });

  it('when a watch is cancelled, then it is forgotten and nothing is shown when the wait comes down', async () => {
    const { ctx, page, errors } = await open('/?site=far');
    const block = page.locator('[data-testid=watch]');
    await block.getByRole('button', { name: '提醒我' }).click();
    await block.getByRole('button', { name: '取消提醒' }).click();
    expect(await block.locator('[role=status]').textContent()).toBe('已取消提醒。');
    expect(await kept(page)).toBeNull();
    await expect.poll(() => page.evaluate(() => document.activeElement?.className)).toMatch(/watch-/);
    await issueAndReport(t, 'far', { queue: 8 });
    await expect.poll(() => page.locator('.details[data-site-id=far] .d-facts').textContent()).toContain('排队 8 人');
    expect(await shown(page)).toEqual([]);
    expect(errors).toEqual([]);
    await ctx.close();
  });

  it('when a closed site is watched, then "when it reopens" is the choice, and its reopening is notified, in English', async () => {
    const { ctx, page, errors } = await open('/?site=east', { lang: 'en' });
    const block = page.locator('[data-testid=watch]');
    await block.getByRole('button', { name: 'Notify me when it reopens' }).click();
    await expect.poll(() => block.locator('.watch-on').textContent()).toContain('You will be notified when it reopens');
    await page.screenshot({ path: `${SHOTS}/resident-watch-en.png` });
    await issueAndReport(t, 'east', { queue: 20, status: 'open' });
    await expect
      .poll(() => shown(page))
      .toEqual([{ title: 'Queue alert: 东边采样点', body: 'Open again, about 5 min now', tag: 'watch-east' }]);
    expect(errors).toEqual([]);
    await ctx.close();
  });

  it('when notifications are not allowed, then no watch is kept and the page says how to allow them', async () => {
    const { ctx, page, errors } = await open('/?site=west', { grant: false });
    await ctx.clearPermissions();
    await page.evaluate(() => void 0);
    const block = page.locator('[data-testid=watch]');
    // "west" has no data: every choice, 10 proposed.
    await expect.poll(() => block.locator('select').inputValue()).toBe('10');
    const asked = page.evaluate(() => Notification.permission);
    expect(['default', 'denied']).toContain(await asked);
    await block.getByRole('button', { name: '提醒我' }).click();
    await expect.poll(() => block.locator('[role=status]').textContent()).toContain('通知权限未开启');
    expect(await kept(page)).toBeNull();
    expect(errors).toEqual([]);
    await ctx.close();
  });
});
