// Notices: GET /api/notices for anyone; POST/DELETE /api/admin/notices for the command centre
// (the admin token is checked for all of /api/admin by adminGuard, app.ts).
import { randomBytes } from 'node:crypto';
import express, { Router } from 'express';
import { z } from 'zod';
import { NoticeInputSchema } from '../../shared/schemas.js';
import type { AppContext } from '../context.js';
import { AppError } from '../errors.js';
import { toNotice } from '../live/notices.js';
import type { NoticeRecord } from '../store/types.js';
import { parse } from '../validate.js';

const NoticeIdParam = z.string().regex(/^nt_[A-Za-z0-9_-]{1,32}$/, 'notice id');

export function noticeRoutes(ctx: AppContext): Router {
  const r = Router();
  r.get('/notices', (_req, res) => {
    res.json({ notices: ctx.notices.list() });
  });

  const admin = Router();
  admin.post('/notices', express.json({ limit: '4kb', type: () => true }), async (req, res) => {
    const input = parse(NoticeInputSchema, req.body);
    const siteId = input.siteId ?? null;
    if (siteId && !ctx.engine.site(siteId)) throw new AppError(404, 'unknown_site', 'No such site.');
    if (input.redirectSiteId && !ctx.engine.site(input.redirectSiteId)) {
      throw new AppError(404, 'unknown_site', 'The redirect site does not exist.');
    }
    if (input.kind === 'redirect' && !input.redirectSiteId) {
      throw new AppError(400, 'invalid_request', 'A redirect notice needs redirectSiteId.', {
        issues: [{ path: 'redirectSiteId', message: 'Required for kind "redirect"' }],
      });
    }
    const now = ctx.clock.now();
    const rec: NoticeRecord = {
      id: `nt_${randomBytes(9).toString('base64url')}`,
      siteId,
      kind: input.kind,
      message: input.message,
      redirectSiteId: input.redirectSiteId ?? null,
      createdAtMs: now,
      expiresAtMs: now + input.ttlMinutes * 60_000,
    };
    await ctx.store.putNotice(rec, ctx.instanceId);
    await ctx.notices.reload();
    res.status(201).json(toNotice(rec));
  });
  admin.delete('/notices/:id', async (req, res) => {
    const id = parse(NoticeIdParam, req.params.id, 'notice id');
    if (!(await ctx.store.deleteNotice(id, ctx.instanceId)))
      throw new AppError(404, 'unknown_notice', 'No such notice.');
    await ctx.notices.reload();
    res.status(204).end();
  });
  r.use('/admin', admin);
  return r;
}
