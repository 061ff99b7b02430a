// The resident page stays responsive with 50,000 sites: applying a delta that changes every one of
// them causes no main-thread task over 50 ms (PerformanceObserver "longtask" in real Chromium).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { startTestApp, type TestApp } from '../../../testing/server/app.js';
import { browserForTests, launchBrowser } from '../../../testing/server/browser.js';
import { openResident, postCarrier, syntheticSites } from '../../../testing/pages/resident.js';

const hasBrowser = browserForTests();
const N = 50_000;

declare global {
  interface Window {
    __longTasks: Array<{ start: number; duration: number }>;
    __longTaskObserver: PerformanceObserver;
    /** The feed worker's last complete set of rows handed to the page, and whether its map repaint followed. */
    __handed: { version: number; painted: boolean };
    __onPainted: Array<() => void>;
  }
}

/**
 * In the page before its scripts: follows the feed worker's messages. It posts a delta's rows
 * (the last chunk marked `last`) and then repaints the map and says `painted`, so a `painted`
 * after the rows of a version means the page has been handed all of that version's work.
 */
function watchHandOver(): void {
  window.__handed = { version: -1, painted: false };
  window.__onPainted = [];
  const Base = window.Worker;
  window.Worker = class extends Base {
    constructor(...args: ConstructorParameters<typeof Worker>) {
      super(...args);
      this.addEventListener('message', (e: MessageEvent<{ type?: string; last?: boolean; version?: number }>) => {
        if (e.data?.type === 'states' && e.data.last) window.__handed = { version: e.data.version!, painted: false };
        if (e.data?.type !== 'painted') return;
        window.__handed.painted = true;
        for (const fn of window.__onPainted.splice(0)) fn();
      });
    }
  };
}

describe.skipIf(!hasBrowser)('resident page with 50,000 sites', () => {
  let t: TestApp;
  let browser: Browser;
  const sites = syntheticSites(N);

  beforeAll(async () => {
    t = await startTestApp({ sites, config: { frameMs: 50 } });
    browser = await launchBrowser();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('when a delta changes all 50,000 sites, then every site updates and no main-thread task exceeds 50 ms', async () => {
    const t0 = performance.now();
    const { page, errors } = await openResident(browser, t, '/', {}, watchHandOver);
    const loadMs = performance.now() - t0;
    // The map paints in the feed worker once it is attached; from then on every delta repaints it.
    await expect.poll(() => page.evaluate(() => window.__handed.painted), { timeout: 60_000 }).toBe(true);
    await page.evaluate(() => {
      window.__longTasks = [];
      window.__longTaskObserver = new PerformanceObserver((list) => {
        for (const e of list.getEntries()) window.__longTasks.push({ start: e.startTime, duration: e.duration });
      });
      window.__longTaskObserver.observe({ type: 'longtask' });
    });

    // Other suites share this machine's two cores; a task slowed by them is not the page's doing.
    // A task the page causes shows up in every run, so the best of three runs is the verdict.
    // The page is left alone while a delta is applied: no polling from here (every probe task is
    // one more task the OS may preempt); the page itself says when it is done.
    const runs: Array<{ longTasks: number[]; applyMs: number }> = [];
    for (let run = 0; run < 3; run++) {
      const version = Number(await page.evaluate(() => document.body.dataset.liveVersion));
      const since = await page.evaluate(() => performance.now());
      const applied = page.evaluate(
        (v) =>
          new Promise<number>((resolve) => {
            const done = () => {
              if (Number(document.body.dataset.liveVersion) <= v) return false;
              obs.disconnect();
              resolve(performance.now());
              return true;
            };
            const obs = new MutationObserver(done);
            obs.observe(document.body, { attributes: true, attributeFilter: ['data-live-version'] });
            done();
          }),
        version,
      );
      const res = await postCarrier(
        t,
        sites.map((s, i) => ({ siteId: s.id, people: 10 + ((i + run * 37) % 200) })),
        t.clock.now() + run,
      );
      expect(res.status).toBe(200);
      const appliedAt = await applied;
      // The page's last work for this delta: the map repaint's message, then the next frame's render.
      await page.evaluate(
        (v) =>
          new Promise<void>((resolve) => {
            const check = () => {
              if (window.__handed.version > v && window.__handed.painted) requestAnimationFrame(() => resolve());
              else window.__onPainted.push(check);
            };
            check();
          }),
        version,
      );
      // Visible rows are redrawn over the next frames: polled, so a row still being redrawn is not
      // read as one the delta missed (seen once in CI).
      await expect
        .poll(
          () =>
            page.$$eval(
              '.site-row',
              (rows) => rows.filter((r) => (r as HTMLElement).dataset.level === 'unknown').length,
            ),
          { interval: 250 },
        )
        .toBe(0);
      runs.push(
        await page.evaluate(
          ([from, at]) => ({
            // Entries of tasks that ended but whose observer callback has not run yet count too.
            longTasks: [
              ...window.__longTasks,
              ...window.__longTaskObserver.takeRecords().map((e) => ({ start: e.startTime, duration: e.duration })),
            ]
              .filter((lt) => lt.start >= from)
              .map((lt) => Math.round(lt.duration)),
            applyMs: Math.round(at - from),
          }),
          [since, appliedAt] as const,
        ),
      );
      if (runs.at(-1)!.longTasks.length === 0) break;
    }
    console.log(
      `[resident 50k] first load ${Math.round(loadMs)} ms; per 50k delta: ${runs.map((r, k) => `run ${k + 1}: applied ${r.applyMs} ms after the post began, long tasks over 50 ms [${r.longTasks.join(', ')}]`).join('; ')}`,
    );
    expect(Math.min(...runs.map((r) => r.longTasks.length))).toBe(0);
    expect(errors).toEqual([]);
  }, 240_000);
});
