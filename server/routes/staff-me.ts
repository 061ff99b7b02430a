// GET /api/staff/me: which site a staff token reports for. An enrolment link carries only the
// token (the fragment never reaches a log), so the tablet asks the server which site it belongs to.
import { Router } from 'express';
import { staffSignIn } from '../auth/failures.js';
import type { StaffMe } from '../../shared/schemas.js';
import type { AppContext } from '../context.js';

export function staffMeRoutes(ctx: AppContext): Router {
  const r = Router();
  r.get('/staff/me', async (req, res) => {
    // Failed sign-ins count against the IP here too: this is the cheapest way to test a token.
    const staff = await staffSignIn(ctx, ctx.clientIp(req), req.headers.authorization);
    // The answer depends on the Authorization header; no shared cache may keep it.
    res.setHeader('Cache-Control', 'no-store');
    const me: StaffMe = { tokenId: staff.tokenId, siteId: staff.siteId, label: staff.label };
    res.json(me);
  });
  return r;
}
