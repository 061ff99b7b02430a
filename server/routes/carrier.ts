// POST /api/feeds/carrier: a signed batch of crowd estimates. The raw body is needed for the
// signature, so JSON is parsed here after verification, never before.
import express, { Router } from 'express';
import { verifyFeed } from '../auth/hmac.js';
import type { AppContext } from '../context.js';
import { AppError } from '../errors.js';
import { parseCarrierBatch } from './carrier-parse.js';
import { rateLimit } from '../ratelimit.js';

/** 50,000 readings of about 60 bytes each, with room to spare. */
export const CARRIER_BODY_LIMIT = '8mb';

export function carrierRoutes(ctx: AppContext): Router {
  const r = Router();
  r.post('/feeds/carrier', express.raw({ limit: CARRIER_BODY_LIMIT, type: () => true }), async (req, res) => {
    const t0 = performance.now();
    rateLimit(ctx.limits.ip, ctx.clientIp(req));
    const body: Buffer = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    verifyFeed(
      ctx.config.carrierKeys,
      {
        key: req.header('x-feed-key'),
        timestamp: req.header('x-feed-timestamp'),
        signature: req.header('x-feed-signature'),
      },
      body,
      ctx.clock.now(),
    );
    let json: unknown;
    try {
      json = JSON.parse(body.toString('utf8'));
    } catch {
      throw new AppError(400, 'invalid_json', 'Request body is not valid JSON.');
    }
    const batch = await parseCarrierBatch(json);
    const answer = await ctx.writes.carrierBatch(batch, ctx.clock.now());
    ctx.metrics.writes.inc({ kind: 'carrier', outcome: answer.duplicate ? 'duplicate' : 'applied' });
    ctx.metrics.carrierReadings.inc(answer.accepted);
    ctx.metrics.writeDuration.observe({ kind: 'carrier' }, (performance.now() - t0) / 1000);
    res.json(answer);
  });
  return r;
}
