// The resident page in real Chromium against a real server and store.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { issueToken, report, startTestApp, TEST_ADMIN_TOKEN, type TestApp } from '../../../testing/server/app.js';
import { browserForTests, launchBrowser, VIEWPORTS, watchErrors } from '../../../testing/server/browser.js';
import {
  HOSTILE_NAME,
  issueAndReport,
  levelOf,
  lowContrastTexts,
  openResident,
  ORIGIN,
  residentSites,
  restartOnPort,
} from '../../../testing/pages/resident.js';

const hasBrowser = browserForTests();

declare global {
  interface Window {
    __xss?: unknown;
  }
}

describe.skipIf(!hasBrowser)('resident page', () => {
  let t: TestApp;
  let browser: Browser;
  const tokens = new Map<string, string>();
  const staff = async (siteId: string, body: Record<string, unknown>) => {
    if (!tokens.has(siteId)) tokens.set(siteId, (await issueToken(t, siteId)).token);
    const res = await report(t, tokens.get(siteId)!, siteId, body);
    expect(res.status).toBe(200);
  };

  beforeAll(async () => {
    t = await startTestApp({ sites: residentSites() });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('when the page loads, then every site is listed and drawn on the map with its level', async () => {
    const { page, errors } = await openResident(browser, t);
    await expect.poll(() => page.locator('.site-list li[data-site-id]').count()).toBe(residentSites().length);
    // Zoomed to five sites, the map shows labels, each an element carrying the site's attributes.
    await expect.poll(() => page.locator('.site-labels [data-site-id]').count()).toBeGreaterThan(0);
    for (const el of await page.locator('[data-site-id]').all())
      expect(await el.getAttribute('data-level')).toMatch(/^(low|medium|high|closed|unknown)$/);
    expect(await levelOf(page, '.site-list li[data-site-id="near"]')).toBe('unknown');
    await expect(page.locator('.site-list li[data-site-id="near"]').innerText()).resolves.toContain('暂无数据');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it("when staff report a long queue, then the open page changes the site's data-level (its latency is a benchmark: report-to-phone)", async () => {
    const { page, errors } = await openResident(browser, t);
    const t0 = Date.now();
    await staff('west', { queue: 100 });
    await expect.poll(() => levelOf(page, '.site-list li[data-site-id="west"]'), { interval: 25 }).toBe('medium');
    const listMs = Date.now() - t0;
    await expect.poll(() => levelOf(page, '.site-labels [data-site-id="west"]')).toBe('medium');
    await expect(page.locator('.site-list li[data-site-id="west"] .wait').innerText()).resolves.toContain('25');
    console.log(`[resident] staff report to data-level on the page: ${listMs} ms (frame ${t.config.frameMs} ms)`);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it("when the address is /?site=<id>, then that site's details open, and closing them returns to the list", async () => {
    const { page, errors } = await openResident(browser, t, '/?site=far');
    const details = page.locator('section.details[data-site-id="far"]');
    await expect.poll(() => details.isVisible()).toBe(true);
    await expect(details.locator('h2').innerText()).resolves.toBe('稍远采样点');
    await expect(details.innerText()).resolves.toContain('绿色通道');
    await expect.poll(() => details.locator('a.nav-geo').getAttribute('href')).toMatch(/^geo:22\.58/);
    // Charts load on demand: the chart code is fetched only now.
    await expect.poll(() => details.locator('.d-charts').innerText()).toMatch(/暂无历史数据|今日|通常/);
    await page.locator('button.back').click();
    await expect.poll(() => page.evaluate(() => location.search)).toBe('');
    await expect.poll(() => page.locator('.list-view').isVisible()).toBe(true);
    await page.goto(`${t.url}/?site=no-such-site`);
    await expect.poll(() => page.locator('section.details h2').innerText()).toBe('找不到该采样点。');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('when a near site has a long line and a slightly farther one a short line, then the farther one is recommended first', async () => {
    await staff('near', { queue: 100 });
    await staff('far', { queue: 0 });
    const { page, errors } = await openResident(browser, t, '/', {
      geolocation: { latitude: ORIGIN.lat, longitude: ORIGIN.lng },
      permissions: ['geolocation'],
    });
    const first = page.locator('.best-list li').first();
    await expect.poll(() => first.getAttribute('data-site-id')).toBe('far');
    const text = await first.innerText();
    expect(text).toMatch(/步行 \d+ 分钟 \+ 约 0 分钟排队/);
    await expect(page.locator('.best-list li[data-site-id="near"]').count()).resolves.toBeLessThanOrEqual(1);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('when a location is known, then the recommendations are numbered on the map in the list order, and the map shows the resident and them', async () => {
    await staff('near', { queue: 10 });
    await staff('far', { queue: 0 });
    const { page, errors } = await openResident(browser, t, '/', {
      geolocation: { latitude: ORIGIN.lat, longitude: ORIGIN.lng },
      permissions: ['geolocation'],
    });
    await page.waitForSelector('.best-list li[data-rank="1"]');
    const listed = () =>
      page.$$eval('.best-list li[data-rank]', (els) => els.map((e) => e.getAttribute('data-site-id')));
    const marked = () =>
      page.$$eval('.rank-mark [data-rank]', (els) =>
        els
          .sort((a, b) => Number(a.getAttribute('data-rank')) - Number(b.getAttribute('data-rank')))
          .map((e) => e.getAttribute('data-site-id')),
      );
    await expect.poll(marked).toEqual(await listed());
    expect((await listed()).length).toBeGreaterThan(0);
    // Every number inside the map's box, so the view shows the resident and where to go.
    const map = (await page.locator('#map, .map').first().boundingBox())!;
    for (const box of await page.$$eval('.rank-mark [data-rank]', (els) =>
      els.map((e) => {
        const r = e.getBoundingClientRect();
        return { x: r.x + r.width / 2, y: r.y + r.height / 2 };
      }),
    )) {
      expect(box.x).toBeGreaterThanOrEqual(map.x);
      expect(box.x).toBeLessThanOrEqual(map.x + map.width);
      expect(box.y).toBeGreaterThanOrEqual(map.y);
      expect(box.y).toBeLessThanOrEqual(map.y + map.height);
    }
    // And seen: nothing drawn over any number (the "you are here" dot sits on the nearest one's spot).
    const covered = await page.$$eval(
      '.rank-mark [data-rank]',
      (els) =>
        els.filter((e) => {
          // The numbers let taps through (pointer-events: none), which hit-testing would skip too.
          (e as HTMLElement).style.pointerEvents = 'auto';
          const r = e.getBoundingClientRect();
          return !e.contains(document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2));
        }).length,
    );
    expect(covered).toBe(0);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('when a site name is hostile markup, then it renders as text and runs nothing', async () => {
    const { page, errors } = await openResident(browser, t, '/?site=evil');
    await expect.poll(() => page.locator('section.details h2').innerText()).toBe(HOSTILE_NAME);
    await page.locator('button.back').click();
    await page.locator('#site-search').fill('onerror');
    await expect.poll(() => page.locator('.site-list li[data-site-id]').count()).toBe(1);
    await expect(page.locator('.site-list li[data-site-id="evil"] .name').innerText()).resolves.toBe(HOSTILE_NAME);
    expect(await page.locator('img[src="x"], script:not([src]), b').count()).toBe(0);
    expect(await page.evaluate(() => window.__xss)).toBeUndefined();
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('when the command centre posts notices, then the banner, the site row and the details show them', async () => {
    const { page, errors } = await openResident(browser, t);
    const post = (body: Record<string, unknown>) =>
      fetch(`${t.url}/api/admin/notices`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect((await post({ kind: 'info', message: '全市今日延长开放至 22:00', ttlMinutes: 60 })).status).toBe(201);
    expect(
      (
        await post({
          siteId: 'east',
          kind: 'redirect',
          redirectSiteId: 'far',
          message: '试剂用完，请改去别处',
          ttlMinutes: 30,
        })
      ).status,
    ).toBe(201);
    const banner = page.locator('.notices');
    // Each notice posted sends the whole list again: the first list may show before the second.
    await expect.poll(() => banner.innerText()).toContain('东边采样点：试剂用完，请改去别处');
    await expect(banner.innerText()).resolves.toContain('全市今日延长开放至 22:00');
    await expect.poll(() => page.locator('.site-list li[data-site-id="east"] .notice-flag').count()).toBe(1);
    await page.locator('.notices [data-site-id="east"] a[data-open-site="east"]').click();
    const details = page.locator('section.details[data-site-id="east"]');
    await expect.poll(() => details.locator('.d-notices').innerText()).toContain('试剂用完');
    // The redirect link opens the other site in place.
    await details.locator('a[data-open-site="far"]').first().click();
    await expect.poll(() => page.locator('section.details').getAttribute('data-site-id')).toBe('far');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('when English is chosen, then the page switches and remembers it on the next visit', async () => {
    const { page, errors } = await openResident(browser, t);
    await expect(page.locator('h1').innerText()).resolves.toBe('排队实况');
    await page.locator('button.lang-btn').click();
    await expect.poll(() => page.locator('h1').innerText()).toBe('Live queues');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    await expect(page.locator('.site-list li[data-site-id="east"]').innerText()).resolves.toMatch(/No data|min|Closed/);
    await page.reload();
    await page.waitForSelector('body[data-ready]');
    await expect(page.locator('h1').innerText()).resolves.toBe('Live queues');
    await page.locator('button.lang-btn').click();
    await expect.poll(() => page.locator('h1').innerText()).toBe('排队实况');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('when large text is switched on, then it applies and is remembered', async () => {
    const { page, errors } = await openResident(browser, t);
    await page.locator('button.elderly-btn').click();
    await expect.poll(() => page.evaluate(() => document.documentElement.classList.contains('elderly'))).toBe(true);
    expect(await page.locator('button.elderly-btn').getAttribute('aria-pressed')).toBe('true');
    await page.reload();
    await page.waitForSelector('body[data-ready]');
    expect(await page.evaluate(() => document.documentElement.classList.contains('elderly'))).toBe(true);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('when location is not shared and a street is chosen, then the recommendations start from that street', async () => {
    await staff('near', { queue: 4 });
    await staff('far', { queue: 2 });
    const { page, errors } = await openResident(browser, t);
    const select = page.locator('select#best-district');
    // Streets by district, names as text (the hostile street is not markup).
    await expect.poll(() => select.locator('option').allInnerTexts()).toEqual(['请选择…', '白沙街道', '<b>街</b>']);
    await select.selectOption({ label: '白沙街道' });
    await expect.poll(() => page.locator('.best [data-rank]').count()).toBeGreaterThan(0);
    await expect(page.locator('.best-from').innerText()).resolves.toContain('白沙街道');
    // "Change start" shows the picker again, unchosen: the same street can be chosen again.
    await page.locator('.best-from button').click();
    await expect.poll(() => select.inputValue()).toBe('');
    await select.selectOption({ label: '白沙街道' });
    await expect.poll(() => page.locator('.best [data-rank]').count()).toBeGreaterThan(0);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});

describe.skipIf(!hasBrowser)('resident page on phones, keyboards and closed networks', () => {
  let t: TestApp;
  let browser: Browser;

  beforeAll(async () => {
    // Tiles from a port nobody listens on: what a closed network looks like to the page.
    t = await startTestApp({
      sites: residentSites(),
      config: { tileUrl: 'http://127.0.0.1:9/{z}/{x}/{y}.png', tileAttribution: '© test tiles', demo: true },
    });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('when tiles cannot load, then sites are still drawn on a plain map with a note, and the list works', async () => {
    const { page, errors } = await openResident(browser, t);
    await expect.poll(() => page.locator('.map-note').isVisible()).toBe(true);
    await expect.poll(() => page.locator('.leaflet-tile').count()).toBe(0);
    expect(await page.locator('.site-labels [data-site-id]').count()).toBeGreaterThan(0);
    expect(await page.locator('.site-list li[data-site-id]').count()).toBe(residentSites().length);
    await expect(page.locator('[data-testid="demo-badge"]').innerText()).resolves.toBe('演示数据');
    // The only console errors are the refused tile requests themselves.
    expect(errors.filter((e) => !/Failed to load resource|ERR_CONNECTION_REFUSED|ERR_UNSAFE_PORT/.test(e))).toEqual([]);
    await page.context().close();
  });

  it('when a phone opens /?site=<id>, then the details open in the sheet under the map, and back shows the list again', async () => {
    const { page, errors } = await openResident(browser, t, '/?site=near', {
      viewport: VIEWPORTS.phone,
      isMobile: true,
      hasTouch: true,
    });
    await expect.poll(() => page.locator('section.details[data-site-id="near"]').isVisible()).toBe(true);
    // Half height: the site stays in sight on the map above (map-centre.test.ts).
    expect(await page.evaluate(() => document.body.dataset.sheet)).toBe('peek');
    expect(await page.locator('#map').isVisible()).toBe(true);
    await page.locator('button.back').click();
    await expect.poll(() => page.locator('.list-view').isVisible()).toBe(true);
    await expect.poll(() => page.evaluate(() => document.body.dataset.sheet)).toBe('peek');
    await expect.poll(() => page.locator('.site-labels [data-site-id]').count()).toBeGreaterThan(0);
    expect(errors.filter((e) => !/Failed to load resource|ERR_/.test(e))).toEqual([]);
    await page.context().close();
  });

  it('when only the keyboard is used, then a site can be found, opened and closed again', async () => {
    const { page } = await openResident(browser, t, '/', { viewport: { width: 320, height: 640 } });
    await page.locator('#site-search').focus();
    await page.keyboard.type('稍远');
    await expect.poll(() => page.locator('.site-list li[data-site-id]').count()).toBe(1);
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.closest('li')?.dataset.siteId)).toBe('far');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('d-title');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.evaluate(() => document.activeElement?.closest('li')?.dataset.siteId)).toBe('far');
    await page.context().close();
  });

  it('when the browser cannot hand a canvas to a worker, then the page paints the sites itself', async () => {
    const ctx = await browser.newContext({ viewport: { width: 800, height: 600 } });
    await ctx.addInitScript(() => {
      delete (HTMLCanvasElement.prototype as Partial<HTMLCanvasElement>).transferControlToOffscreen;
    });
    const page = await ctx.newPage();
    const errors = watchErrors(page);
    await page.goto(`${t.url}/`);
    await page.waitForSelector('body[data-ready]');
    // Zoomed out, no site has a label: all of them are canvas shapes.
    const zoom = () => page.evaluate(() => Number(document.getElementById('map')!.dataset.zoom));
    while ((await zoom()) > 11) {
      const before = await zoom();
      await page.locator('.leaflet-control-zoom-out').click();
      await expect.poll(zoom).toBeLessThan(before);
    }
    await expect.poll(() => page.locator('.site-labels [data-site-id]').count()).toBe(0);
    const painted = () =>
      page.evaluate(() => {
        const c = document.querySelector<HTMLCanvasElement>('canvas.site-canvas')!;
        const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
        let n = 0;
        for (let k = 3; k < data.length; k += 4) if (data[k]! > 0) n++;
        return n;
      });
    await expect.poll(painted).toBeGreaterThan(50);
    expect(errors.filter((e) => !/Failed to load resource|ERR_/.test(e))).toEqual([]);
    await ctx.close();
  });

  it('when any text is shown, in either mode, then it has WCAG AA contrast with what is behind it', async () => {
    await issueAndReport(t, 'near', { queue: 100 });
    await issueAndReport(t, 'west', { queue: 4, status: 'paused', pauseReason: 'supplies' });
    for (const elderly of [false, true]) {
      const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      await ctx.addInitScript((on: boolean) => localStorage.setItem('shortline.elderly', on ? '1' : '0'), elderly);
      const page = await ctx.newPage();
      await page.goto(`${t.url}/`);
      await page.waitForSelector('body[data-ready]');
      await expect.poll(() => levelOf(page, '.site-list li[data-site-id="near"]')).toBe('medium');
      const failures = await page.evaluate(lowContrastTexts);
      expect(failures).toEqual([]);
      // The check sees the page: a deliberately faint text is caught.
      await page.evaluate(() =>
        document.querySelector<HTMLElement>('.list-status')!.style.setProperty('color', '#bbbbbb'),
      );
      expect((await page.evaluate(lowContrastTexts)).length).toBeGreaterThan(0);
      await ctx.close();
    }
  });

  it('when reduced motion is asked for, then the map does not animate', async () => {
    const { page } = await openResident(browser, t, '/', { reducedMotion: 'reduce' });
    expect(
      await page.evaluate(() => document.querySelector('.leaflet-container')!.classList.contains('leaflet-fade-anim')),
    ).toBe(false);
    await page.context().close();
  });
});

describe.skipIf(!hasBrowser)('resident page when the server goes away', () => {
  it('when the server stops, then a banner says so and how old the data is; after a restart it goes away', async () => {
    const sites = residentSites();
    let t = await startTestApp({ sites });
    const browser = await launchBrowser();
    try {
      const { page } = await openResident(browser, t);
      const banner = page.locator('[data-testid="conn-banner"]');
      expect(await banner.isVisible()).toBe(false);
      await t.app.close();
      await expect.poll(() => banner.isVisible()).toBe(true);
      await expect(banner.innerText()).resolves.toMatch(/连接已断开，数据停在 \d+ (秒|分钟)前/);
      t = await restartOnPort(t, sites);
      await expect.poll(() => banner.isVisible(), { timeout: 20_000 }).toBe(false);
      // Back online, the page works again: a report still reaches it.
      const tok = await issueToken(t, 'east');
      expect((await report(t, tok.token, 'east', { queue: 200 })).status).toBe(200);
      await expect.poll(() => levelOf(page, '.site-list li[data-site-id="east"]')).toBe('high');
      await page.context().close();
    } finally {
      await browser.close();
      await t.close();
      await t.store.close();
    }
  }, 60_000);
});
