// Screenshots of the resident page, to look at: `npx tsx scripts/screens/resident.ts [outDir]`.
// Starts a test app with the bundled registry and three days of simulated carrier history (so the
// charts have something to show), a few staff reports (paused, closed, long queues), then shoots
// phone and laptop sizes in Chinese, English and the elderly mode. Default output: screenshots/tmp
// (git-ignored), with a few representative shots copied to screenshots/.
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { ManualClock } from '../../server/clock.js';
import { bundledSites, issueToken, report, startTestApp, type TestApp } from '../../testing/server/app.js';
import { launchBrowser, VIEWPORTS, watchErrors } from '../../testing/server/browser.js';
import { sendCarrierBatch } from '../../testing/server/carrier.js';

const DEFAULT_OUT = 'screenshots/tmp';
const OUT = process.argv[2] ?? DEFAULT_OUT;
/** Representative shots, copied next to the other pages' committed screenshots. */
const KEEP = [
  'resident-phone-zh.png',
  'resident-phone-en-details.png',
  'resident-laptop-zh.png',
  'resident-laptop-zh-charts.png',
  'resident-laptop-elderly-details.png',
  'resident-320.png',
  'resident-360x640.png',
  'resident-320x568.png',
  'resident-phone-offline.png',
  'resident-360x640-details.png',
  'resident-1024x768-details.png',
];
/** Near Baisha street, Pengjiang: where the "resident" stands. */
const HOME = { latitude: 22.5935, longitude: 113.08 };
const STEP_MS = 10 * 60_000;

/** A deterministic crowd: busy mornings and late afternoons, each site its own size. */
function people(siteIdx: number, ms: number): number {
  const hour = new Date(ms + 8 * 3600_000).getUTCHours() + new Date(ms).getUTCMinutes() / 60;
  const wave =
    Math.max(0, Math.sin(((hour - 7) / 12) * Math.PI)) + 0.6 * Math.max(0, Math.sin(((hour - 14) / 5) * Math.PI));
  const size = 20 + ((siteIdx * 7919) % 280);
  const noise = ((siteIdx * 31 + Math.floor(ms / STEP_MS) * 17) % 11) - 5;
  return Math.max(0, Math.round(size * wave + noise));
}

async function carrierBatch(t: TestApp, clock: ManualClock, ids: string[]): Promise<void> {
  const now = clock.now();
  const readings = ids.map((siteId, i) => ({ siteId, people: people(i, now), confidence: 0.8 }));
  const res = await sendCarrierBatch(t.url, readings, now);
  if (!res.ok) throw new Error(`carrier batch: ${res.status} ${await res.text()}`);
}

async function seed(): Promise<TestApp> {
  const end = Date.now();
  const clock = new ManualClock(end - 72 * 3600_000);
  const sites = bundledSites();
  const t = await startTestApp({ sites, clock, config: { demo: true, carrierStaleMin: 15, frameMs: 200 } });
  const ids = sites.map((s) => s.id);
  for (let at = end - 72 * 3600_000; at <= end; at += STEP_MS) {
    clock.set(at);
    await carrierBatch(t, clock, ids);
  }
  clock.set(end);
  // Staff near HOME: one long queue, one short, one paused, one closed; a few more around.
  const near = sites.filter((s) => s.district === '蓬江区').slice(0, 24);
  const plan: Array<Record<string, unknown>> = [
    { queue: 140, lanesOpen: 2 },
    { queue: 4 },
    { queue: 20, status: 'paused', pauseReason: 'supplies' },
    { queue: 0, status: 'closed' },
  ];
  for (const [k, s] of near.entries()) {
    const tok = await issueToken(t, s.id);
    await report(t, tok.token, s.id, plan[k] ?? { queue: (k * 13) % 70, lanesOpen: 1 + (k % 3) });
  }
  return t;
}

