// Node-side helpers for the wall's tests (never bundled: no page imports this file).
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Site, Summary } from '../../shared/schemas.js';
import { ManualClock } from '../../server/clock.js';
import type { Config } from '../../server/config.js';
import { bundledSites, startTestApp, TEST_ADMIN_TOKEN, type TestApp } from '../server/app.js';
import { watchErrors } from '../server/browser.js';
import { postCarrier, type CarrierReading } from '../server/carrier.js';

/** Posts a signed carrier batch through the real feed API. */
export async function carrierBatch(
  t: TestApp,
  readings: readonly CarrierReading[],
  observedAt = new Date(t.clock.now()).toISOString(),
): Promise<number> {
  return postCarrier(t.url, t.clock.now(), readings, Date.parse(observedAt));
}

/** Monday 10:00 in Jiangmen: inside the opening hours of every bundled site. */
export const WALL_T0 = Date.parse('2026-11-23T02:00:00Z');

/** A small city for admin tests: three districts, three always-open sites each. */
export function adminSites(): Site[] {
  const districts = ['蓬江区', '江海区', '新会区'];
  return districts.flatMap((district, d) =>
    [1, 2, 3].map((n) => ({
      id: `s-${d}-${n}`,
      name: `${district}测试点 ${n}`,
      district,
      address: `${district}某路 ${n} 号`,
      lat: 22.55 + d * 0.05 + n * 0.005,
      lng: 113.05 + n * 0.01,
      lanes: 2,
      ...(n === 1 ? { tags: ['green-channel'] } : {}),
    })),
  );
}

export async function startWallApp(
  opts: { sites?: Site[]; config?: Partial<Config> } = {},
): Promise<TestApp & { clock: ManualClock }> {
  const clock = new ManualClock(WALL_T0);
  const t = await startTestApp({ clock, sites: opts.sites ?? bundledSites(), config: opts.config });
  return Object.assign(t, { clock });
}

/** Opens /wall (or another address) at a size and waits until it has drawn live data. */
export async function openWall(
  browser: Browser,
  t: TestApp,
  size: { width: number; height: number },
  path = '/wall',
): Promise<{ page: Page; context: BrowserContext; errors: string[] }> {
  const context = await browser.newContext({ viewport: size });
  const page = await context.newPage();
  const errors = watchErrors(page);
  await page.goto(`${t.url}${path}`);
  await page.waitForSelector('.wall[data-ready="true"]');
  return { page, context, errors };
}

/** The wall's big totals, from their data-value attributes. */
export function kpis(page: Page): Promise<Record<string, number | null>> {
  return page.evaluate(() => {
    const out: Record<string, number | null> = {};
    for (const el of document.querySelectorAll<HTMLElement>('[data-kpi]')) {
      const v = el.querySelector<HTMLElement>('.v')?.dataset.value ?? '';
      out[el.dataset.kpi!] = v === '' ? null : Number(v);
    }
    return out;
  });
}

export async function summary(t: TestApp): Promise<Summary> {
  return (await (await fetch(`${t.url}/api/summary`)).json()) as Summary;
}

/** Logs in to /wall/admin with the test admin token. */
export async function openAdmin(
  browser: Browser,
  t: TestApp,
): Promise<{ page: Page; context: BrowserContext; errors: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const errors = watchErrors(page);
  await page.goto(`${t.url}/wall/admin`);
  await page.fill('input[name="token"]', TEST_ADMIN_TOKEN);
  await page.click('form[data-form="login"] button[type="submit"]');
  await page.waitForSelector('[data-section="tokens"]');
  return { page, context, errors };
}

/** Everything the layout must satisfy at any wall size. */
export async function wallLayout(page: Page) {
  return page.evaluate(() => {
    const de = document.documentElement;
    const clipped = [...document.querySelectorAll<HTMLElement>('.panel, .kpi, .w-head')]
      .filter((el) => el.scrollHeight > el.clientHeight + 1 || el.scrollWidth > el.clientWidth + 1)
      .map((el) => el.className);
    const offscreen = [...document.querySelectorAll<HTMLElement>('.panel, .kpi')]
      .filter((el) => {
        const r = el.getBoundingClientRect();
        return r.bottom > innerHeight || r.right > innerWidth || r.top < 0 || r.left < 0;
      })
      .map((el) => el.className);
    // The smallest text in the page's own elements (chart ticks are drawn on canvas, sized alike).
    let minFont = Infinity;
    for (const el of document.querySelectorAll<HTMLElement>('.wall *')) {
      if (![...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent!.trim())) continue;
      if (el.closest('.leaflet-pane')) continue;
      minFont = Math.min(minFont, parseFloat(getComputedStyle(el).fontSize));
    }
    return { sh: de.scrollHeight, sw: de.scrollWidth, ih: innerHeight, iw: innerWidth, clipped, offscreen, minFont };
  });
}
