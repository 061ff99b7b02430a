// Helpers for the resident page's browser tests: synthetic registries, a signed carrier batch,
// restarting an app on the same port, and page-side probes.
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { createApp } from '../../server/app.js';
import { silentLogger } from '../../server/logger.js';
import { issueToken, report, type TestApp } from '../server/app.js';
import { watchErrors } from '../server/browser.js';
import type { Site } from '../../shared/schemas.js';
import { sendCarrierBatch, type CarrierReading } from '../server/carrier.js';

export const ORIGIN = { lat: 22.58, lng: 113.08 };
/** A point `m` metres north and `e` metres east of ORIGIN. */
export const offset = (m: number, e = 0) => ({
  lat: ORIGIN.lat + m / 111_195,
  lng: ORIGIN.lng + e / (111_195 * Math.cos((ORIGIN.lat * Math.PI) / 180)),
});

export const HOSTILE_NAME = '<img src=x onerror=window.__xss=1>';

/** Always-open sites around ORIGIN: a near one, a slightly farther one, a hostile name, and more. */
/** A two-lane site in 蓬江区 白沙街道 at `p`, always open unless `extra` says otherwise. */
export const testSite = (
  id: string,
  name: string,
  p: { lat: number; lng: number },
  extra: Partial<Site> = {},
): Site => ({
  id,
  name,
  district: '蓬江区',
  street: '白沙街道',
  lanes: 2,
  ...p,
  ...extra,
});

export function residentSites(): Site[] {
  return [
    testSite('near', '近处采样点', offset(150)),
    testSite('far', '稍远采样点', offset(700), { tags: ['green-channel'] }),
    testSite('evil', HOSTILE_NAME, offset(-1500, 800), {
      address: '<script>window.__xss=2</script>',
      street: '<b>街</b>',
    }),
    testSite('east', '东边采样点', offset(300, 1200), { tags: ['24h'] }),
    testSite('west', '西边采样点', offset(-200, -900)),
  ];
}

/** `n` always-open sites spread over ~100 km around Jiangmen. */
export function syntheticSites(n: number): Site[] {
  const districts = ['蓬江区', '江海区', '新会区', '台山市', '开平市', '鹤山市', '恩平市'];
  return Array.from({ length: n }, (_, i) => ({
    id: `syn-${i}`,
    name: `合成采样点 ${i}`,
    district: districts[i % districts.length]!,
    lat: 22.1 + ((i * 7919) % 10_007) / 10_007,
    lng: 112.4 + ((i * 104_729) % 10_009) / 10_009,
    lanes: 1 + (i % 4),
  }));
}

export function postCarrier(t: TestApp, readings: readonly CarrierReading[], nowMs = t.clock.now()): Promise<Response> {
  return sendCarrierBatch(t.url, readings, nowMs);
}

/** A new app on the same port with the same store: what a restarted server looks like to a page. */
export async function restartOnPort(prev: TestApp, sites: readonly Site[]): Promise<TestApp> {
  const app = await createApp({
    config: prev.config,
    store: prev.store,
    clock: prev.clock,
    logger: silentLogger(),
    sites,
  });
  await app.listen(prev.port, '127.0.0.1');
  return { ...prev, app, close: () => app.close() };
}

export interface OpenPage {
  page: Page;
  errors: string[];
}

/** Opens `path` in a fresh context and waits until the first render is done. */
export async function openResident(
  browser: Browser,
  t: TestApp,
  path = '/',
  opts: BrowserContextOptions = {},
  /** Runs in the page before any of its own scripts (a test's probes). */
  init?: () => void,
): Promise<OpenPage> {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 }, ...opts });
  const page = await ctx.newPage();
  if (init) await page.addInitScript(init);
  const errors = watchErrors(page);
  await page.goto(`${t.url}${path}`);
  await page.waitForSelector('body[data-ready]', { timeout: 60_000 });
  return { page, errors };
}

export async function issueAndReport(t: TestApp, siteId: string, body: Record<string, unknown>): Promise<void> {
  const { token } = await issueToken(t, siteId);
  const res = await report(t, token, siteId, body);
  if (res.status !== 200) throw new Error(`report: ${res.status}`);
}

/**
 * Runs in the page: every visible text node's colour against the first opaque background behind it
 * (WCAG relative luminance); returns those under 4.5:1 (3:1 for large or bold-large text).
 * The map's canvas and tiles are not text, so the map's own controls are left out.
 */
export function lowContrastTexts(): string[] {
  const parse = (c: string) => (c.match(/[\d.]+/g) ?? []).map(Number);
  const lum = ([r, g, b]: number[]) => {
    const f = (v: number) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
    return 0.2126 * f(r!) + 0.7152 * f(g!) + 0.0722 * f(b!);
  };
  const background = (el: Element | null): number[] => {
    for (; el; el = el.parentElement) {
      const c = parse(getComputedStyle(el).backgroundColor);
      if (c.length >= 3 && (c[3] ?? 1) > 0.9) return c;
    }
    return [255, 255, 255];
  };
  const out: string[] = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!el || !n.textContent?.trim() || el.closest('.leaflet-control-zoom, [hidden], option')) continue;
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden' || style.display === 'none' || el.getClientRects().length === 0) continue;
    const fg = lum(parse(style.color));
    const bg = lum(background(el));
    const ratio = (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
    const size = parseFloat(style.fontSize);
    const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
    if (ratio < (large ? 3 : 4.5))
      out.push(
        `${n.textContent.trim().slice(0, 30)} (${ratio.toFixed(2)}:1, ${style.color} on ${getComputedStyle(el).backgroundColor})`,
      );
  }
  return out;
}

export const levelOf = (page: Page, selector: string) =>
  page.$eval(selector, (el) => (el as HTMLElement).dataset.level ?? null).catch(() => null);
