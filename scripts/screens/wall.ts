// Screenshots of the wall (1920x1080, 3840x2160, English), admin mode and printed sheets, after
// six simulated hours of a city (time-compressed with a manual clock, through the real API), and
// that day's export as CSV (an excerpt in screenshots/export-day.csv).
// Run: npx tsx scripts/screens/wall.ts   (needs Chromium; builds nothing: run `npx vite build` first)
import { mkdirSync, writeFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { carrierBatch } from '../../testing/pages/wall.js';
import { defaultAlertConfig } from '../../server/alerts/config.js';
import { ManualClock } from '../../server/clock.js';
import { launchBrowser, VIEWPORTS, watchErrors } from '../../testing/server/browser.js';
import {
  bundledSites,
  issueToken,
  report,
  startTestApp,
  TEST_ADMIN_TOKEN,
  type TestApp,
} from '../../testing/server/app.js';

const OUT = 'screenshots';
const MIN = 60_000;
/** Monday 09:00 in Jiangmen; the run ends at 15:00. */
const START = Date.parse('2026-11-23T01:00:00Z');
const HOURS = 6;
const STEP_MIN = 5;

/** A deterministic pseudo-random stream, so every run draws the same city. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
}

/** Load over the day: morning and late-afternoon peaks, quiet at lunch. */
const profile = (hour: number) =>
  0.25 + 0.9 * Math.exp(-((hour - 10.2) ** 2) / 1.2) + 0.7 * Math.exp(-((hour - 14.8) ** 2) / 0.9);

async function pool<T>(items: readonly T[], n: number, fn: (x: T) => Promise<unknown>): Promise<void> {
  let i = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (i < items.length) await fn(items[i++]!);
    }),
  );
}

