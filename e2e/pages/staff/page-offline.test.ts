// The staff page's promise: nothing lost offline, nothing applied twice when the network returns,
// server trouble retried. Real Chromium, real app; offline is Playwright's network emulation.
import { describe, expect, it } from 'vitest';
import { issueToken } from '../../../testing/server/app.js';
import { browserForTests, watchErrors } from '../../../testing/server/browser.js';
import {
  enrol,
  lastHistoryQueue,
  liveOf,
  newTabletPage,
  outboxIds,
  staffPageLoads,
  staffWrites,
  staffSuite,
  swControls,
  watchReports,
} from '../../../testing/pages/staff.js';

const hasBrowser = browserForTests();
/** Real waits (the 1.5 s coalescing window, retries) on a shared, busy machine. */
const BROWSER_TEST_MS = 90_000;
const POLL = { timeout: 15_000, interval: 100 };
/** Longer than the coalescing window, so each change below becomes its own report. */
const APART_MS = 1700;

describe.skipIf(!hasBrowser)(
  'staff tablet page, offline and under server trouble',
  { timeout: BROWSER_TEST_MS },
  () => {
    const suite = staffSuite();

    it('when changes are made offline and the page is reloaded offline, then back online the server ends with the last value, each report applied once, in order', async () => {
      const { context, page } = await newTabletPage(suite.browser);
      const seen = watchReports(page);
      await enrol(page, suite.s);
      await swControls(page);
      const writesBefore = await staffWrites(suite.s.t);

      await context.setOffline(true);
      await page.waitForSelector('#net[data-state="offline"]');
      await page.click('[data-step="5"]');
      await page.waitForSelector('#pending[data-count="1"]');
      await page.click('[data-step="1"]');
      await page.click('[data-step="1"]');
      await page.waitForSelector('#pending[data-count="2"]');
      await page.fill('#entry', '30');
      await page.click('#entry-set');
      await page.waitForSelector('#pending[data-count="3"]', { timeout: APART_MS * 3 });
      // The page counts a report before IndexedDB has it: poll the outbox itself.
      await expect.poll(() => outboxIds(page)).toHaveLength(3);
      const queued = await outboxIds(page);
      expect(seen).toEqual([]);

      // Reload with no network at all: the service worker serves the page, IndexedDB the outbox.
      const loadsBefore = await staffPageLoads(suite.s.t);
      expect(loadsBefore).toBeGreaterThan(0);
      const res = await page.reload();
      expect(res?.fromServiceWorker()).toBe(true);
      expect(await staffPageLoads(suite.s.t)).toBe(loadsBefore);
      await page.waitForSelector('body[data-screen="report"]');
      await expect.poll(() => page.textContent('#count'), POLL).toBe('30');
      expect(await page.getAttribute('#pending', 'data-count')).toBe('3');
      expect(await page.getAttribute('#net', 'data-state')).toBe('offline');
      expect(await page.textContent('#site-name')).toBe('测试点 1');
      expect(await outboxIds(page)).toEqual(queued);

      const errors = watchErrors(page);
      await context.setOffline(false);
      await page.waitForSelector('#pending[data-count="0"]', { timeout: POLL.timeout });
      await expect.poll(async () => (await liveOf(suite.s.t)).queue, POLL).toBe(30);
      await expect.poll(() => lastHistoryQueue(suite.s.t), POLL).toBe(30);

      // The three reports, with the reportIds they were given offline, in the order made, each
      // answered "applied" once, and the server counted exactly three applied staff writes.
      const answered = seen.filter((r) => r.status === 200);
      expect(answered.map((r) => r.body.reportId)).toEqual(queued);
      expect(answered.map((r) => r.body.queue)).toEqual([5, 7, 30]);
      await expect.poll(() => answered.every((r) => r.answer?.applied === true), POLL).toBe(true);
      const writesAfter = await staffWrites(suite.s.t);
      expect(writesAfter.applied - writesBefore.applied).toBe(3);
      expect(writesAfter.outdated - writesBefore.outdated).toBe(0);
      expect(await outboxIds(page)).toEqual([]);
      await page.waitForSelector('#net[data-state="online"]', { timeout: POLL.timeout });
      await expect.poll(() => page.getAttribute('#phase', 'data-phase'), POLL).toBe('confirmed');
      expect(errors).toEqual([]);
      await context.close();
    });

    it('when the server answers 503 with Retry-After: 1, then the same report is sent again after a second and applied once', async () => {
      const tok = await issueToken(suite.s.t, 'site-2');
      const { context, page } = await newTabletPage(suite.browser);
      const seen = watchReports(page);
      let faults = 0;
      await page.route('**/api/sites/site-2/reports', async (route) => {
        if (faults++ === 0) {
          await route.fulfill({
            status: 503,
            headers: { 'Retry-After': '1', 'content-type': 'application/json' },
            body: JSON.stringify({
              error: 'store_unavailable',
              message: 'The data store is unavailable; nothing was stored. Retry shortly.',
            }),
          });
        } else {
          await route.continue();
        }
      });
      await enrol(page, { t: suite.s.t, token: tok.token });
      const writesBefore = await staffWrites(suite.s.t);
      await page.click('[data-step="10"]');
      await page.waitForSelector('#phase[data-phase="retrying"]', { timeout: POLL.timeout });
      await expect.poll(() => page.textContent('#phase'), POLL).toContain('重试');
      await expect.poll(async () => (await liveOf(suite.s.t, 'site-2')).queue, POLL).toBe(10);
      await page.waitForSelector('#phase[data-phase="confirmed"]', { timeout: POLL.timeout });

      expect(seen.map((r) => r.status)).toEqual([503, 200]);
      expect(seen[1]!.body).toEqual(seen[0]!.body);
      expect(seen[1]!.at - seen[0]!.at).toBeGreaterThanOrEqual(1000);
      expect((await staffWrites(suite.s.t)).applied - writesBefore.applied).toBe(1);
      await context.close();
    });
  },
);
