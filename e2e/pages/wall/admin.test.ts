// Admin mode in real Chromium against a real app: the token gate, staff tokens end to end, notices
// reaching the wall and the resident page, and printed QR codes that encode the right links.
import QRCode from 'qrcode';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { report, TEST_ADMIN_TOKEN } from '../../../testing/server/app.js';
import { browserForTests, launchBrowser, VIEWPORTS } from '../../../testing/server/browser.js';
import { QR_OPTIONS } from '../../../client/src/wall/admin/qr.js';
import { adminSites, openAdmin, openWall, startWallApp } from '../../../testing/pages/wall.js';

const hasBrowser = browserForTests();

/** The dark modules of a QR SVG: the `d` of the stroked path, which is the code itself. */
const modulesOf = (svg: string) =>
  /<path[^>]*stroke="[^"]+"[^>]*d="([^"]+)"/.exec(svg)?.[1] ?? /<path[^>]*d="([^"]+)"[^>]*stroke=/.exec(svg)?.[1];

async function qrOnPage(page: Page, selector: string): Promise<{ text: string; svg: string }> {
  const box = page.locator(selector).first();
  return {
    text: (await box.getAttribute('data-qr-text'))!,
    svg: await box.locator('svg').evaluate((el) => el.outerHTML),
  };
}

async function pick(page: Page, section: string, district: string, siteId: string): Promise<void> {
  await page.click(`[data-tab="${section}"]`);
  const s = page.locator(`[data-section="${section}"]`);
  await s.locator('select[data-pick="district"]').first().selectOption(district);
  if (siteId) await s.locator('select[data-pick="site"]').first().selectOption(siteId);
}

