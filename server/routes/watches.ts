// POST /api/watches: anyone, no account, asks for one Web Push when a site's wait comes down to N
// minutes or it reopens; DELETE /api/watches/:id cancels it. Only with VAPID_* configured. Limited
// per client address like intents (the address is used for the limit only, never stored).
import { randomBytes } from 'node:crypto';
import express, { Router } from 'express';
import { z } from 'zod';
import { MAX_WATCHES, WATCH_TTL_MS, type WatchCondition } from '../../shared/watch.js';
import { WatchInputSchema } from '../../shared/watch-schema.js';
import type { AppContext } from '../context.js';
import { AppError } from '../errors.js';
import { RateLimiter, rateLimit } from '../ratelimit.js';
import { parse } from '../validate.js';
import { subscriptionKey, WATCH_BURST, WATCHES_PER_MIN, type WatchStore } from '../watches/types.js';

const WatchIdParam = z.string().regex(/^w_[A-Za-z0-9_-]{22}$/, 'watch id');

export function watchRoutes(ctx: AppContext, watches: WatchStore): Router {
  const r = Router();
  const limiter = new RateLimiter(WATCHES_PER_MIN, WATCH_BURST, ctx.clock);

  // A subscription is ~200-600 bytes of JSON; 4 KB leaves room for long endpoints and nothing else.
  r.post('/watches', express.json({ limit: '4kb', type: () => true }), async (req, res) => {
    rateLimit(limiter, ctx.clientIp(req));
    if (!ctx.config.vapid) {
      throw new AppError(
        403,
        'push_disabled',
        'Web Push is not configured here (VAPID_*); notify me works while the page is open.',
      );
    }
    const input = parse(WatchInputSchema, req.body);
    const host = new URL(input.subscription.endpoint).hostname.toLowerCase();
    if (!ctx.config.pushHosts.some((h) => host === h || host.endsWith(`.${h}`))) {
      throw new AppError(
        400,
        'push_host_refused',
        `subscription.endpoint: ${host} is not a push service this server sends to (PUSH_HOSTS).`,
      );
    }
    if (!ctx.engine.site(input.siteId)) throw new AppError(404, 'unknown_site', 'No such site.');
    const now = ctx.clock.now();
    const cond: WatchCondition = input.reopen ? { reopen: true } : { belowMinutes: input.belowMinutes! };
    const w = {
      id: `w_${randomBytes(16).toString('base64url')}`,
      siteId: input.siteId,
      cond,
      lang: input.lang ?? 'zh-CN',
      subscription: { endpoint: input.subscription.endpoint, keys: input.subscription.keys },
      subKey: subscriptionKey(input.subscription.endpoint),
      expiresAtMs: now + WATCH_TTL_MS,
    };
    if (!(await watches.add(w, now, MAX_WATCHES))) {
      throw new AppError(409, 'too_many_watches', `At most ${MAX_WATCHES} watches per subscription at once.`);
    }
    res.status(201).json({ id: w.id, expiresAt: new Date(w.expiresAtMs).toISOString() });
  });

  r.delete('/watches/:id', async (req, res) => {
    rateLimit(limiter, ctx.clientIp(req));
    const id = parse(WatchIdParam, req.params.id, 'watch id');
    if (!(await watches.remove(id)))
      throw new AppError(404, 'unknown_watch', 'No such watch (it may have fired or expired).');
    res.status(204).end();
  });
  return r;
}
