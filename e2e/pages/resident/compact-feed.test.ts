// The resident page in real Chromium lives on the compact feed over a plain websocket
// (docs/realtime.md): no Socket.IO connection at all, and the states it shows follow the server's
// versions through compact deltas.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { startTestApp, type TestApp } from '../../../testing/server/app.js';
import { browserForTests, launchBrowser } from '../../../testing/server/browser.js';
import { issueAndReport, levelOf, openResident, residentSites } from '../../../testing/pages/resident.js';

const hasBrowser = browserForTests();

describe.skipIf(!hasBrowser)('resident page on the compact feed', () => {
  let t: TestApp;
  let browser: Browser;
  const feeds = () => ({ socketIo: t.app.io.sockets.sockets.size, plain: t.app.realtime.plain.size });

  beforeAll(async () => {
    t = await startTestApp({ sites: residentSites() });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('when the page is open, then its one connection is the plain feed, and a report reaches it at the server version', async () => {
    const { page, errors } = await openResident(browser, t);
    await expect.poll(feeds).toEqual({ socketIo: 0, plain: 1 });
    await issueAndReport(t, 'near', { queue: 90, lanesOpen: 1 });
    await expect.poll(() => levelOf(page, '.site-list li[data-site-id="near"]')).toBe('high');
    await expect
      .poll(() => page.evaluate(() => Number(document.body.dataset.liveVersion)))
      .toBe(t.app.engine.currentVersion);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('when a proxy refuses websockets, then the page polls GET /api/live, stays live and shows a new report', async () => {
    // Every upgrade is refused, as by a proxy that does not pass websockets.
    const server = t.app.httpServer;
    const upgrades = server.listeners('upgrade') as Array<(...a: unknown[]) => void>;
    server.removeAllListeners('upgrade');
    server.on('upgrade', (_req, socket: import('node:stream').Duplex) =>
      socket.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n'),
    );
    try {
      const { page, errors } = await openResident(browser, t);
      await issueAndReport(t, 'west', { queue: 70, lanesOpen: 1 });
      await expect.poll(() => levelOf(page, '.site-list li[data-site-id="west"]'), { timeout: 20_000 }).toBe('high');
      expect(await page.evaluate(() => document.documentElement.dataset.connection)).toBe('live');
      expect(t.app.realtime.plain.size).toBe(0);
      expect(errors.filter((e) => !/websocket|403/i.test(e))).toEqual([]);
      await page.context().close();
    } finally {
      server.removeAllListeners('upgrade');
      for (const l of upgrades) server.on('upgrade', l);
    }
  });
});