describe.skipIf(!hasBrowser)('wall admin mode', { timeout: 60_000 }, () => {
  let browser: Browser;
  let t: Awaited<ReturnType<typeof startWallApp>>;
  const sites = adminSites();

  beforeAll(async () => {
    t = await startWallApp({ sites });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('when a wrong token is entered, then nothing opens; the right one is kept for the session until forgotten', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${t.url}/wall/admin`);
    await page.fill('input[name="token"]', 'not-the-admin-token-at-all');
    await page.click('form[data-form="login"] button[type="submit"]');
    await expect.poll(() => page.textContent('[data-login-error]')).toBe('令牌不正确');
    await page.fill('input[name="token"]', TEST_ADMIN_TOKEN);
    await page.click('form[data-form="login"] button[type="submit"]');
    await page.waitForSelector('[data-section="tokens"]');
    expect(await page.evaluate(() => localStorage.getItem('shortline.adminToken'))).toBeNull();
    await page.reload();
    await page.waitForSelector('[data-section="tokens"]');
    await page.click('[data-action="forget"]');
    await page.waitForSelector('form[data-form="login"]');
    expect(await page.evaluate(() => sessionStorage.getItem('shortline.adminToken'))).toBeNull();
    await context.close();
  });

  it('when a token is issued and then revoked in admin mode, then it works for that site and then stops working', async () => {
    const { page, context, errors } = await openAdmin(browser, t);
    const site = sites[4]!;
    await pick(page, 'tokens', site.district, site.id);
    await page.fill('[data-section="tokens"] input[name="label"]', '平板 A');
    await page.click('[data-action="issue"]');
    const url = (await page.locator('[data-enroll-url]').textContent())!;
    expect(url).toMatch(new RegExp(`^${t.url}/staff#enroll=st_`));
    const token = url.split('#enroll=')[1]!;
    const card = await qrOnPage(page, '[data-issued] [data-qr-text]');
    expect(card.text).toBe(url);
    const tokenId = (await page.locator('[data-issued] .card').getAttribute('data-token-id'))!;
    const row = page.locator(`tr[data-token-id="${tokenId}"]`);
    await row.waitFor();
    expect(await row.textContent()).toContain('平板 A');
    expect((await report(t, token, site.id, { queue: 7 })).status).toBe(200);

    await row.locator('[data-revoke]').click();
    await expect.poll(() => row.locator('[data-revoke]').textContent()).toBe('确认撤销');
    await row.locator('[data-revoke]').click();
    await expect.poll(() => row.count()).toBe(0);
    expect((await report(t, token, site.id, { queue: 8 })).status).toBe(401);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('when a notice is posted in admin mode, then the wall and the resident page show it, and removing it clears the wall', async () => {
    const wall = await openWall(browser, t, VIEWPORTS.wall);
    const resident = await browser.newPage();
    await resident.goto(`${t.url}/`);
    const { page, context } = await openAdmin(browser, t);
    const site = sites[1]!;
    const message = `试剂用完，今日暂停采样 ${Date.now() % 10_000}`;
    await pick(page, 'notices', site.district, site.id);
    await page.locator('[data-section="notices"] select[name="kind"]').selectOption('closed');
    await page.fill('[data-section="notices"] textarea[name="message"]', message);
    await page.click('[data-action="post-notice"]');

    const onWall = wall.page.locator('[data-list="notices"] li[data-notice]', { hasText: message });
    await onWall.waitFor();
    expect(await onWall.getAttribute('data-site-id')).toBe(site.id);
    expect(await onWall.textContent()).toContain(site.name);
    // The resident page is built by its own issue; its notice banner carries the text and the site.
    const onResident = resident.getByText(message).first();
    await onResident.waitFor();
    expect(await onResident.evaluate((el) => el.closest('[data-site-id]')?.getAttribute('data-site-id'))).toBe(site.id);

    const item = page.locator('[data-section="notices"] li[data-notice]', { hasText: message });
    await item.locator('[data-remove-notice]').click();
    await expect.poll(() => onWall.count()).toBe(0);
    await context.close();
    await resident.close();
    await wall.context.close();
  });

  it('when a resident poster is made, then its QR code encodes the site link exactly as the qrcode package does', async () => {
    const { page, context } = await openAdmin(browser, t);
    const site = sites[7]!;
    await pick(page, 'print', site.district, site.id);
    await page.click('[data-action="posters"]');
    const poster = `#print-root .poster[data-site-id="${site.id}"] [data-qr-text]`;
    await page.waitForSelector(poster);
    const qr = await qrOnPage(page, poster);
    const link = `${t.url}/?site=${site.id}`;
    expect(qr.text).toBe(link);
    const expected = await QRCode.toString(link, QR_OPTIONS);
    expect(modulesOf(qr.svg)).toBeTruthy();
    expect(modulesOf(qr.svg)).toBe(modulesOf(expected));
    expect(await page.locator('#print-root .poster').count()).toBe(1);
    expect(await page.locator('#print-root').textContent()).toContain(link);
    await context.close();
  });

  it('when enrolment sheets are made for every district, then each district starts a printed page with a row and a working QR per site', async () => {
    const { page, context, errors } = await openAdmin(browser, t);
    const before = (
      await (
        await fetch(`${t.url}/api/admin/staff-tokens`, { headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` } })
      ).json()
    ).tokens.length;
    await page.click('[data-tab="print"]');
    // No site has a link yet: one press makes one per site (rotating would ask for a second press).
    await page.click('[data-action="sheets"]');
    await page.waitForSelector('#print-root .sheet');
    expect(
      await page
        .locator('#print-root .sheet')
        .evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.district)),
    ).toEqual(['蓬江区', '江海区', '新会区']);
    expect(await page.locator('#print-root .sheet tbody tr').count()).toBe(sites.length);
    const after = (
      await (
        await fetch(`${t.url}/api/admin/staff-tokens`, { headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` } })
      ).json()
    ).tokens.length;
    expect(after - before).toBe(sites.length);
    // The QR of a row enrols that row's site.
    const row = page.locator('#print-root .sheet tbody tr').nth(3);
    const siteId = (await row.getAttribute('data-site-id'))!;
    const qr = await qrOnPage(page, `#print-root tr[data-site-id="${siteId}"] [data-qr-text]`);
    expect(modulesOf(qr.svg)).toBe(modulesOf(await QRCode.toString(qr.text, QR_OPTIONS)));
    expect((await report(t, qr.text.split('#enroll=')[1]!, siteId, { queue: 3 })).status).toBe(200);
    // In print, only the sheets show and each district begins a new page.
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('[data-section="tokens"]').isVisible()).toBe(false);
    expect(
      await page
        .locator('#print-root .sheet')
        .first()
        .evaluate((el) => getComputedStyle(el).breakAfter),
    ).toBe('page');
    expect(errors).toEqual([]);
    await context.close();
  });
  it('when a redirect notice lacks the site to go to, then the page says so in Chinese, naming the field, and nothing is posted', async () => {
    const { page, context } = await openAdmin(browser, t);
    const site = sites[2]!;
    await pick(page, 'notices', site.district, site.id);
    await page.locator('[data-section="notices"] select[name="kind"]').selectOption('redirect');
    await page.fill('[data-section="notices"] textarea[name="message"]', '请改去附近点位');
    await page.click('[data-action="post-notice"]');
    const status = page.locator('[data-status="notices"]');
    await expect.poll(() => status.textContent()).toBe('出错了：请填写“改去的点位”');
    // An empty message is caught before sending, named the same way.
    await page.fill('[data-section="notices"] textarea[name="message"]', '');
    await page.click('[data-action="post-notice"]');
    await expect.poll(() => status.textContent()).toBe('出错了：“公告内容”填写有误');
    expect(
      (await (await fetch(`${t.url}/api/notices`)).json()).notices.filter(
        (n: { siteId: string }) => n.siteId === site.id,
      ),
    ).toEqual([]);
    await context.close();
  });

  it('when 1,000 tablets are enrolled, then the admin page is no taller than two screens and a search finds one by label', async () => {
    const auth = { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, 'content-type': 'application/json' };
    for (let i = 0; i < 1000; i += 50) {
      await Promise.all(
        Array.from({ length: 50 }, (_, k) =>
          fetch(`${t.url}/api/admin/staff-tokens`, {
            method: 'POST',
            headers: auth,
            body: JSON.stringify({ siteId: sites[(i + k) % sites.length]!.id, label: `bulk-${i + k}` }),
          }).then((r) => r.arrayBuffer()),
        ),
      );
    }
    const { page, context } = await openAdmin(browser, t);
    await page.waitForSelector('[data-pager] span');
    await expect.poll(() => page.locator('[data-section="tokens"] tbody tr').count()).toBe(25);
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    const screen = page.viewportSize()!.height;
    expect(height).toBeLessThanOrEqual(2 * screen);
    await page.fill('[data-token-search]', 'bulk-777');
    await expect.poll(() => page.locator('[data-section="tokens"] tbody tr').count()).toBe(1);
    expect(await page.locator('[data-section="tokens"] tbody tr').textContent()).toContain('bulk-777');
    // Notices and printing are one tap away, not below the list.
    await page.click('[data-tab="print"]');
    expect(await page.locator('[data-section="print"]').isVisible()).toBe(true);
    expect(await page.locator('[data-section="tokens"]').isVisible()).toBe(false);
    await context.close();
  });
});