async function simulate(t: TestApp, clock: ManualClock): Promise<void> {
  const sites = t.app.engine.sites;
  const r = rng(7);
  const factor = sites.map(() => 0.4 + 1.8 * r() ** 2);
  for (let i = 0; i < 8; i++) factor[Math.floor(r() * sites.length)] = 4 + r() * 2; // hot spots
  const staffSites = sites.filter((_, i) => i % 3 === 0);
  const tokens = new Map<string, string>();
  await pool(staffSites, 16, async (s) => tokens.set(s.id, (await issueToken(t, s.id)).token));
  const dark = new Set(sites.filter((_, i) => i % 83 === 5).map((s) => s.id));
  const rising = new Set(sites.filter((_, i) => i % 97 === 11).map((s) => s.id));
  const disagree = new Set(staffSites.filter((_, i) => i % 61 === 7).map((s) => s.id));
  // Each tablet's cumulative served counter: its lanes at a rate of its own (0.6-1.4 people/min
  // per lane), so the wall and the export show learned rates.
  const served = new Map<string, number>();
  const rate = new Map(staffSites.map((s) => [s.id, 0.6 + 0.8 * r()]));
  const steps = (HOURS * 60) / STEP_MIN;
  for (let step = 0; step <= steps; step++) {
    const now = clock.now();
    const minutesLeft = (steps - step) * STEP_MIN;
    const hour = 9 + (step * STEP_MIN) / 60;
    const queueOf = (i: number) => {
      const s = sites[i]!;
      let q = factor[i]! * profile(hour) * s.lanes * 9 * (0.85 + 0.3 * r());
      if (rising.has(s.id) && minutesLeft <= 15) q += (15 - minutesLeft) * 9;
      return Math.max(0, Math.round(q));
    };
    const readings: Array<{ siteId: string; people: number }> = [];
    sites.forEach((s, i) => {
      if (dark.has(s.id) && minutesLeft < 50) return;
      const boost = disagree.has(s.id) && minutesLeft === 0 ? 5 : 1;
      readings.push({ siteId: s.id, people: Math.round(queueOf(i) * 2 * boost * (0.9 + 0.2 * r())) });
    });
    await carrierBatch(t, readings);
    if (step % 2 === 0 || minutesLeft === 0) {
      await pool(staffSites, 16, async (s) => {
        if (dark.has(s.id) && minutesLeft < 50) return;
        const i = sites.indexOf(s);
        const paused = r() < 0.01;
        const queue = queueOf(i);
        // The drawn queue stands for the whole ten minutes: while anyone waits, every lane works.
        const done = queue > 0 ? Math.round(s.lanes * rate.get(s.id)! * 2 * STEP_MIN) : 0;
        served.set(s.id, (served.get(s.id) ?? 0) + (step === 0 ? 0 : done));
        await report(t, tokens.get(s.id)!, s.id, {
          queue,
          served: served.get(s.id),
          ...(paused ? { status: 'paused', pauseReason: 'supplies' } : {}),
        });
      });
    }
    if (step < steps) clock.set(now + STEP_MIN * MIN);
  }
  const post = (body: object) =>
    fetch(`${t.url}/api/admin/notices`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const [a, b] = [sites[3]!, sites[4]!];
  await post({ siteId: a.id, kind: 'closed', message: '采样试剂用完，今天下午暂停采样。', ttlMinutes: 240 });
  await post({
    siteId: b.id,
    kind: 'redirect',
    redirectSiteId: sites[5]!.id,
    message: '本点排队过长，请前往附近采样点。',
    ttlMinutes: 120,
  });
  await post({ kind: 'info', message: '今晚 20:00 起全市采样点延长服务至 22:00。', ttlMinutes: 600 });
}

async function wall(page: Page, size: { width: number; height: number }, url: string, file: string): Promise<void> {
  await page.setViewportSize(size);
  await page.goto(url);
  await page.waitForSelector('.wall[data-ready="true"]');
  await page.waitForFunction(
    () => Number(document.querySelector('canvas[data-chart="city"]')?.getAttribute('data-points') ?? 0) > 0,
  );
  await page.waitForTimeout(1500);
  const fits = await page.evaluate(() => ({
    h: document.documentElement.scrollHeight,
    w: document.documentElement.scrollWidth,
    ih: innerHeight,
    iw: innerWidth,
    // Panels whose content does not fit (the browser tests' rule), named by their title.
    clipped: [...document.querySelectorAll<HTMLElement>('.panel, .kpi, .w-head')]
      .filter((el) => el.scrollHeight > el.clientHeight + 1 || el.scrollWidth > el.clientWidth + 1)
      .map(
        (el) =>
          `${el.querySelector('h2')?.textContent ?? el.className} ${el.scrollWidth}x${el.scrollHeight} in ${el.clientWidth}x${el.clientHeight}`,
      ),
    actions: document.querySelectorAll('[data-list="actions"] li[data-site-id]').length,
  }));
  console.log(file, JSON.stringify(fits));
  await page.screenshot({ path: `${OUT}/${file}` });
}

async function admin(page: Page, url: string): Promise<void> {
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(`${url}/wall/admin`);
  await page.fill('input[name="token"]', TEST_ADMIN_TOKEN);
  await page.click('form[data-form="login"] button[type="submit"]');
  await page.waitForSelector('[data-section="tokens"]');
  const tokens = page.locator('[data-section="tokens"]');
  await tokens.locator('select[data-pick="district"]').selectOption('江海区');
  const firstSite = await tokens.locator('select[data-pick="site"] option').nth(1).getAttribute('value');
  await tokens.locator('select[data-pick="site"]').selectOption(firstSite!);
  await tokens.locator('[data-action="issue"]').click();
  await page.waitForSelector('[data-issued] [data-qr-text]');
  await page.screenshot({ path: `${OUT}/admin-1280.png`, fullPage: true });

  await page.click('[data-tab="print"]');
  const print = page.locator('[data-section="print"]');
  await print.locator('select[data-pick="district"]').selectOption('江海区');
  await print.locator('[data-action="sheets"]').click();
  await page.waitForSelector('#print-root .sheet', { timeout: 60_000 });
  await printed(page, 'print-enrolment-sheet.png', 'print-enrolment-sheets.pdf');

  await print.locator('select[data-pick="site"]').selectOption(firstSite!);
  await print.locator('[data-action="posters"]').click();
  await page.waitForSelector('#print-root .poster');
  await printed(page, 'print-poster.png', 'print-poster.pdf');
}

/** The first printed page as an image (A4 at 96 dpi, print CSS), and the whole print as a PDF. */
async function printed(page: Page, png: string, pdf: string): Promise<void> {
  await page.pdf({ path: `${OUT}/${pdf}`, format: 'A4', printBackground: true });
  await page.emulateMedia({ media: 'print' });
  // A4 at 96 dpi less the 10 mm @page margins: the area one printed page shows.
  await page.setViewportSize({ width: 718, height: 1047 });
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: `${OUT}/${png}` });
  await page.emulateMedia({ media: 'screen' });
  await page.setViewportSize({ width: 1280, height: 900 });
}

