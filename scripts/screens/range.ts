// Screenshots of how the resident page says a wait (shared/plain-words.ts waitShape), to look at:
// `npx tsx scripts/screens/range.ts [outDir]`. The bundled registry with one carrier batch and no
// staff count behind it (so estimates are uncalibrated: wide ranges, the largest marked rough), a
// few fresh staff counts near the resident (narrow: plain points), and a "go elsewhere" notice on
// the nearest short queue. Phone sizes 390x844 and 320x640: the recommendations and list rows
// (sheet pulled up), and a site with a wide range in detail; Chinese, and English at 390 px.
// Default output: screenshots/tmp (git-ignored), with the shots copied to screenshots/.
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { LiveState } from '../../shared/schemas.js';
import { bundledSites, issueToken, report, startTestApp, TEST_ADMIN_TOKEN } from '../../testing/server/app.js';
import { launchBrowser, watchErrors } from '../../testing/server/browser.js';
import { sendCarrierBatch } from '../../testing/server/carrier.js';

const DEFAULT_OUT = 'screenshots/tmp';
const OUT = process.argv[2] ?? DEFAULT_OUT;
/** Near Baisha street, Pengjiang: where the resident stands (as in resident.ts). */
const HOME = { latitude: 22.5935, longitude: 113.08 };
const SIZES = [
  [390, 844],
  [320, 640],
] as const;

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  const sites = bundledSites();
  const t = await startTestApp({ sites, config: { demo: true, frameMs: 200 } });
  const near = sites
    .map((s) => ({ s, d: Math.hypot(s.lat - HOME.latitude, s.lng - HOME.longitude) }))
    .sort((a, b) => a.d - b.d)
    .map((x) => x.s);
  // One carrier batch: 10-400 people per site, never checked against staff; among the nearest,
  // a moderate crowd (a range a recommendation shows) and one of 1000 (an unsure estimate: rough).
  const people = new Map(sites.map((s, i) => [s.id, 10 + ((i * 7919) % 390)]));
  people.set(near[2]!.id, 70);
  people.set(near[4]!.id, 1000);
  const readings = sites.map((s) => ({ siteId: s.id, people: people.get(s.id)!, confidence: 0.8 }));
  const res = await sendCarrierBatch(t.url, readings, t.clock.now());
  if (!res.ok) throw new Error(`carrier batch: ${res.status} ${await res.text()}`);
  // Fresh staff counts at the sites nearest HOME: narrow estimates, said as points.
  for (const [k, s] of near.slice(0, 2).entries()) {
    const tok = await issueToken(t, s.id);
    await report(t, tok.token, s.id, { queue: [0, 30][k] });
  }
  const notice = await fetch(`${t.url}/api/admin/notices`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      siteId: near[0]!.id,
      kind: 'redirect',
      redirectSiteId: near[1]!.id,
      message: '试剂用完，请改去别处',
      ttlMinutes: 120,
    }),
  });
  if (notice.status !== 201) throw new Error(`notice: ${notice.status}`);
  // The detailed site: the crowded one, whose range is wide and whose estimate is rough.
  const live = ((await (await fetch(`${t.url}/api/live`)).json()) as { sites: LiveState[] }).sites;
  const wide = live.find((l) => l.siteId === near[4]!.id)!;
  console.log(
    `detailed site ${wide.siteId}: ${wide.waitMinutes} min ${JSON.stringify(wide.waitRange)} confidence ${wide.confidence}`,
  );

  const browser = await launchBrowser();
  const shots: string[] = [];
  const shoot = async (page: Page, file: string) => {
    await page.screenshot({ path: join(OUT, file) });
    shots.push(file);
  };
  try {
    for (const [w, hgt] of SIZES) {
      for (const lang of w === 390 ? (['zh-CN', 'en'] as const) : (['zh-CN'] as const)) {
        const ctx = await browser.newContext({
          viewport: { width: w, height: hgt },
          locale: 'zh-CN',
          geolocation: HOME,
          permissions: ['geolocation'],
          isMobile: true,
          hasTouch: true,
        });
        await ctx.addInitScript((l: string) => localStorage.setItem('shortline.lang', l), lang);
        const suffix = lang === 'en' ? '-en' : '';
        const page = await ctx.newPage();
        const errors = watchErrors(page);
        await page.goto(`${t.url}/`);
        await page.waitForSelector('body[data-ready]', { timeout: 30_000 });
        await page.waitForSelector('.best-item', { timeout: 10_000 });
        // Sheet pulled up, recommendations at the top and the first list rows under them.
        await page.click('.sheet-handle');
        await page.waitForFunction(() => document.body.dataset.sheet === 'full');
        await page.waitForFunction(() => document.querySelectorAll('.site-row .wait').length > 0);
        await shoot(page, `resident-range-${w}x${hgt}${suffix}.png`);
        // The list around the crowded site: points, ranges and the rough mark together.
        await page
          .locator(`.site-list li[data-site-id="${wide.siteId}"]`)
          .evaluate((el) => el.scrollIntoView({ block: 'center' }));
        await shoot(page, `resident-range-${w}x${hgt}${suffix}-rows.png`);
        await page.goto(`${t.url}/?site=${wide.siteId}`);
        await page.waitForSelector('section.details .d-wait');
        await shoot(page, `resident-range-${w}x${hgt}${suffix}-details.png`);
        if (errors.length) console.warn(`${w}x${hgt} ${lang}: console errors:`, errors);
        await ctx.close();
      }
    }
    if (OUT === DEFAULT_OUT) for (const f of shots) copyFileSync(join(OUT, f), join('screenshots', f));
  } finally {
    await browser.close();
    await t.close();
  }
  console.log(`screenshots in ${OUT}: ${shots.join(', ')}`);
}

await main();
