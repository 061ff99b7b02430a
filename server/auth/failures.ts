// Failed sign-ins cost more than requests: a client IP may fail to authenticate (unknown or revoked
// staff token, wrong admin token) only authFailuresPerHour times an hour after a small burst; past
// that, its failures answer 429 instead of 401, so a guesser learns nothing more from the answers.
// A request with a valid token is judged on its own and never refused for its address's failures:
// tablets share carrier-grade NAT addresses with strangers (issue 15.5). Staff tokens (256 random
// bits) cannot be guessed anyway; this bounds the noise of trying and protects the admin token,
// which an operator chooses.
import type { IncomingMessage } from 'node:http';
import type { RequestHandler } from 'express';
import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import type { AppContext } from '../context.js';
import { AppError } from '../errors.js';
import { RateLimiter } from '../ratelimit.js';
import type { StaffTokenRecord } from '../store/types.js';
import { bearer, checkAdmin, staffTokenHash } from './tokens.js';

/** `authFailuresPerHour` on average, a burst of a third of it (at least 10). */
export const authFailureLimiter = (config: Pick<Config, 'authFailuresPerHour'>, clock: Clock) =>
  new RateLimiter(config.authFailuresPerHour / 60, Math.max(10, Math.floor(config.authFailuresPerHour / 3)), clock);

type SignInCtx = Pick<AppContext, 'staffTokens'> & { limits: Pick<AppContext['limits'], 'authFailures'> };

/** The 401 of a missing, unknown or revoked staff token. */
export const staffUnauthorized = () =>
  new AppError(
    401,
    'unauthorized',
    'Missing, unknown or revoked staff token. Ask your coordinator for a new enrolment link.',
  );

/**
 * A failed sign-in: 429 while this address has no failures left, else counted (when a credential
 * was presented; a request without one guesses nothing) and answered with `unauthorized`.
 */
export function signInFailed(
  ctx: Pick<SignInCtx, 'limits'>,
  ip: string,
  presented: boolean,
  unauthorized: AppError,
): AppError {
  const blocked = ctx.limits.authFailures.blocked(ip);
  if (blocked) {
    return new AppError(
      429,
      'rate_limited',
      `Too many failed sign-ins from this address; retry in ${blocked.retryAfterS} s.`,
      {
        headers: { 'Retry-After': String(blocked.retryAfterS) },
      },
    );
  }
  if (presented) ctx.limits.authFailures.take(ip);
  return unauthorized;
}

/**
 * The staff token's record through the token cache (auth/token-cache.ts): synchronously when it is
 * cached, else a promise. Throws (or rejects with) 401, or 429 for an address over its failures.
 */
export function staffSignIn(
  ctx: SignInCtx,
  ip: string,
  authorization: string | undefined,
): StaffTokenRecord | Promise<StaffTokenRecord> {
  const hash = staffTokenHash(bearer(authorization));
  const judge = (rec: StaffTokenRecord | null): StaffTokenRecord => {
    if (rec) return rec;
    throw signInFailed(ctx, ip, authorization !== undefined, staffUnauthorized());
  };
  if (hash === null) return judge(null);
  const cached = ctx.staffTokens.cached(hash);
  return cached !== undefined ? judge(cached) : ctx.staffTokens.load(hash).then(judge);
}

/** The one admin check, in front of every /api/admin/* route (tokens and notices). */
export function adminGuard(ctx: Pick<AppContext, 'config' | 'clientIp'> & Pick<SignInCtx, 'limits'>): RequestHandler {
  return (req, _res, next) => {
    try {
      checkAdmin(ctx.config.adminToken, req.headers.authorization);
    } catch (err) {
      if (err instanceof AppError && err.status === 401) {
        throw signInFailed(ctx, ctx.clientIp(req), req.headers.authorization !== undefined, err);
      }
      throw err;
    }
    next();
  };
}

export type ClientIp = (req: IncomingMessage) => string;
