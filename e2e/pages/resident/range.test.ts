// The resident page says a wait as a range where the estimate is wide and marks a rough one
// (shared/plain-words.ts waitShape), in the list, the details and the recommendations; it never
// recommends a site under a command-centre "closed" or "go elsewhere" notice, a paused site, one
// past its hours or one closing before the resident gets there; choosing to go sends an anonymous
// intent.
// Real Chromium, real server and store; the server's clock is fixed so that "closing" is certain.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ManualClock } from '../../../server/clock.js';
import type { LiveState, Site } from '../../../shared/schemas.js';
import { startTestApp, TEST_ADMIN_TOKEN, type TestApp } from '../../../testing/server/app.js';
import { browserForTests, launchBrowser, watchErrors } from '../../../testing/server/browser.js';
import { axeSerious } from '../../../testing/pages/axe.js';
import { issueAndReport, offset, ORIGIN, postCarrier, testSite } from '../../../testing/pages/resident.js';
import { waitFor } from '../../../testing/wait.js';

const hasBrowser = browserForTests();

/** Monday 09:55 in Asia/Shanghai: "late" closes at 10:00, before anyone can walk there. */
const T0 = Date.parse('2026-12-07T01:55:00Z');
/** Every site that must never be recommended is nearer than every one that may. */
const SITES: Site[] = [
  testSite('good', '推荐采样点', offset(600)),
  testSite('wide', '宽幅采样点', offset(900)),
  testSite('rough', '粗估采样点', offset(-900)),
  testSite('redirected', '改道采样点', offset(100)),
  testSite('shut', '通知关闭点', offset(-100)),
  testSite('paused', '暂停采样点', offset(0, 150)),
  testSite('late', '将关门采样点', offset(0, -400), { hours: [{ open: '08:00', close: '10:00' }] }),
  // Past its hours, kept open by a fresh staff report: open on the map, but nobody is sent there.
  testSite('after', '已过时段采样点', offset(0, 250), { hours: [{ open: '07:00', close: '09:50' }] }),
];
const MAY = ['good', 'rough', 'wide'];
const NEVER = ['after', 'late', 'paused', 'redirected', 'shut'];

declare global {
  interface Window {
    /** Every site id that was ever in the recommendations since the page started. */
    __recommended?: Set<string>;
  }
}

