// /api/admin/*: enrol and revoke staff tablets. Bearer ADMIN_TOKEN (checked once for all of
// /api/admin by auth/failures.ts adminGuard, mounted in app.ts); disabled when it is unset.
import express, { Router, type Request } from 'express';
import { z } from 'zod';
import { StaffTokenRequestSchema, type StaffTokenCreated, type StaffTokenInfo } from '../../shared/schemas.js';
import { staffLinks } from '../auth/staff-links.js';
import type { AppContext } from '../context.js';
import { AppError } from '../errors.js';
import type { StaffTokenRecord } from '../store/types.js';
import { parse } from '../validate.js';
import { enrolmentRoutes } from './enrolment.js';

const ListQuery = z.object({ siteId: z.string().max(64).optional() });
const TokenIdParam = z.string().regex(/^tk_[A-Za-z0-9_-]{1,32}$/, 'token id');

const info = (t: StaffTokenRecord): StaffTokenInfo => ({
  tokenId: t.tokenId,
  siteId: t.siteId,
  label: t.label,
  createdAt: new Date(t.createdAtMs).toISOString(),
});

/** The public origin for links: PUBLIC_URL when set, else what the admin's request came to. */
export function publicOrigin(ctx: AppContext, req: Request): string {
  return ctx.config.publicUrl ?? `${req.protocol}://${req.get('host') ?? 'localhost'}`;
}

/** The link a tablet opens to enrol; the token after `#` never reaches a server log. */
export const enrollUrl = (ctx: AppContext, req: Request, token: string) =>
  `${publicOrigin(ctx, req)}/staff#enroll=${token}`;

/**
 * The one revocation path: the store removes the token and tells every instance; this instance
 * forgets it and cuts its sockets now. Null when there was no such token (or it was already gone).
 */
export async function revokeToken(ctx: AppContext, tokenId: string): Promise<StaffTokenRecord | null> {
  const rec = await ctx.store.revokeStaffToken(tokenId, ctx.instanceId);
  if (!rec) return null;
  ctx.onRevoked(rec.tokenId, rec.siteId);
  ctx.logger.info({ tokenId, siteId: rec.siteId }, 'staff token revoked');
  return rec;
}

export function adminRoutes(ctx: AppContext): Router {
  const r = Router();
  const links = staffLinks(ctx.config);

  r.post('/staff-tokens', express.json({ limit: '2kb', type: () => true }), async (req, res) => {
    const body = parse(StaffTokenRequestSchema, req.body);
    if (!ctx.engine.site(body.siteId)) throw new AppError(404, 'unknown_site', 'No such site.');
    const { rec, token } = links.issue(body.siteId, body.label ?? null, ctx.clock.now());
    await ctx.store.createStaffTokens([rec]);
    const created: StaffTokenCreated = {
      tokenId: rec.tokenId,
      token,
      siteId: body.siteId,
      enrollUrl: enrollUrl(ctx, req, token),
    };
    ctx.logger.info({ tokenId: rec.tokenId, siteId: body.siteId }, 'staff token issued');
    res.status(201).json(created);
  });

  r.get('/staff-tokens', async (req, res) => {
    const { siteId } = parse(ListQuery, req.query, 'query');
    const tokens = await ctx.store.listStaffTokens(siteId);
    res.json({ tokens: tokens.map(info) });
  });

  r.delete('/staff-tokens/:tokenId', async (req, res) => {
    const tokenId = parse(TokenIdParam, req.params.tokenId, 'token id');
    if (!(await revokeToken(ctx, tokenId)))
      throw new AppError(404, 'unknown_token', 'No such token (or already revoked).');
    res.status(204).end();
  });

  r.use(
    enrolmentRoutes(ctx, {
      links,
      revoke: (tokenId) => revokeToken(ctx, tokenId),
      enrollUrl: (req, token) => enrollUrl(ctx, req, token),
    }),
  );
  return r;
}
