// GET /api/staff/me: which site a staff token reports for. An enrolment link carries only the
// token (the fragment never reaches a log), so the tablet asks the server which site it belongs to.
import { Router } from 'express';
import { bearer, staffFromToken } from '../auth/tokens.js';
import type { AppContext } from '../context.js';
import { AppError } from '../errors.js';

/** Answer body; the client parses it with StaffMeSchema (client/src/staff/api.ts). */
export interface StaffMe {
  tokenId: string;
  siteId: string;
  label: string | null;
}

export function staffMeRoutes(ctx: Pick<AppContext, 'store'>): Router {
  const r = Router();
  r.get('/staff/me', async (req, res) => {
    const staff = await staffFromToken(ctx.store, bearer(req));
    if (!staff) throw new AppError(401, 'unauthorized', 'Missing, unknown or revoked staff token. Ask your coordinator for a new enrolment link.');
    // The answer depends on the Authorization header; no shared cache may keep it.
    res.setHeader('Cache-Control', 'no-store');
    const me: StaffMe = { tokenId: staff.tokenId, siteId: staff.siteId, label: staff.label };
    res.json(me);
  });
  return r;
}
