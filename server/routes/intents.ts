// POST /api/intents: anyone, no account, says "I'm going to this site, there in N minutes";
// GET /api/intents: how many are on their way to each site. Rate-limited per client address
// (which is used for the limit only and never stored with the intent).
import express, { Router } from 'express';
import { IntentInputSchema, type IntentCounts } from '../../shared/schemas.js';
import type { AppContext } from '../context.js';
import { AppError } from '../errors.js';
import {
  INTENT_BURST,
  INTENT_COUNTS_CACHE_MS,
  INTENT_GRACE_MIN,
  INTENTS_PER_MIN,
  type IntentCounter,
} from '../intents/types.js';
import { RateLimiter } from '../ratelimit.js';
import { parse } from '../validate.js';

export function intentRoutes(ctx: AppContext, intents: IntentCounter): Router {
  const r = Router();
  const limiter = new RateLimiter(INTENTS_PER_MIN, INTENT_BURST, ctx.clock);
  let cached: { atMs: number; body: IntentCounts } | null = null;

  r.post('/intents', express.json({ limit: '1kb', type: () => true }), async (req, res) => {
    const taken = limiter.take(ctx.clientIp(req));
    if (!taken.ok) {
      throw new AppError(429, 'rate_limited', `Too many requests; retry in ${taken.retryAfterS} s.`, {
        headers: { 'Retry-After': String(taken.retryAfterS) },
      });
    }
    const input = parse(IntentInputSchema, req.body);
    if (!ctx.engine.site(input.siteId)) throw new AppError(404, 'unknown_site', 'No such site.');
    const expiresAtMs = ctx.clock.now() + (input.etaMinutes + INTENT_GRACE_MIN) * 60_000;
    await intents.add(input.siteId, expiresAtMs);
    cached = null;
    res.status(202).json({ expiresAt: new Date(expiresAtMs).toISOString() });
  });

  r.get('/intents', async (_req, res) => {
    const now = ctx.clock.now();
    if (!cached || now - cached.atMs >= INTENT_COUNTS_CACHE_MS || now < cached.atMs) {
      const counts = await intents.counts(now, (siteId) => {
        const at = ctx.engine.liveOf(siteId)?.updatedAt;
        return at ? Date.parse(at) : null;
      });
      cached = { atMs: now, body: { at: new Date(now).toISOString(), enRoute: Object.fromEntries(counts) } };
    }
    res.set('Cache-Control', 'no-store').json(cached.body);
  });
  return r;
}
