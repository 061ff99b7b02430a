// Real Chromium from Debian, driven by playwright-core. Never downloads a browser.
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** CI sets REQUIRE_BROWSER=1 so browser suites can never be skipped silently. */
export function browserForTests(): boolean {
  const ok = existsSync(CHROMIUM);
  if (!ok && process.env.REQUIRE_BROWSER === '1') throw new Error(`REQUIRE_BROWSER=1 but no Chromium at ${CHROMIUM}`);
  if (!ok) console.warn(`[notice] no Chromium at ${CHROMIUM}: skipping browser suites (apt-get install chromium)`);
  return ok;
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // The machine's network is closed; background traffic only produces refused connections.
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
}

/** Collects console errors and page errors, so a test can assert there were none. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  return errors;
}

export const VIEWPORTS = {
  phone: { width: 390, height: 844 },
  tablet: { width: 1024, height: 768 },
  tabletPortrait: { width: 768, height: 1024 },
  laptop: { width: 1280, height: 800 },
  wall: { width: 1920, height: 1080 },
  wall4k: { width: 3840, height: 2160 },
} as const;