describe.skipIf(!hasBrowser)('resident page: wait ranges and advice that respects notices', () => {
  let t: TestApp;
  let browser: Browser;
  let live: Map<string, LiveState>;

  const notice = async (body: Record<string, unknown>) => {
    const res = await fetch(`${t.url}/api/admin/notices`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ ttlMinutes: 120, ...body }),
    });
    expect(res.status).toBe(201);
  };

  beforeAll(async () => {
    t = await startTestApp({ sites: SITES, clock: new ManualClock(T0) });
    for (const id of ['good', 'redirected', 'shut', 'late', 'after']) await issueAndReport(t, id, { queue: 0 });
    await issueAndReport(t, 'paused', { queue: 0, status: 'paused', pauseReason: 'supplies' });
    // Carrier readings only, never checked against a staff count: wide ranges, the larger one rough.
    const res = await postCarrier(t, [
      { siteId: 'wide', people: 100, confidence: 0.8 },
      { siteId: 'rough', people: 500, confidence: 0.8 },
    ]);
    expect(res.ok).toBe(true);
    await notice({ siteId: 'redirected', kind: 'redirect', redirectSiteId: 'good', message: '试剂用完，请改去别处' });
    await notice({ siteId: 'shut', kind: 'closed', message: '今日停止采样' });
    await waitFor(async () => {
      const body = (await (await fetch(`${t.url}/api/live`)).json()) as { sites: LiveState[] };
      live = new Map(body.sites.map((l) => [l.siteId, l]));
      if (live.get('rough')?.source !== 'carrier') throw new Error('carrier reading not fused yet');
    });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  /** A located phone that records every recommendation it ever shows, from the first paint on. */
  async function phone(
    viewport = { width: 390, height: 844 },
    lang: 'zh-CN' | 'en' = 'zh-CN',
    elderly = false,
  ): Promise<BrowserContext> {
    const ctx = await browser.newContext({
      viewport,
      locale: 'zh-CN',
      isMobile: true,
      hasTouch: true,
      geolocation: { latitude: ORIGIN.lat, longitude: ORIGIN.lng },
      permissions: ['geolocation'],
      bypassCSP: true, // axe is injected as a script
    });
    await ctx.addInitScript(
      ([l, large]: [string, boolean]) => {
        localStorage.setItem('shortline.lang', l);
        localStorage.setItem('shortline.elderly', large ? '1' : '0');
        const seen = (window.__recommended = new Set<string>());
        new MutationObserver(() => {
          for (const li of document.querySelectorAll<HTMLElement>('.best-list li[data-site-id]'))
            seen.add(li.dataset.siteId!);
        }).observe(document, { subtree: true, childList: true, attributes: true });
      },
      [lang, elderly] as [string, boolean],
    );
    return ctx;
  }

  async function open(ctx: BrowserContext, path = '/'): Promise<{ page: Page; errors: string[] }> {
    const page = await ctx.newPage();
    const errors = watchErrors(page);
    await page.goto(`${t.url}${path}`);
    await page.waitForSelector('body[data-ready]', { timeout: 60_000 });
    return { page, errors };
  }

  const recommended = (page: Page) =>
    page.locator('.best-list li[data-site-id]').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.siteId));
  const rangeOf = (id: string) => live.get(id)!.waitRange!;

  it('when the estimates are wide, then the server sends ranges wide enough to be shown, one of them unsure', () => {
    // The premise of the tests below, from the real estimator: a 5+ minute range spanning at
    // least half the wait, and a confidence under 0.5 only at the larger carrier-only site.
    for (const id of ['wide', 'rough']) {
      const [lo, hi] = rangeOf(id);
      expect(hi - lo).toBeGreaterThanOrEqual(Math.max(5, live.get(id)!.waitMinutes! / 2));
    }
    expect(live.get('wide')!.confidence).toBeGreaterThanOrEqual(0.5);
    expect(live.get('rough')!.confidence).toBeLessThan(0.5);
    expect(live.get('good')!.waitRange![1] - live.get('good')!.waitRange![0]).toBeLessThan(5);
  });

  it('when sites are under notices, paused, past their hours or closing before arrival, then they are never recommended, and the rows and details say why', async () => {
    const ctx = await phone();
    const { page, errors } = await open(ctx);
    await expect.poll(async () => (await recommended(page)).sort()).toEqual(MAY);
    await expect(page.locator('.best-list li[data-rank="1"]').getAttribute('data-site-id')).resolves.toBe('good');
    // Every site the page knows about is shown with its state, and none of the others ever made the list.
    await expect.poll(() => page.locator('.site-list li[data-level="unknown"]').count()).toBe(0);
    expect([...(await page.evaluate(() => [...window.__recommended!]))].sort()).toEqual(MAY);
    // The premise: the site past its hours is open with the shortest line (its staff said so).
    await expect(page.locator('.site-list li[data-site-id="after"]').getAttribute('data-level')).resolves.toBe('low');

    // The rows: "not advised" instead of a green level, the wait muted; a paused site offers no wait.
    for (const [id, kind] of [
      ['redirected', 'redirect'],
      ['shut', 'closed'],
    ] as const) {
      const row = page.locator(`.site-list li[data-site-id="${id}"]`);
      await expect(row.getAttribute('data-level')).resolves.toBe('low');
      // Rows are redrawn on the animation frame after the notices came.
      await expect
        .poll(() => row.locator(`.row-mid .avoid-chip[data-avoid="${kind}"]`).allInnerTexts())
        .toEqual([expect.stringContaining('不推荐')]);
      await expect(row.locator('.row-mid .chip.lv-low').count()).resolves.toBe(0);
      await expect(row.locator('.wait.avoided').count()).resolves.toBe(1);
    }
    await expect(page.locator('.site-list li[data-site-id="paused"] .wait').innerText()).resolves.toBe('暂停');

    // The details of the redirected site: why, where to go instead, and no green chip.
    await page.locator('.site-list li[data-site-id="redirected"] .row-btn').click();
    const details = page.locator('section.details[data-site-id="redirected"]');
    await expect.poll(() => details.isVisible()).toBe(true);
    await expect(details.locator('.d-level .avoid-chip').isVisible()).resolves.toBe(true);
    await expect(details.locator('.d-level .chip.lv-low').count()).resolves.toBe(0);
    await expect(details.locator('.d-wait.avoided').count()).resolves.toBe(1);
    await expect(details.locator('.d-notices [data-avoid="redirect"]').innerText()).resolves.toContain(
      '不推荐前往：指挥中心请大家改去别处',
    );
    await details.locator('.d-notices [data-avoid="redirect"] a[data-open-site="good"]').click();
    await expect.poll(() => page.locator('section.details').getAttribute('data-site-id')).toBe('good');
    await expect(page.locator('section.details .d-level .chip.lv-low').count()).resolves.toBe(1);

    // New data keeps them out: a frame later the list is the same, and nothing else ever showed.
    await issueAndReport(t, 'redirected', { queue: 0, lanesOpen: 2 });
    await issueAndReport(t, 'paused', { queue: 0, status: 'paused', pauseReason: 'break' });
    await expect.poll(() => page.locator('.site-list li[data-site-id="paused"]').innerText()).toMatch(/休息|暂停/);
    expect((await recommended(page)).sort()).toEqual(MAY);
    const seen = await page.evaluate(() => [...window.__recommended!]);
    for (const id of NEVER) expect(seen).not.toContain(id);
    expect(errors).toEqual([]);
    await ctx.close();
  });

  it('when the socket is slow to connect, then the page recommends nothing until it knows the notices, and then not those sites', async () => {
    // Websocket upgrades wait in the server until released (the feed's socket is opened by the
    // page's worker, where the browser's routing does not reach); the page has only the live states
    // it preloads over HTTP. Its own request for the notices is held too, then let through. The
    // live states come only after the list is drawn from the registry: the page has judged ages by
    // the device's clock (twelve hours ahead of the server's fixed one) before it learns the
    // server's, and must judge them again by the server's once it does.
    const socketGate = gate();
    const server = t.app.httpServer;
    const upgrades = server.listeners('upgrade') as Array<(...a: unknown[]) => void>;
    server.removeAllListeners('upgrade');
    server.on('upgrade', (...args: unknown[]) => {
      void socketGate.held.then(() => upgrades.forEach((l) => l.apply(server, args)));
    });
    let reopened = false;
    /** Lets the held upgrades through and puts the server's own listeners back (once). */
    const reopen = () => {
      if (reopened) return;
      reopened = true;
      socketGate.release();
      server.removeAllListeners('upgrade');
      for (const l of upgrades) server.on('upgrade', l);
    };
    const noticesGate = gate();
    const liveGate = gate();
    const ctx = await phone();
    // Whatever fails, the later tests get a server that takes sockets again.
    try {
      await ctx.route(/\/api\/notices$/, async (r) => {
        await noticesGate.held;
        await r.continue();
      });
      await ctx.route(/\/api\/live$/, async (r) => {
        await liveGate.held;
        await r.continue();
      });
      const page = await ctx.newPage();
      const errors = watchErrors(page);
      await page.goto(`${t.url}/`, { waitUntil: 'commit' });
      await expect.poll(() => page.locator('.site-list li[data-site-id]').count()).toBe(SITES.length);
      expect(await page.locator('.site-list li[data-site-id="redirected"]').getAttribute('data-level')).toBe('unknown');
      liveGate.release();
      await expect
        .poll(() => page.locator('.best-body [role="status"]').allInnerTexts())
        .toEqual(['正在确认指挥中心的最新通知…']);
      // The states are there (a short queue at the redirected site), the advice is not.
      await expect
        .poll(() => page.locator('.site-list li[data-site-id="redirected"]').getAttribute('data-level'))
        .toBe('low');
      expect(await recommended(page)).toEqual([]);
      noticesGate.release();
      await expect.poll(async () => (await recommended(page)).sort()).toEqual(MAY);
      // The list rows follow on the next animation frame.
      await expect.poll(() => page.locator('.site-list li[data-site-id="redirected"] .avoid-chip').count()).toBe(1);
      reopen();
      await expect.poll(() => page.evaluate(() => document.documentElement.dataset.connection)).toBe('live');
      expect((await recommended(page)).sort()).toEqual(MAY);
      expect((await page.evaluate(() => [...window.__recommended!])).sort()).toEqual(MAY);
      expect(errors).toEqual([]);
    } finally {
      noticesGate.release();
      liveGate.release();
      reopen();
      await ctx.close();
    }
  });

  for (const [lang, span, point, roughWord] of [
    ['zh-CN', (lo: number, hi: number) => `约 ${lo}–${hi} 分钟`, '约 0 分钟', '粗估'],
    ['en', (lo: number, hi: number) => `about ${lo}–${hi} min`, 'about 0 min', 'rough'],
  ] as const) {
    it(`when a range is wide, then the row, the details and the recommendation show it, with a rough mark where unsure (${lang})`, async () => {
      const [wLo, wHi] = rangeOf('wide');
      const [rLo, rHi] = rangeOf('rough');
      const ctx = await phone(undefined, lang);
      const { page, errors } = await open(ctx);
      const row = (id: string) => page.locator(`.site-list li[data-site-id="${id}"] .wait`);
      await expect.poll(() => row('wide').innerText()).toBe(span(wLo, wHi));
      await expect(row('rough').innerText()).resolves.toMatch(new RegExp(`^${span(rLo, rHi)}\\s*${roughWord}$`));
      await expect(row('rough').locator('.rough').innerText()).resolves.toBe(roughWord);
      await expect(row('wide').locator('.rough').count()).resolves.toBe(0);
      // A staff count just made is sure and narrow: a plain point.
      await expect(row('good').innerText()).resolves.toBe(point);
      // The recommendation says the wait on arrival by the same rule (nothing is on its way yet).
      const best = page.locator('.best-list li[data-site-id="wide"] .best-line');
      await expect.poll(() => best.allInnerTexts()).toEqual([expect.stringContaining(span(wLo, wHi))]);
      await expect(page.locator('.best-list li[data-site-id="rough"] .best-line .rough').innerText()).resolves.toBe(
        roughWord,
      );
      await page.locator('.site-list li[data-site-id="rough"] .row-btn').click();
      const d = page.locator('section.details[data-site-id="rough"] .d-wait');
      await expect.poll(() => d.innerText()).toContain(span(rLo, rHi));
      await expect(d.locator('.rough').innerText()).resolves.toBe(roughWord);
      expect(errors).toEqual([]);
      await ctx.close();
    });
  }

  for (const [lang, elderly] of [
    ['zh-CN', false],
    ['en', false],
    ['zh-CN', true],
  ] as const) {
    it(`when the phone is 320 px wide, then ranges and rough marks fit their rows (${lang}${elderly ? ', large text' : ''})`, async () => {
      const ctx = await phone({ width: 320, height: 640 }, lang, elderly);
      const { page, errors } = await open(ctx);
      await expect.poll(() => page.locator('.site-list .wait .rough').count()).toBe(1);
      await expect.poll(async () => (await recommended(page)).length).toBe(3);
      const overflow = await page.evaluate(() => {
        const out: string[] = [];
        if (document.documentElement.scrollWidth > innerWidth) out.push(`page ${document.documentElement.scrollWidth}`);
        for (const el of document.querySelectorAll<HTMLElement>('.site-row, .best-item')) {
          const box = el.getBoundingClientRect();
          if (el.scrollWidth > el.clientWidth + 1) out.push(`${el.dataset.siteId} scrolls`);
          for (const part of el.querySelectorAll<HTMLElement>('.wait, .best-line, .rough')) {
            const r = part.getBoundingClientRect();
            if (r.right > box.right + 0.5 || r.left < box.left - 0.5)
              out.push(`${el.dataset.siteId} ${part.className}`);
          }
        }
        return out;
      });
      expect(overflow).toEqual([]);
      expect(errors).toEqual([]);
      await ctx.close();
    });
  }

  for (const [lang, path] of [
    ['zh-CN', '/'],
    ['en', '/'],
    ['zh-CN', '/?site=redirected'],
    ['en', '/?site=rough'],
  ] as const) {
    it(`with ranges, rough marks and "not advised" sites shown, axe finds no serious or critical violations (${lang} ${path})`, async () => {
      const ctx = await phone(undefined, lang);
      const { page } = await open(ctx, path);
      await expect.poll(() => page.locator('.rough').count()).toBeGreaterThan(0);
      if (path === '/') await expect.poll(async () => (await recommended(page)).length).toBe(3);
      else await page.waitForSelector('#d-title');
      expect(await axeSerious(page)).toEqual([]);
      await ctx.close();
    });
  }

  it('when the resident follows a navigation link of a recommended site, then one anonymous intent is sent with the walk as its arrival time', async () => {
    const ctx = await phone();
    // The map apps' pages are not this test's business: answer them locally.
    await ctx.route(/^https:\/\/(uri\.amap\.com|maps\.apple\.com)\//, (r) =>
      r.fulfill({ contentType: 'text/html', body: '<title>map</title>' }),
    );
    const { page, errors } = await open(ctx);
    const item = page.locator('.best-list li[data-site-id="wide"]');
    await expect.poll(() => item.count()).toBe(1);
    const walk = Number((await item.locator('.best-line').innerText()).match(/步行 (\d+) 分钟/)![1]);
    const before = await enRoute('wide');
    await item.locator('.best-btn').click();
    const details = page.locator('section.details[data-site-id="wide"]');
    await expect.poll(() => details.isVisible()).toBe(true);
    const sent = page.waitForRequest((r) => r.url().endsWith('/api/intents') && r.method() === 'POST');
    const popup = ctx.waitForEvent('page');
    await details.locator('a.nav-amap').click();
    const req = await sent;
    expect(req.postDataJSON()).toEqual({ siteId: 'wide', etaMinutes: walk });
    await (await popup).close();
    await expect(details.locator('.go-sent[role="status"]').innerText()).resolves.toContain('已告知系统您正在前往');
    await expect.poll(() => enRoute('wide')).toBe(before + 1);
    // A second link for the same site is the same trip: the page counts it once (the note comes
    // from the same click handler that would send a second intent).
    const second = ctx.waitForEvent('page');
    await details.locator('a.nav-apple').click();
    await (await second).close();
    expect(await page.locator('.go-sent').count()).toBe(1);
    expect(errors).toEqual([]);
    await ctx.close();
  });

  function gate(): { held: Promise<void>; release: () => void } {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    return { held, release };
  }

  async function enRoute(siteId: string): Promise<number> {
    const res = await fetch(`${t.url}/api/intents`);
    return ((await res.json()) as { enRoute: Record<string, number> }).enRoute[siteId] ?? 0;
  }
});
