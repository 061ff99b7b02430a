import { startTestApp, bundledSites } from './server/testing/app.js';
import { launchBrowser } from './server/testing/browser.js';
const t = await startTestApp({ sites: bundledSites() });
const b = await launchBrowser();
const ctx = await b.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
const page = await ctx.newPage();
page.on('console', (m) => console.log('console', m.text()));
const cdp = await ctx.newCDPSession(page);
await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
await cdp.send('Network.enable');
await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 150, downloadThroughput: 200000, uploadThroughput: 93750 });
const t0 = Date.now();
await page.goto(t.url + '/');
for (let i = 0; i < 20; i++) {
  await page.waitForTimeout(1000);
  console.log(Date.now() - t0, await page.evaluate(() => ({ rows: document.querySelectorAll('.site-list li[data-site-id]').length, v: document.body.dataset.liveVersion, ready: document.body.dataset.ready, conn: document.documentElement.dataset.connection })));
}
await b.close(); await t.close();
