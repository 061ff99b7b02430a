// /api/admin/*: enrol and revoke staff tablets. Bearer ADMIN_TOKEN (checked once for all of
// /api/admin by auth/failures.ts adminGuard, mounted in app.ts); disabled when it is unset.
import express, { Router, type Request } from 'express';
import { z } from 'zod';
import { StaffTokenRequestSchema, type StaffTokenCreated, type StaffTokenInfo } from '../../shared/schemas.js';
import { newStaffToken } from '../auth/tokens.js';
import type { AppContext } from '../context.js';
import { AppError } from '../errors.js';
import type { StaffTokenRecord } from '../store/types.js';
import { parse } from '../validate.js';

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

export function adminRoutes(ctx: AppContext): Router {
  const r = Router();

  r.post('/staff-tokens', express.json({ limit: '2kb', type: () => true }), async (req, res) => {
    const body = parse(StaffTokenRequestSchema, req.body);
    if (!ctx.engine.site(body.siteId)) throw new AppError(404, 'unknown_site', 'No such site.');
    const t = newStaffToken();
    await ctx.store.createStaffToken({
      tokenId: t.tokenId,
      hash: t.hash,
      siteId: body.siteId,
      label: body.label ?? null,
      createdAtMs: ctx.clock.now(),
    });
    const created: StaffTokenCreated = {
      tokenId: t.tokenId,
      token: t.token,
      siteId: body.siteId,
      enrollUrl: `${publicOrigin(ctx, req)}/staff#enroll=${t.token}`,
    };
    ctx.logger.info({ tokenId: t.tokenId, siteId: body.siteId }, 'staff token issued');
    res.status(201).json(created);
  });

  r.get('/staff-tokens', async (req, res) => {
    const { siteId } = parse(ListQuery, req.query, 'query');
    const tokens = await ctx.store.listStaffTokens(siteId);
    res.json({ tokens: tokens.map(info) });
  });

  r.delete('/staff-tokens/:tokenId', async (req, res) => {
    const tokenId = parse(TokenIdParam, req.params.tokenId, 'token id');
    const rec = await ctx.store.revokeStaffToken(tokenId, ctx.instanceId);
    if (!rec) throw new AppError(404, 'unknown_token', 'No such token (or already revoked).');
    ctx.onRevoked(rec.tokenId, rec.siteId);
    ctx.logger.info({ tokenId, siteId: rec.siteId }, 'staff token revoked');
    res.status(204).end();
  });
  return r;
}
