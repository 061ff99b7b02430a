// Node-side helpers for the wall's tests (never bundled: no page imports this file).
import express from 'express';
import type { TestApp } from '../../../server/testing/app.js';
import { TEST_CARRIER_KEY } from '../../../server/testing/app.js';
import { errorHandler } from '../../../server/errors.js';
import { silentLogger } from '../../../server/logger.js';
import { trendRoutes } from '../../../server/routes/trends.js';
import { createHmac } from 'node:crypto';

/**
 * Until server/app.ts mounts trendRoutes under /api, put them in front of the app's own request
 * handler so the wall's tests run against the real thing. Does nothing once the app serves them.
 */
export async function ensureTrendRoutes(t: TestApp): Promise<void> {
  const probe = await fetch(`${t.url}/api/trends?hours=1`);
  await probe.arrayBuffer();
  if (probe.status !== 404) return;
  const api = express();
  api.use('/api', trendRoutes({ engine: t.app.engine, store: t.store, clock: t.clock, config: t.config, sites: t.app.engine.sites }));
  api.use(errorHandler(silentLogger()));
  const server = t.app.httpServer;
  const previous = server.listeners('request') as Array<(req: unknown, res: unknown) => void>;
  server.removeAllListeners('request');
  server.on('request', (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => {
    if (req.url?.startsWith('/api/trends')) return void api(req as never, res as never);
    for (const l of previous) l(req, res);
  });
}

/** Posts a signed carrier batch through the real feed API. */
export async function carrierBatch(t: TestApp, readings: Array<{ siteId: string; people: number }>, observedAt = new Date(t.clock.now()).toISOString()): Promise<number> {
  const body = JSON.stringify({ batchId: `b-${Date.now()}-${Math.random().toString(36).slice(2, 10)}`, observedAt, readings });
  const ts = String(Math.floor(t.clock.now() / 1000));
  const sig = createHmac('sha256', TEST_CARRIER_KEY.secret).update(`${ts}.${body}`).digest('hex');
  const res = await fetch(`${t.url}/api/feeds/carrier`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-feed-key': TEST_CARRIER_KEY.id, 'x-feed-timestamp': ts, 'x-feed-signature': `sha256=${sig}` },
    body,
  });
  await res.arrayBuffer();
  return res.status;
}