/**
 * The simulated day as the daily report's CSV, read back: every row as wide as the header, and
 * served counts present. The whole file goes to screenshots/tmp/ (not kept: ~0.6 MB); one
 * district's first sites, every hour, to screenshots/export-day.csv.
 */
async function exportDay(t: TestApp): Promise<void> {
  const q = new URLSearchParams({
    from: new Date(START).toISOString(),
    to: new Date(START + HOURS * 3_600_000).toISOString(),
    format: 'csv',
  });
  const res = await fetch(`${t.url}/api/admin/export?${q}`, {
    headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
  });
  // Bytes, not res.text(): the decoder would drop the byte-order mark the export starts with.
  const csv = Buffer.from(await res.arrayBuffer()).toString('utf8');
  mkdirSync(`${OUT}/tmp`, { recursive: true });
  writeFileSync(`${OUT}/tmp/export-day.csv`, csv);
  const [head, ...rows] = csv.trim().split('\n');
  const cols = head!.split(',');
  const ragged = rows.filter((row) => row.split(',').length !== cols.length).length;
  const withServed = rows.filter((row) => row.split(',')[cols.indexOf('served')] !== '').length;
  // trim() took the byte-order mark spreadsheets need to read the Chinese names: put it back.
  const bom = csv.startsWith('\uFEFF') ? '\uFEFF' : '';
  writeFileSync(`${OUT}/export-day.csv`, bom + [head, ...rows.slice(0, 7 * HOURS)].join('\n') + '\n');
  console.log(
    `export: HTTP ${res.status}, ${rows.length} rows (site x hour), ${ragged} ragged, ${withServed} with served`,
  );
}

const clock = new ManualClock(START);
// Alerts evaluated often: the simulated clock runs ~300 times faster than real time.
const t = await startTestApp({
  clock,
  sites: bundledSites(),
  config: { frameMs: 200, alerts: { ...defaultAlertConfig, evalMs: 200 } },
});
mkdirSync(OUT, { recursive: true });
const browser = await launchBrowser();
try {
  const page = await browser.newPage();
  // First boot: no data yet, every list empty.
  await wall(page, VIEWPORTS.wall, `${t.url}/wall`, 'wall-empty-1920x1080.png');
  const t0 = Date.now();
  await simulate(t, clock);
  console.log(`simulated ${HOURS} h in ${Math.round((Date.now() - t0) / 1000)} s`);
  const errors = watchErrors(page);
  page.on('response', (r) => {
    if (r.status() >= 400) errors.push(`${r.status()} ${r.url()}`);
  });
  await wall(page, VIEWPORTS.wall, `${t.url}/wall`, 'wall-1920x1080.png');
  await wall(page, VIEWPORTS.wall4k, `${t.url}/wall`, 'wall-3840x2160.png');
  await wall(page, VIEWPORTS.wall, `${t.url}/wall?lang=en`, 'wall-en-1920x1080.png');
  await admin(page, t.url);
  await exportDay(t);
  if (errors.length) console.log('page errors:', errors);
} finally {
  await browser.close();
  await t.close();
}
