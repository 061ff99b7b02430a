// The lite page on the worst link: a town's sites (白沙街道, the largest, 61 sites, every one with a
// count) over 250 kbps / 300 ms RTT, emulated with Chromium's network conditions (CDP), script
// off. Figures: bytes transferred (the goal: <= 15 KB) and navigation start to the first
// wait painted (goal: <= 2.0 s). Reference, same link and server: the map page `/` until its
// list is ready (body[data-ready]), which is what a resident waited for before /lite existed.
import type { Browser, CDPSession } from 'playwright-core';
import { launchBrowser } from '../../testing/server/browser.js';
import { seedReach } from '../screens/reach.js';
import type { Benchmark } from './lib/context.js';
import { makeRow, type Row } from './lib/report.js';

const SLOW = { offline: false, latency: 300, downloadThroughput: 250_000 / 8, uploadThroughput: 250_000 / 8 };
const AREA = encodeURIComponent('白沙街道');

interface Visit {
  bytes: number;
  firstWaitMs: number;
}

async function visit(browser: Browser, url: string, script: boolean, ready: string): Promise<Visit> {
  const ctx = await browser.newContext({ javaScriptEnabled: script, viewport: { width: 390, height: 844 } });
  const page = await ctx.newPage();
  const cdp: CDPSession = await ctx.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  await cdp.send('Network.emulateNetworkConditions', SLOW);
  let bytes = 0;
  cdp.on('Network.loadingFinished', (e) => (bytes += e.encodedDataLength));
  cdp.on('Network.webSocketFrameReceived', (e) => (bytes += e.response.payloadData.length));
  await page.goto(url, { waitUntil: 'commit', timeout: 120_000 });
  await page.waitForSelector(ready, { timeout: 120_000 });
  // Script is off on /lite: the paint timing is read through the CDP, not by the page.
  if (!script)
    await page
      .waitForFunction(() => performance.getEntriesByName('first-contentful-paint').length > 0, undefined, {
        timeout: 30_000,
      })
      .catch(() => undefined);
  const firstWaitMs = await page.evaluate((sel) => {
    const fcp = performance.getEntriesByName('first-contentful-paint')[0]?.startTime;
    const mark = performance.getEntriesByType('mark').find((m) => m.name === 'resident:first-render')?.startTime;
    return sel.includes('data-ready') ? (mark ?? performance.now()) : (fcp ?? performance.now());
  }, ready);
  await page.waitForTimeout(500);
  await ctx.close();
  return { bytes, firstWaitMs };
}

export const lite: Benchmark = {
  names: ['lite'],
  async run(ctx) {
    ctx.log('lite: /lite and / over 250 kbps / 300 ms RTT');
    const t = await seedReach();
    const browser = await launchBrowser();
    try {
      // One visit first, discarded: the browser's first page pays for loading the CJK fonts.
      await visit(browser, `${t.url}/lite?area=${AREA}`, false, 'li[data-site-id][data-level]');
      const ours: Visit[] = [];
      const refs: Visit[] = [];
      for (let i = 0; i < ctx.runs; i++) {
        ours.push(await visit(browser, `${t.url}/lite?area=${AREA}`, false, 'li[data-site-id][data-level]'));
        if (i === 0 || !ctx.quick) refs.push(await visit(browser, `${t.url}/`, true, 'body[data-ready]'));
      }
      const rows: Row[] = [
        makeRow({
          name: '/lite, a town (61 sites), bytes transferred',
          unit: 'KB',
          ours: ours.map((v) => v.bytes / 1024),
          reference: refs.map((v) => v.bytes / 1024),
          goal: { of: 'ours', op: '<=', value: 15 },
          note: 'reference: / until its list is ready',
        }),
        makeRow({
          name: '/lite, a town, first wait painted, 250 kbps / 300 ms RTT',
          unit: 'ms',
          ours: ours.map((v) => v.firstWaitMs),
          reference: refs.map((v) => v.firstWaitMs),
          goal: { of: 'ours', op: '<=', value: 2000 },
          note: 'first contentful paint (the list is in the first paint); reference: / until its list is ready',
        }),
      ];
      return rows;
    } finally {
      await browser.close();
      await t.close();
    }
  },
};
