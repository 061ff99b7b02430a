// A wall runs for days. One hour of a busy city, time-compressed with a manual clock (a carrier
// batch for every site and a burst of staff reports every minute), must leave the charts holding
// the same number of points, the DOM the same number of nodes, and the heap about where it was.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueToken, report } from '../../../testing/server/app.js';
import { browserForTests, launchBrowser, VIEWPORTS } from '../../../testing/server/browser.js';
import { carrierBatch, openWall, startWallApp, WALL_T0 } from '../../../testing/pages/wall.js';

const hasBrowser = browserForTests();
const MIN = 60_000;
const HOURS = 6;

interface Footprint {
  nodes: number;
  cityPoints: number;
  districtPoints: number;
  heap: number;
  trendsAt: string | null;
}

async function footprint(page: Page): Promise<Footprint> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  await cdp.detach();
  return page.evaluate(
    (heap) => ({
      nodes: document.getElementsByTagName('*').length,
      cityPoints: Number(document.querySelector('canvas[data-chart="city"]')?.getAttribute('data-points')),
      districtPoints: Number(document.querySelector('canvas[data-chart="districts"]')?.getAttribute('data-points')),
      trendsAt: document.querySelector('canvas[data-chart="city"]')?.getAttribute('data-at') ?? null,
      heap,
    }),
    usedSize,
  );
}

describe.skipIf(!hasBrowser)('wall over a long run', () => {
  let browser: Browser;
  let t: Awaited<ReturnType<typeof startWallApp>>;

  beforeAll(async () => {
    t = await startWallApp();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it(
    'when an hour of frequent updates goes by, then chart points, DOM nodes and heap stay bounded',
    { timeout: 300_000 },
    async () => {
      const sites = t.app.engine.sites;
      const staff = sites.filter((_, i) => i % 40 === 0);
      const tokens = await Promise.all(staff.map(async (s) => (await issueToken(t, s.id)).token));
      const { page, context, errors } = await openWall(browser, t, VIEWPORTS.wall);

      let minute = 0;
      const tick = async () => {
        minute += 1;
        t.clock.set(WALL_T0 + minute * MIN);
        await carrierBatch(
          t,
          sites.map((s, i) => ({ siteId: s.id, people: (i * 7 + minute * 13) % 150 })),
        );
        await Promise.all(staff.map((s, i) => report(t, tokens[i]!, s.id, { queue: (minute * 11 + i * 3) % 90 })));
        // The wall follows the server's minute: each minute's trends replace the chart data.
        const at = new Date(WALL_T0 + minute * MIN).toISOString();
        await page.waitForFunction(
          (a) => document.querySelector('canvas[data-chart="city"]')?.getAttribute('data-at') === a,
          at,
          { timeout: 20_000 },
        );
      };

      for (let i = 0; i < 10; i++) await tick();
      const early = await footprint(page);
      for (let i = 0; i < 55; i++) await tick();
      const late = await footprint(page);

      // Exactly one point a minute over the window, for the labels and each line, whatever the run length.
      const perSeries = HOURS * 60 + 1;
      const districts = new Set(sites.map((s) => s.district)).size;
      expect(early.cityPoints).toBe(perSeries * 3);
      expect(late.cityPoints).toBe(perSeries * 3);
      expect(late.districtPoints).toBe(perSeries * (districts + 1));
      expect(late.nodes).toBe(early.nodes);
      expect(late.heap).toBeLessThan(early.heap * 1.5);
      expect(late.trendsAt).toBe(new Date(WALL_T0 + 65 * MIN).toISOString());
      expect(errors).toEqual([]);
      await context.close();
    },
  );
});
