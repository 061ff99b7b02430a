// Row "hostile site names in the registry, notices and notes": every page shows them as text, in
// real Chromium. Any script that runs sets window.__xss (a trap counts the tries), any element they
// would inject carries an event-handler attribute; both must stay at zero (script executions = 0).
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Site } from '../../shared/schemas.js';
import { browserForTests, launchBrowser, watchErrors } from '../../testing/server/browser.js';
import {
  issueToken,
  report,
  startTestApp,
  TEST_ADMIN_TOKEN,
  testSites,
  type TestApp,
} from '../../testing/server/app.js';

const PAYLOADS = [
  '<img src=x onerror="window.__xss=1">',
  '</script><script>window.__xss=1</script>',
  '"><svg onload=window.__xss=1>',
  "'-window.__xss=1-'",
];
const hostile: Site[] = testSites(4).map((s, i) => ({
  ...s,
  id: `evil-${i + 1}`,
  name: `${PAYLOADS[i]!} 站点${i + 1}`,
  district: i % 2 ? `<b onmouseover=window.__xss=1>区</b>` : s.district,
  street: `<iframe src="javascript:window.__xss=1">`,
  address: PAYLOADS[(i + 1) % PAYLOADS.length],
  community: '<style>*{display:none}</style>',
}));
const NOTICE = '<img src=x onerror="window.__xss=1"> 暂停服务';
const NOTE = '<script>window.__xss=1</script>';

const hasBrowser = browserForTests();
let t: TestApp;
let browser: Browser;
let staffToken: string;

/** Counts every attempt to set window.__xss and every CSP violation, from before any page script runs. */
const TRAP = `(() => {
  let tries = 0, csp = 0;
  Object.defineProperty(window, '__xss', { get: () => undefined, set: () => { tries++; }, configurable: false });
  Object.defineProperty(window, '__xssTries', { get: () => tries });
  document.addEventListener('securitypolicyviolation', () => { csp++; });
  Object.defineProperty(window, '__cspViolations', { get: () => csp });
  try { sessionStorage.setItem('shortline.adminToken', ${JSON.stringify(TEST_ADMIN_TOKEN)}); } catch {}
})();`;

interface Visit {
  text: string;
  tries: number;
  injected: number;
  csp: number;
  siteElements: number;
  shown: string[];
  errors: string[];
}

async function visit(path: string, ready: (page: Page) => Promise<unknown>): Promise<Visit> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  try {
    await page.addInitScript(TRAP);
    const errors = watchErrors(page);
    await page.goto(`${t.url}${path}`, { waitUntil: 'load' });
    await ready(page).catch(() => undefined);
    // Anything injected would act once its images have loaded or failed (onerror) and the page has
    // run its next frame and the tasks queued before it; the CSP reports its refusals by then too.
    await page.waitForFunction(() => [...document.images].every((img) => img.complete));
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0))));
    const result = await page.evaluate(
      (texts) => ({
        tries: (window as unknown as { __xssTries: number }).__xssTries,
        csp: (window as unknown as { __cspViolations: number }).__cspViolations,
        injected: document.querySelectorAll('[onerror], [onload], [onmouseover], iframe, body script:not([src])')
          .length,
        siteElements: document.querySelectorAll('[data-site-id]').length,
        shown: texts.filter((x) => document.body.innerText.includes(x)),
        text: document.body.innerText.slice(0, 300),
      }),
      [...PAYLOADS.map((p) => `${p} 站点`), NOTICE, NOTE],
    );
    return { ...result, errors };
  } finally {
    await page.close();
  }
}

beforeAll(async () => {
  if (!hasBrowser) return;
  t = await startTestApp({ sites: [...hostile, ...testSites(2)] });
  staffToken = (await issueToken(t, 'evil-1')).token;
  expect((await report(t, staffToken, 'evil-1', { queue: 12, note: NOTE })).status).toBe(200);
  const notice = await fetch(`${t.url}/api/admin/notices`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ kind: 'info', message: NOTICE, ttlMinutes: 60 }),
  });
  expect(notice.status).toBe(201);
  browser = await launchBrowser();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

const shows = (p: Page, text: string) =>
  p.waitForFunction((x) => document.body.innerText.includes(x), text, { timeout: 10_000 });

const PAGES: Array<[string, () => string, (p: Page) => Promise<unknown>]> = [
  // Ready when a hostile name shows as text, not when the first element naming its site exists:
  // map markers and labels can come a moment before the rows and lists that show the names.
  ['/', () => '/', (p) => shows(p, '站点1')],
  ['/?site=evil-2', () => '/?site=evil-2', (p) => shows(p, '站点2')],
  [
    '/staff (enrolled)',
    () => `/staff#enroll=${staffToken}`,
    (p) => p.getByText(PAYLOADS[0]!, { exact: false }).first().waitFor({ timeout: 10_000 }),
  ],
  ['/wall', () => '/wall', (p) => shows(p, '站点1')],
  // The admin page lists sites in its pickers (options), with the token from sessionStorage.
  ['/wall/admin', () => '/wall/admin', (p) => shows(p, '站点1')],
];

describe.skipIf(!hasBrowser)('hostile names, notices and notes in Chromium', () => {
  it.each(PAGES)(
    'when %s shows hostile names, then they appear as text, no script runs and nothing is injected',
    async (name, path, ready) => {
      const v = await visit(path(), ready);
      if (process.env.DEBUG_PAGES) console.log(v);
      console.log(
        `[figure] hostile names on ${name}: script executions=${v.tries}, injected elements=${v.injected}, CSP violations=${v.csp}, [data-site-id] elements=${v.siteElements}, hostile texts shown as text=${v.shown.length}`,
      );
      expect(v.tries).toBe(0);
      expect(v.injected).toBe(0);
      expect(v.shown.length, v.text).toBeGreaterThan(0);
    },
    30_000,
  );
});
