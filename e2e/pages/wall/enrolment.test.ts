// Enrolment sheets in admin mode, real Chromium against a real app: a sheet printed twice carries
// the same links, a rotated one new links (and the old tablets are refused), the sheet and the
// status say which is which, and axe finds nothing serious on the page with a sheet, in both languages.
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { report, TEST_ADMIN_TOKEN } from '../../../testing/server/app.js';
import { browserForTests, launchBrowser, watchErrors } from '../../../testing/server/browser.js';
import { adminSites, startWallApp } from '../../../testing/pages/wall.js';

const hasBrowser = browserForTests();
const DISTRICT = '江海区';

/** site id -> [link printed in its QR, status shown on its row], for every row of the sheet. */
const sheetRows = (page: Page) =>
  page
    .locator('#print-root .sheet tbody tr')
    .evaluateAll((rows) =>
      Object.fromEntries(
        rows.map((r) => [
          r.getAttribute('data-site-id'),
          [r.querySelector('[data-qr-text]')?.getAttribute('data-qr-text'), r.getAttribute('data-link-status')],
        ]),
      ),
    ) as Promise<Record<string, [string, string]>>;

async function makeSheet(page: Page, previous: Record<string, [string, string]> | null) {
  await page.click('[data-action="sheets"]');
  // The preview is replaced by the new sheet: wait until its rows are no longer the previous ones.
  await expect
    .poll(async () => {
      const rows = await sheetRows(page);
      return Object.keys(rows).length === 3 && JSON.stringify(rows) !== JSON.stringify(previous);
    })
    .toBe(true);
  return sheetRows(page);
}

async function axeProblems(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: readFileSync('node_modules/axe-core/axe.min.js', 'utf8') });
  return page.evaluate(async () => {
    const r = await (
      window as unknown as {
        axe: { run(): Promise<{ violations: Array<{ id: string; impact: string; nodes: unknown[] }> }> };
      }
    ).axe.run();
    return r.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id} (${v.nodes.length})`);
  });
}

describe.skipIf(!hasBrowser)('enrolment sheets in admin mode', { timeout: 90_000 }, () => {
  let browser: Browser;
  let t: Awaited<ReturnType<typeof startWallApp>>;

  beforeAll(async () => {
    t = await startWallApp({ sites: adminSites() });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('when a sheet is made twice, then it carries the same links; rotated, new links and the old tablets are refused', async () => {
    // Past the page's CSP only so that the test can inject axe.
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
    const page = await context.newPage();
    const errors = watchErrors(page);
    await page.goto(`${t.url}/wall/admin`);
    await page.fill('input[name="token"]', TEST_ADMIN_TOKEN);
    await page.click('form[data-form="login"] button[type="submit"]');
    await page.click('[data-tab="print"]');
    await page.locator('[data-section="print"] select[data-pick="district"]').selectOption(DISTRICT);
    const status = page.locator('[data-print-status]');

    const first = await makeSheet(page, null);
    expect(Object.values(first).map(([, s]) => s)).toEqual(['new', 'new', 'new']);
    expect(await status.textContent()).toContain('新建 3 个');
    for (const [siteId, [link]] of Object.entries(first)) {
      expect(link).toMatch(new RegExp(`^${t.url}/staff#enroll=st_`));
      expect((await report(t, link.split('#enroll=')[1]!, siteId, { queue: 2 })).status).toBe(200);
    }

    // Again, without rotating: one press, the very same links, each row saying so.
    await page.click('[data-action="posters"]');
    await page.waitForSelector('#print-root .poster');
    const second = await makeSheet(page, null);
    expect(Object.fromEntries(Object.entries(second).map(([id, [link]]) => [id, link]))).toEqual(
      Object.fromEntries(Object.entries(first).map(([id, [link]]) => [id, link])),
    );
    expect(Object.values(second).map(([, s]) => s)).toEqual(['reused', 'reused', 'reused']);
    expect(await status.textContent()).toContain('沿用 3 个');
    expect(await page.locator('#print-root [data-link-status="reused"] .link-status').first().textContent()).toBe(
      '沿用现有链接',
    );

    // Rotating asks for a second press, then gives new links and signs the old tablets out.
    await page.check('[data-section="print"] input[name="rotate"]');
    await page.click('[data-action="sheets"]');
    await expect.poll(() => page.textContent('[data-action="sheets"]')).toContain('旧平板将退出登录');
    const third = await makeSheet(page, second);
    for (const [siteId, [link, st]] of Object.entries(third)) {
      expect(st).toBe('rotated');
      expect(link).not.toBe(first[siteId]![0]);
      expect((await report(t, first[siteId]![0].split('#enroll=')[1]!, siteId, { queue: 3 })).status).toBe(401);
      expect((await report(t, link.split('#enroll=')[1]!, siteId, { queue: 3 })).status).toBe(200);
    }
    expect(await status.textContent()).toContain('轮换 3 个');
    // The box is cleared after a rotation, so the next press does not rotate again by accident.
    expect(await page.isChecked('[data-section="print"] input[name="rotate"]')).toBe(false);

    expect(await axeProblems(page)).toEqual([]);
    expect(errors).toEqual([]);

    // In English: the same section, the same links, and axe as content.
    // The page's own switch (its address ends in #print: it must reload, not only scroll).
    await page.click('[data-action="lang"]');
    await expect
      .poll(() =>
        page
          .locator('[data-tab="print"]')
          .textContent({ timeout: 1000 })
          .catch(() => ''),
      )
      .toBe('Printing');
    await page.click('[data-tab="print"]');
    expect(await page.textContent('[data-section="print"] label.check')).toBe(
      'Rotate (new links, old tablets signed out)',
    );
    await page.locator('[data-section="print"] select[data-pick="district"]').selectOption(DISTRICT);
    const english = await makeSheet(page, null);
    expect(Object.values(english).map(([link]) => link)).toEqual(Object.values(third).map(([link]) => link));
    expect(await status.textContent()).toContain('3 reused');
    expect(await axeProblems(page)).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });
});
