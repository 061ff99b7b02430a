// POST /api/sites/:id/reports: a staff tablet's absolute count for its own site.
import express, { Router } from 'express';
import { StaffReportSchema } from '../../shared/schemas.js';
import { clientIp, requireStaff } from '../auth/failures.js';
import type { AppContext } from '../context.js';
import { AppError } from '../errors.js';
import { parse } from '../validate.js';

/** Bytes; the same limit holds beneath Express (staff-hot.ts). */
export const STAFF_BODY_LIMIT = 4096;

export function rateLimit(ctx: AppContext, kind: 'ip' | 'token', key: string): void {
  const r = ctx.limits[kind].take(key);
  if (!r.ok) {
    throw new AppError(429, 'rate_limited', `Too many requests; retry in ${r.retryAfterS} s.`, {
      headers: { 'Retry-After': String(r.retryAfterS) },
    });
  }
}

export { clientIp };

export function staffRoutes(ctx: AppContext): Router {
  const r = Router();
  r.post('/sites/:id/reports', express.json({ limit: STAFF_BODY_LIMIT, strict: true, type: () => true }), async (req, res) => {
    const t0 = performance.now();
    rateLimit(ctx, 'ip', clientIp(req));
    const staff = await requireStaff(ctx, req);
    rateLimit(ctx, 'token', staff.tokenId);
    const site = ctx.engine.site(req.params.id!);
    if (!site) throw new AppError(404, 'unknown_site', 'No such site.');
    if (staff.siteId !== site.id) throw new AppError(403, 'wrong_site', 'This token reports for another site.');
    const report = parse(StaffReportSchema, req.body);
    const outcome = await ctx.writes.staffReport(site.id, report, ctx.clock.now());
    ctx.metrics.writes.inc({ kind: 'staff', outcome: outcome.applied ? 'applied' : 'outdated' });
    ctx.metrics.writeDuration.observe({ kind: 'staff' }, (performance.now() - t0) / 1000);
    res.json(outcome);
  });
  return r;
}
