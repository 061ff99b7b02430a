// The staff page in real Chromium against a real app: enrolment, the buttons and direct entry,
// revocation. Offline behaviour and retries are in page-offline.test.ts.
import { describe, expect, it } from 'vitest';
import { issueToken } from '../../../testing/server/app.js';
import { browserForTests, VIEWPORTS, watchErrors } from '../../../testing/server/browser.js';
import {
  enrol,
  lastHistoryQueue,
  liveOf,
  newTabletPage,
  revokeToken,
  staffSuite,
  watchReports,
} from '../../../testing/pages/staff.js';

const hasBrowser = browserForTests();
/** Real waits (the 1.5 s coalescing window, retries) on a shared, busy machine. */
const BROWSER_TEST_MS = 90_000;
/** Reports wait ~1.5 s for more taps before they are sent; polls must outlast that. */
const POLL = { timeout: 10_000, interval: 100 };

describe.skipIf(!hasBrowser)('staff tablet page', { timeout: BROWSER_TEST_MS }, () => {
  const suite = staffSuite();

  it('when an enrolment link is opened, then the token leaves the address, the site is named, and a reload stays enrolled', async () => {
    const { context, page } = await newTabletPage(suite.browser);
    const errors = watchErrors(page);
    await enrol(page, suite.s);
    expect(page.url()).toBe(`${suite.s.t.url}/staff`);
    expect(await page.evaluate(() => location.hash)).toBe('');
    await expect.poll(() => page.textContent('#site-name'), POLL).toBe('测试点 1');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('zh-CN');

    await page.reload();
    await page.waitForSelector('body[data-screen="report"]');
    await expect.poll(() => page.textContent('#site-name'), POLL).toBe('测试点 1');
    expect(page.url()).not.toContain(suite.s.token);
    // The token is on the device, but nowhere in the address or this tab's history entry.
    expect(await page.evaluate(() => JSON.stringify(localStorage))).toContain(suite.s.token);
    expect(await page.evaluate(() => JSON.stringify(history.state ?? null))).not.toContain(suite.s.token);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('when buttons are tapped quickly and a count is typed, then the server gets absolute reports with the final values', async () => {
    const tok = await issueToken(suite.s.t, 'site-2');
    const { context, page } = await newTabletPage(suite.browser);
    const errors = watchErrors(page);
    const seen = watchReports(page);
    await enrol(page, { t: suite.s.t, token: tok.token });
    for (const step of ['5', '5', '1', '-1', '10', '-5']) await page.click(`[data-step="${step}"]`);
    await expect.poll(() => page.textContent('#count'), POLL).toBe('15');
    await page.waitForSelector('#phase[data-phase="confirmed"]');
    await expect.poll(async () => (await liveOf(suite.s.t, 'site-2')).queue, POLL).toBe(15);
    // Six taps, one report: absolute, with a fresh UUID and the time of the last tap.
    expect(seen).toHaveLength(1);
    const first = seen[0]!.body;
    expect(first).toMatchObject({ queue: 15, lanesOpen: 2, status: 'open' });
    expect(first.reportId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(Math.abs(Date.parse(first.observedAt!) - Date.now())).toBeLessThan(10_000);

    await page.fill('#entry', '42');
    await page.click('#entry-set');
    await expect.poll(() => page.textContent('#count'), POLL).toBe('42');
    await expect.poll(async () => (await liveOf(suite.s.t, 'site-2')).queue, POLL).toBe(42);
    await expect.poll(() => lastHistoryQueue(suite.s.t, 'site-2'), POLL).toBe(42);
    await expect.poll(() => page.textContent('#phase'), POLL).toContain('42');

    // Lanes and status go with the current count: every report is the whole state.
    await page.click('#lanes-less');
    await page.click('[data-status="paused"]');
    await page.click('[data-reason="supplies"]');
    await expect.poll(async () => (await liveOf(suite.s.t, 'site-2')).status, POLL).toBe('paused');
    // Three quick taps, one report: 15, then 42, then lanes and status together.
    await expect.poll(() => seen.length, POLL).toBe(3);
    const live = await liveOf(suite.s.t, 'site-2');
    expect(live).toMatchObject({ queue: 42, lanesOpen: 1, status: 'paused', pauseReason: 'supplies', source: 'staff' });
    expect(new Set(seen.map((r) => r.body.reportId)).size).toBe(seen.length);
    expect(seen.every((r) => r.status === 200)).toBe(true);

    // Typing nonsense is refused on the page and sends nothing.
    await page.fill('#entry', '12a');
    await page.click('#entry-set');
    await page.waitForSelector('.entry-error[data-show="yes"]');
    // Reports leave in order, so the next real one is a barrier: had the nonsense been taken, it
    // would have gone first or moved the count away from 42.
    await page.click('[data-step="1"]');
    await expect.poll(() => seen.length, POLL).toBe(4);
    expect(seen[3]!.body).toMatchObject({ queue: 43 });
    expect(errors).toEqual([]);
    await context.close();
  });

  it('when the token is revoked, then the page says so and how to re-enrol, also after a reload, and a new link enrols again', async () => {
    const tok = await issueToken(suite.s.t, 'site-3');
    const { context, page } = await newTabletPage(suite.browser);
    await enrol(page, { t: suite.s.t, token: tok.token });
    await revokeToken(suite.s.t, tok.tokenId);
    await page.waitForSelector('body[data-screen="revoked"]');
    const text = await page.textContent('#screen');
    expect(text).toContain('上报授权已被撤销');
    expect(text).toContain('重新登记');

    await page.reload();
    await page.waitForSelector('body[data-screen="revoked"]');

    const again = await issueToken(suite.s.t, 'site-3');
    await enrol(page, { t: suite.s.t, token: again.token });
    await page.click('[data-step="1"]');
    await expect.poll(async () => (await liveOf(suite.s.t, 'site-3')).queue, POLL).toBe(1);
    await context.close();
  });

  it('when the token was revoked while the tablet was closed, then opening the page shows the revoked screen', async () => {
    const tok = await issueToken(suite.s.t, 'site-5');
    const { context, page } = await newTabletPage(suite.browser);
    await enrol(page, { t: suite.s.t, token: tok.token });
    await page.close();
    await revokeToken(suite.s.t, tok.tokenId);
    const again = await context.newPage();
    await again.goto(`${suite.s.t.url}/staff`);
    await again.waitForSelector('body[data-screen="revoked"]');
    await context.close();
  });

  it('when a revoked token is still used for a report, then the 401 shows the revoked screen and the report stays on the tablet', async () => {
    const tok = await issueToken(suite.s.t, 'site-4');
    const { context, page } = await newTabletPage(suite.browser);
    // No live socket, so the page learns of the revocation only from the report's answer.
    await context.routeWebSocket(/\/socket\.io\//, (ws) => ws.close());
    await context.route('**/socket.io/**', (route) => route.abort());
    await enrol(page, { t: suite.s.t, token: tok.token });
    await revokeToken(suite.s.t, tok.tokenId);
    await page.click('[data-step="5"]');
    await page.waitForSelector('body[data-screen="revoked"]');
    await expect.poll(() => page.textContent('#screen'), POLL).toContain('1 条上报未发送');
    await context.close();
  });

  it.each([
    ['landscape', VIEWPORTS.tablet],
    ['portrait', VIEWPORTS.tabletPortrait],
  ] as const)(
    'when shown %s on a tablet, then every control is at least 48 px, the count and its controls need no scrolling, and English is one tap away',
    async (_name, viewport) => {
      const { context, page } = await newTabletPage(suite.browser, viewport);
      await enrol(page, suite.s);
      await page.click('[data-status="paused"]');
      const small = await page.$$eval('button, input', (els) =>
        els
          .filter((e) => (e as HTMLElement).offsetParent !== null)
          .map((e) => ({ what: e.id || e.textContent, r: e.getBoundingClientRect() }))
          .filter(({ r }) => r.width < 48 || r.height < 48)
          .map(({ what, r }) => `${what} ${Math.round(r.width)}x${Math.round(r.height)}`),
      );
      expect(small).toEqual([]);
      for (const sel of [
        '#count',
        '[data-step="10"]',
        '[data-step="-5"]',
        '#entry-set',
        '#net',
        '#pending',
        '#confirmed',
        '[data-status="closed"]',
        '#lanes-more',
      ]) {
        const box = (await page.locator(sel).boundingBox())!;
        expect(
          box.x >= 0 && box.y >= 0 && box.x + box.width <= viewport.width && box.y + box.height <= viewport.height,
          sel,
        ).toBe(true);
      }
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);

      await page.click('.bar .lang');
      await expect.poll(() => page.textContent('#count-label'), POLL).toBe('People in the queue now');
      await page.reload();
      await expect.poll(() => page.textContent('#count-label'), POLL).toBe('People in the queue now');
      expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
      await page.click('.bar .lang');
      await page.click('[data-status="open"]');
      await context.close();
    },
  );
});
