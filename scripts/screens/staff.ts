// Screenshots of the staff tablet page (npx tsx scripts/screens/staff.ts), for people to look at:
// 1024x768 and 768x1024, online after a confirmed report and offline with reports pending, plus
// the paused, English and revoked states. Uses real Jiangmen sites near the tablet's site, with
// opening hours removed so the pictures do not depend on the time of day.
import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { issueToken, report, bundledSites } from '../../testing/server/app.js';
import { launchBrowser, VIEWPORTS, watchErrors } from '../../testing/server/browser.js';
import { distanceM } from '../../client/src/staff/nearby.js';
import { enrol, newTabletPage, revokeToken, startStaffApp } from '../../testing/pages/staff.js';

const OUT = 'screenshots';
mkdirSync(OUT, { recursive: true });

const all = bundledSites();
const home = all[0]!;
const sites = all
  .map((s) => ({ s, d: distanceM(home, s) }))
  .sort((a, b) => a.d - b.d)
  .slice(0, 12)
  .map(({ s }) => ({ ...s, id: s.id === home.id ? 'site-1' : s.id, hours: undefined }));

const s = await startStaffApp(sites);
// Other sites' staff report too, so the nearby list shows loads of every level.
const loads = [4, 35, 90, 0, 12, 60, 150];
for (const [i, site] of sites.slice(1, 8).entries()) {
  const tok = await issueToken(s.t, site.id);
  await report(s.t, tok.token, site.id, {
    queue: loads[i]!,
    lanesOpen: 1,
    status: i === 3 ? 'closed' : i === 5 ? 'paused' : 'open',
    ...(i === 5 ? { pauseReason: 'supplies' } : {}),
  });
}

const browser = await launchBrowser();
const errorLists: string[][] = [];

async function shot(page: Page, name: string): Promise<void> {
  await page.waitForTimeout(300);
  await page.screenshot({ path: `${OUT}/${name}.png` });
  console.log(`${OUT}/${name}.png`);
}

for (const [label, viewport] of [
  ['landscape', VIEWPORTS.tablet],
  ['portrait', VIEWPORTS.tabletPortrait],
] as const) {
  const { context, page } = await newTabletPage(browser, viewport);
  errorLists.push(watchErrors(page));
  await enrol(page, s).catch(async (err: unknown) => {
    await page.screenshot({ path: `${OUT}/debug.png` });
    console.log('screen:', await page.evaluate(() => document.body.dataset.screen), errorLists.flat());
    throw err;
  });
  await page.click('[data-step="10"]');
  await page.click('[data-step="10"]');
  await page.click('[data-step="5"]');
  await page.waitForSelector('#phase[data-phase="confirmed"]');
  await page.waitForSelector('#nearby li[data-site-id]');
  await shot(page, `staff-${label}-online`);

  await context.setOffline(true);
  await page.waitForSelector('#net[data-state="offline"]');
  await page.click('[data-step="1"]');
  await page.waitForTimeout(1700);
  await page.click('[data-step="-5"]');
  await page.waitForSelector('#pending[data-count="2"]', { timeout: 10_000 });
  await shot(page, `staff-${label}-offline-pending`);
  await context.setOffline(false);
  await page.waitForSelector('#pending[data-count="0"]', { timeout: 20_000 });

  if (label === 'landscape') {
    await page.click('[data-status="paused"]');
    await page.click('[data-reason="supplies"]');
    await page.click('#lanes-less');
    await page.waitForSelector('#phase[data-phase="confirmed"]');
    await shot(page, 'staff-landscape-paused');
    await page.click('[data-status="open"]');
    await page.waitForSelector('#phase[data-phase="confirmed"]');
    await page.click('.bar .lang');
    await shot(page, 'staff-landscape-english');
    await page.click('.bar .lang');
  }
  await context.close();
}

// Revoked: the coordinator withdraws the tablet's token while it is offline with a report waiting.
{
  const { context, page } = await newTabletPage(browser, VIEWPORTS.tablet);
  await enrol(page, s);
  await context.setOffline(true);
  await page.click('[data-step="1"]');
  await page.waitForSelector('#pending[data-count="1"]');
  await revokeToken(s.t, s.tokenId);
  await context.setOffline(false);
  await page.waitForSelector('body[data-screen="revoked"]', { timeout: 20_000 });
  await shot(page, 'staff-revoked');
  await context.close();
}

// Not enrolled: opening /staff without a link on a fresh tablet.
{
  const { context, page } = await newTabletPage(browser, VIEWPORTS.tabletPortrait);
  await page.goto(`${s.t.url}/staff`);
  await page.waitForSelector('body[data-screen="notEnrolled"]');
  await shot(page, 'staff-not-enrolled');
  await context.close();
}

await browser.close();
await s.t.close();
// Failed requests while offline are the point of those pictures, not errors.
const errors = errorLists.flat().filter((e) => !e.includes('ERR_INTERNET_DISCONNECTED'));
if (errors.length) console.log('page errors:', errors);
