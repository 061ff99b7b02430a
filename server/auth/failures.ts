// Failed sign-ins cost more than requests: a client IP may fail to authenticate (unknown or revoked
// staff token, wrong admin token) only authFailuresPerHour times an hour after a small burst; past
// that, every authenticated request from that IP answers 429 before any token is looked up, a right
// one included, so a guesser learns nothing from the answers and costs no store reads. Staff tokens
// (256 random bits) cannot be guessed anyway; this bounds the load and noise of trying, and
// protects the admin token, which an operator chooses.
import type { Request, RequestHandler } from 'express';
import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import type { AppContext } from '../context.js';
import { AppError } from '../errors.js';
import { RateLimiter } from '../ratelimit.js';
import type { StaffTokenRecord } from '../store/types.js';
import { bearer, checkAdmin, staffFromToken } from './tokens.js';

export const clientIp = (req: Request) => req.ip ?? req.socket.remoteAddress ?? 'unknown';

/** `authFailuresPerHour` on average, a burst of a third of it (at least 10). */
export const authFailureLimiter = (config: Pick<Config, 'authFailuresPerHour'>, clock: Clock) =>
  new RateLimiter(config.authFailuresPerHour / 60, Math.max(10, Math.floor(config.authFailuresPerHour / 3)), clock);

type Limits = { limits?: Pick<AppContext['limits'], 'authFailures'> };

/** Throws 429 while this IP has no failed sign-ins left. */
export function refuseIfBlocked(ctx: Limits, req: Request): void {
  refuseIfBlockedAt(ctx, clientIp(req));
}

/** refuseIfBlocked for a client address already worked out (the report path beneath Express). */
export function refuseIfBlockedAt(ctx: Limits, ip: string): void {
  const blocked = ctx.limits?.authFailures.blocked(ip);
  if (blocked) {
    throw new AppError(429, 'rate_limited', `Too many failed sign-ins from this address; retry in ${blocked.retryAfterS} s.`, {
      headers: { 'Retry-After': String(blocked.retryAfterS) },
    });
  }
}

/** Counts a failed sign-in when a credential was presented (a request without one guesses nothing). */
function recordFailure(ctx: Limits, req: Request): void {
  recordFailureAt(ctx, req, clientIp(req));
}

export function recordFailureAt(ctx: Limits, req: Pick<Request, 'headers'>, ip: string): void {
  if (req.headers.authorization) ctx.limits?.authFailures.take(ip);
}

/** The 401 of a missing, unknown or revoked staff token. */
export const staffUnauthorized = () =>
  new AppError(401, 'unauthorized', 'Missing, unknown or revoked staff token. Ask your coordinator for a new enrolment link.');

/** The staff token's record, or 401 (counted as a failed sign-in); 429 while the IP is blocked. */
export async function requireStaff(ctx: Pick<AppContext, 'store'> & Limits, req: Request): Promise<StaffTokenRecord> {
  refuseIfBlocked(ctx, req);
  const staff = await staffFromToken(ctx.store, bearer(req));
  if (!staff) {
    recordFailure(ctx, req);
    throw staffUnauthorized();
  }
  return staff;
}

/** In front of /api/admin/*: 429 while the IP is blocked; a wrong admin token counts as a failure. */
export function adminSignInGuard(ctx: Pick<AppContext, 'config'> & Limits): RequestHandler {
  return (req, _res, next) => {
    refuseIfBlocked(ctx, req);
    try {
      checkAdmin(ctx.config.adminToken, req);
    } catch (err) {
      if (err instanceof AppError && err.status === 401) recordFailure(ctx, req);
      throw err;
    }
    next();
  };
}