async function shoot(
  ctx: BrowserContext,
  url: string,
  file: string,
  prep?: (page: import('playwright-core').Page) => Promise<void>,
): Promise<void> {
  const page = await ctx.newPage();
  const errors = watchErrors(page);
  await page.goto(url);
  await page.waitForSelector('body[data-ready]', { timeout: 20_000 }).catch((err: unknown) => {
    throw new Error(`${file}: page never became ready (${String(err)}); console: ${errors.join(' | ')}`);
  });
  await prep?.(page);
  await page.waitForTimeout(600);
  await page.screenshot({ path: join(OUT, file) });
  if (errors.length) console.warn(`${file}: console errors:`, errors);
  await page.close();
}

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  const t = await seed();
  const browser = await launchBrowser();
  const detailsId = bundledSites().find((s) => s.district === '蓬江区')!.id;
  try {
    for (const [size, vp] of [
      ['phone', VIEWPORTS.phone],
      ['laptop', VIEWPORTS.laptop],
    ] as const) {
      for (const mode of ['zh', 'en', 'elderly'] as const) {
        const ctx = await browser.newContext({
          viewport: vp,
          locale: 'zh-CN',
          geolocation: HOME,
          permissions: ['geolocation'],
          deviceScaleFactor: 1,
          isMobile: size === 'phone',
          hasTouch: size === 'phone',
        });
        await ctx.addInitScript((m: string) => {
          localStorage.setItem('shortline.lang', m === 'en' ? 'en' : 'zh-CN');
          localStorage.setItem('shortline.elderly', m === 'elderly' ? '1' : '0');
        }, mode);
        await shoot(ctx, `${t.url}/`, `resident-${size}-${mode}.png`, async (page) => {
          await page.waitForSelector('.best-item', { timeout: 10_000 }).catch(() => undefined);
        });
        await shoot(ctx, `${t.url}/?site=${detailsId}`, `resident-${size}-${mode}-details.png`, async (page) => {
          await page.waitForSelector('.d-charts canvas, .chart-status, .chart-none', { timeout: 10_000 });
        });
        if (mode !== 'elderly') {
          await shoot(ctx, `${t.url}/?site=${detailsId}`, `resident-${size}-${mode}-charts.png`, async (page) => {
            await page.waitForSelector('.d-charts canvas, .d-charts .chart-none', { timeout: 10_000 });
            await page.locator('.d-charts').scrollIntoViewIfNeeded();
          });
        }
        await ctx.close();
      }
    }
    const narrow = await browser.newContext({ viewport: { width: 320, height: 640 }, locale: 'zh-CN' });
    await shoot(narrow, `${t.url}/`, 'resident-320.png');
    await narrow.close();
    // Small phones (issue 16): the list, a site's details, and the page after the network dropped.
    for (const [w, hgt] of [
      [360, 640],
      [320, 568],
    ] as const) {
      const ctx = await browser.newContext({
        viewport: { width: w, height: hgt },
        locale: 'zh-CN',
        geolocation: HOME,
        permissions: ['geolocation'],
        isMobile: true,
        hasTouch: true,
      });
      await shoot(ctx, `${t.url}/`, `resident-${w}x${hgt}.png`, async (page) => {
        await page.waitForSelector('.best-item', { timeout: 10_000 }).catch(() => undefined);
      });
      await shoot(ctx, `${t.url}/?site=${detailsId}`, `resident-${w}x${hgt}-details.png`, async (page) => {
        await page.waitForSelector('.d-charts canvas, .chart-status, .chart-none', { timeout: 10_000 });
      });
      await ctx.close();
    }
    // A tablet: the details panel beside the map, the selected site centred in the map's part.
    const tablet = await browser.newContext({
      viewport: VIEWPORTS.tablet,
      locale: 'zh-CN',
      geolocation: HOME,
      permissions: ['geolocation'],
    });
    await shoot(tablet, `${t.url}/?site=${detailsId}`, 'resident-1024x768-details.png', async (page) => {
      await page.waitForSelector('[data-selected-site-id]', { timeout: 10_000 });
    });
    await shoot(tablet, `${t.url}/`, 'resident-1024x768.png', async (page) => {
      await page.waitForSelector('.best-item', { timeout: 10_000 }).catch(() => undefined);
    });
    await tablet.close();
    const phone = await browser.newContext({
      viewport: VIEWPORTS.phone,
      locale: 'zh-CN',
      geolocation: HOME,
      permissions: ['geolocation'],
      isMobile: true,
      hasTouch: true,
    });
    await shoot(phone, `${t.url}/`, 'resident-phone-offline.png', async (page) => {
      await page.waitForSelector('.best-item', { timeout: 10_000 }).catch(() => undefined);
      await phone.setOffline(true);
      await page.waitForSelector('[data-testid="conn-banner"]:not([hidden])', { timeout: 10_000 });
      await page.waitForTimeout(2500);
    });
    await phone.close();
    if (OUT === DEFAULT_OUT) for (const f of KEEP) copyFileSync(join(OUT, f), join('screenshots', f));
  } finally {
    await browser.close();
    await t.close();
  }
  console.log(`screenshots in ${OUT}`);
}

await main();
