// The resident page for people who read pinyin: names in English, and search by pinyin and by
// initials in both languages, in real Chromium against a real server. The sites get their pinyin
// as every registry does when it is loaded (server/registry/pinyin.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { addPinyin } from '../../../server/registry/pinyin.js';
import { startTestApp, type TestApp } from '../../../testing/server/app.js';
import { browserForTests, launchBrowser } from '../../../testing/server/browser.js';
import { offset, openResident, testSite } from '../../../testing/pages/resident.js';

const hasBrowser = browserForTests();

const SITES = addPinyin([
  testSite('yangqiao', '羊桥社区核酸采样点', offset(150)),
  testSite('jianan', '迦南社区1号核酸采样点', offset(600)),
  testSite('waihai', '外海街道核酸采样点', offset(-400, 700), { district: '江海区', street: '外海街道' }),
]);

/** Ids of the sites the list shows, sorted (the list's own order follows the map and is not the point here). */
const listed = async (page: Page) =>
  (
    await page
      .locator('.site-list li[data-site-id]')
      .evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.siteId!))
  ).sort();

async function search(page: Page, q: string): Promise<void> {
  await page.locator('#site-search').fill(q);
}

describe.skipIf(!hasBrowser)('resident page in pinyin', () => {
  let t: TestApp;
  let browser: Browser;

  beforeAll(async () => {
    t = await startTestApp({ sites: SITES });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('when English is chosen, then names, districts and streets are in pinyin, and pinyin and initials find sites', async () => {
    const { page, errors } = await openResident(browser, t);
    const row = page.locator('.site-list li[data-site-id="yangqiao"]');
    await expect.poll(() => row.locator('.name').innerText()).toBe('羊桥社区核酸采样点');

    await page.locator('button.lang-btn').click();
    await expect.poll(() => row.locator('.name').innerText()).toBe('Yangqiao Shequ Hesuan Caiyangdian');
    await expect(row.locator('.row-sub').innerText()).resolves.toContain('Pengjiang Qu, Baisha Jiedao');
    await expect
      .poll(() => page.locator('.site-list li[data-site-id="waihai"] .name').innerText())
      .toBe('Waihai Jiedao Hesuan Caiyangdian');
    // The map's labels name their site in a tooltip, in the same words.
    await expect
      .poll(() => page.locator('.site-labels [data-site-id="yangqiao"]').getAttribute('title'))
      .toBe('Yangqiao Shequ Hesuan Caiyangdian');

    // Full pinyin, any case, spaces ignored: the two sites in Baisha street, not the one in Waihai.
    await search(page, 'Bai Sha');
    await expect.poll(() => listed(page)).toEqual(['jianan', 'yangqiao']);
    await expect.poll(() => page.locator('.site-labels [data-site-id="waihai"]').count()).toBe(0);

    // Initials: "yq" finds 羊桥 only.
    await search(page, 'yq');
    await expect.poll(() => listed(page)).toEqual(['yangqiao']);
    await expect.poll(() => page.locator('.site-labels [data-site-id]').count()).toBe(1);

    await search(page, '');
    await expect.poll(() => listed(page)).toHaveLength(SITES.length);

    // The details say the same: title and where, in pinyin.
    await row.click();
    await expect.poll(() => page.locator('#d-title').innerText()).toBe('Yangqiao Shequ Hesuan Caiyangdian');
    await expect(page.locator('.d-where').innerText()).resolves.toContain('Pengjiang Qu · Baisha Jiedao');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('when the page is in Chinese, then pinyin and initials find sites too, and names stay Chinese', async () => {
    const { page, errors } = await openResident(browser, t);
    await search(page, 'WH');
    await expect.poll(() => listed(page)).toEqual(['waihai']);
    await expect(page.locator('.site-list li[data-site-id="waihai"] .name').innerText()).resolves.toBe(
      '外海街道核酸采样点',
    );
    await search(page, 'jianan');
    await expect.poll(() => listed(page)).toEqual(['jianan']);
    await search(page, '羊桥');
    await expect.poll(() => listed(page)).toEqual(['yangqiao']);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
