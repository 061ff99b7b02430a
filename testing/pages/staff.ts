// Shared by the staff page's browser tests and its screenshot script (never bundled): a real app
// with a few sites and a staff token, and ways to look at what the page and the server did.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { issueToken, startTestApp, testSites, TEST_ADMIN_TOKEN, type TestApp } from '../server/app.js';
import { launchBrowser, VIEWPORTS } from '../server/browser.js';
import type { LiveState } from '../../shared/schemas.js';

export const SITE_ID = 'site-1';

export interface StaffTest {
  t: TestApp;
  token: string;
  tokenId: string;
  enrollUrl: string;
}

/**
 * The server's clock runs 65 s ahead of the tablet's (within the 2 minutes allowed): history is
 * served per whole minute up to the server's now, so a report only shows in the history once a
 * minute boundary has passed it; this way it does at once. Date headers still carry real time.
 */
const serverClock = { now: () => Date.now() + 65_000 };

export async function startStaffApp(sites = testSites(5)): Promise<StaffTest> {
  const t = await startTestApp({ sites, clock: serverClock });
  const { token, tokenId, enrollUrl } = await issueToken(t, SITE_ID);
  return { t, token, tokenId, enrollUrl };
}

/**
 * For a describe block of staff page tests: a staff app and a browser started before its tests
 * and closed after them, read as `suite.s` and `suite.browser` inside the tests.
 */
export function staffSuite(): { readonly s: StaffTest; readonly browser: Browser } {
  const suite = {} as { s: StaffTest; browser: Browser };
  beforeAll(async () => {
    suite.s = await startStaffApp();
    suite.browser = await launchBrowser();
  });
  afterAll(async () => {
    await suite.browser?.close();
    await suite.s?.t.close();
  });
  return suite;
}

const consoleOf = new WeakMap<Page, string[]>();

export async function newTabletPage(
  browser: Browser,
  viewport: { width: number; height: number } = VIEWPORTS.tablet,
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport, locale: 'zh-CN', serviceWorkers: 'allow' });
  const page = await context.newPage();
  const messages: string[] = [];
  consoleOf.set(page, messages);
  page.on('console', (m) => messages.push(`${m.type()}: ${m.text()}`));
  return { context, page };
}

/** Opens the enrolment link and waits for the reporting screen. */
export async function enrol(page: Page, s: { t: TestApp; token: string }): Promise<void> {
  await page.goto(`${s.t.url}/staff#enroll=${s.token}`);
  await page.waitForSelector('body[data-screen="report"] #count');
}

/** Waits until the service worker controls the page, so a reload can be served by it. */
export async function swControls(page: Page): Promise<void> {
  try {
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 20_000 });
  } catch (err) {
    const state = await page.evaluate(async () => {
      const r = await navigator.serviceWorker.getRegistration('/staff');
      return r
        ? { installing: r.installing?.state, waiting: r.waiting?.state, active: r.active?.state }
        : 'no registration';
    });
    throw new Error(
      `the service worker does not control the page: ${JSON.stringify(state)}; console: ${(consoleOf.get(page) ?? []).join(' | ')}`,
      { cause: err },
    );
  }
}

/** The reportIds in the page's IndexedDB outbox, oldest first (read straight from IndexedDB). */
export function outboxIds(page: Page): Promise<string[]> {
  return page.evaluate(
    () =>
      new Promise<string[]>((resolve, reject) => {
        const open = indexedDB.open('shortline-staff');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const req = open.result.transaction('outbox', 'readonly').objectStore('outbox').getAll();
          req.onerror = () => reject(req.error);
          req.onsuccess = () => {
            open.result.close();
            resolve((req.result as Array<{ report: { reportId: string } }>).map((e) => e.report.reportId));
          };
        };
      }),
  );
}

export async function revokeToken(t: TestApp, tokenId: string): Promise<void> {
  const res = await fetch(`${t.url}/api/admin/staff-tokens/${tokenId}`, {
    method: 'DELETE',
    headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
  });
  if (res.status !== 204) throw new Error(`revoke: ${res.status}`);
}

export async function liveOf(t: TestApp, siteId = SITE_ID): Promise<LiveState> {
  const res = await fetch(`${t.url}/api/sites/${siteId}`);
  return ((await res.json()) as { live: LiveState }).live;
}

export async function lastHistoryQueue(t: TestApp, siteId = SITE_ID): Promise<number | null> {
  const res = await fetch(`${t.url}/api/sites/${siteId}/history?hours=1`);
  const { points } = (await res.json()) as { points: Array<{ queue: number | null }> };
  return points.at(-1)?.queue ?? null;
}

/** shortline_writes_total for staff reports, by outcome. */
export async function staffWrites(t: TestApp): Promise<{ applied: number; outdated: number }> {
  const text = await (await fetch(`${t.url}/metrics`)).text();
  const count = (outcome: string) => {
    const m =
      new RegExp(`shortline_writes_total\\{[^}]*kind="staff"[^}]*outcome="${outcome}"[^}]*\\} (\\d+)`).exec(text) ??
      new RegExp(`shortline_writes_total\\{[^}]*outcome="${outcome}"[^}]*kind="staff"[^}]*\\} (\\d+)`).exec(text);
    return m ? Number(m[1]) : 0;
  };
  return { applied: count('applied'), outdated: count('outdated') };
}

/** How many times the server sent the /staff page (shortline_http_requests_total). */
export async function staffPageLoads(t: TestApp): Promise<number> {
  const text = await (await fetch(`${t.url}/metrics`)).text();
  let n = 0;
  for (const m of text.matchAll(/^shortline_http_requests_total\{route="\/staff",method="GET",[^}]*\} (\d+)$/gm))
    n += Number(m[1]);
  return n;
}

export interface SeenReport {
  body: {
    reportId: string;
    queue: number;
    status?: string;
    lanesOpen?: number;
    pauseReason?: string;
    observedAt?: string;
  };
  status: number;
  answer: { applied?: boolean; reason?: string } | null;
  at: number;
}

/** Report POSTs that got an answer, in order (the SW never handles /api, so the page sees them). */
export function watchReports(page: Page): SeenReport[] {
  const seen: SeenReport[] = [];
  page.on('response', (res) => {
    const req = res.request();
    if (req.method() !== 'POST' || !/\/api\/sites\/[^/]+\/reports$/.test(new URL(req.url()).pathname)) return;
    const entry: SeenReport = { body: req.postDataJSON(), status: res.status(), answer: null, at: Date.now() };
    seen.push(entry);
    res.json().then(
      (a: SeenReport['answer']) => {
        entry.answer = a;
      },
      () => undefined,
    );
  });
  return seen;
}
