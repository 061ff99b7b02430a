// The wall's "needs action" panel works out lanes from the rate each site really serves at, once
// the tablets' served counters have taught it (GET /api/service-rates), and says so.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueToken, report, testSites } from '../../../testing/server/app.js';
import { browserForTests, launchBrowser, VIEWPORTS } from '../../../testing/server/browser.js';
import { openWall, startWallApp } from '../../../testing/pages/wall.js';

const hasBrowser = browserForTests();

describe.skipIf(!hasBrowser)('wall: learned service rates in the actions', { timeout: 60_000 }, () => {
  let browser: Browser;
  let t: Awaited<ReturnType<typeof startWallApp>>;

  beforeAll(async () => {
    t = await startWallApp({ sites: testSites(3), config: { serviceRate: 2 } });
    browser = await launchBrowser();
    // Site 1 has both lanes open but serves one person a minute per lane, not the configured two:
    // 100 waiting is 50 minutes, not 25. A count every 10 minutes with the served counter.
    const { token } = await issueToken(t, 'site-1');
    let served = 200;
    for (let k = 0; k < 5; k++) {
      expect((await report(t, token, 'site-1', { queue: 100, lanesOpen: 2, served })).status).toBe(200);
      t.clock.advance(10 * 60_000);
      served += 20;
    }
    expect((await report(t, token, 'site-1', { queue: 100, lanesOpen: 2, served })).status).toBe(200);
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('when a site serves slower than configured, then the wall asks for the staff its real rate needs and names that rate', async () => {
    const { page, context, errors } = await openWall(browser, t, VIEWPORTS.wall);
    const row = page.locator('.list-actions li[data-action="send-staff"]', { hasText: '测试点 1' });
    // Under 30 minutes with 100 waiting at one a minute a lane takes four lanes: two more.
    await expect.poll(() => row.locator('.act').innerText()).toBe('增派人手 +2 道（实测 1.0 人/分/道）');
    expect(errors).toEqual([]);
    await context.close();
  });
});
