// Staff tokens: 256 random bits, handed out in enrolment links, looked up by SHA-256 hash, bound to one site (the
// store also keeps a copy sealed with a server secret, for printing again: staff-links.ts).
// The admin token is compared in constant time.
import { createHash, hash, randomBytes, timingSafeEqual } from 'node:crypto';
import { AppError } from '../errors.js';
import type { StaffTokenRecord, Store } from '../store/types.js';

export const TOKEN_BYTES = 32;

// crypto.hash: one call, no Hash object; a third of createHash's cost on every staff report.
export const hashToken = (token: string) => hash('sha256', token, 'hex');

export function newStaffToken(): { tokenId: string; token: string; hash: string } {
  const token = `st_${randomBytes(TOKEN_BYTES).toString('base64url')}`;
  return { tokenId: `tk_${randomBytes(9).toString('base64url')}`, token, hash: hashToken(token) };
}

/** The token of an `Authorization: Bearer <token>` header, or null. */
export function bearer(authorization: string | undefined): string | null {
  if (!authorization) return null;
  const m = /^Bearer\s+(\S{1,512})\s*$/i.exec(authorization);
  return m?.[1] ?? null;
}

/** A plausible token shape; anything else is refused without touching the store. */
const TOKEN_SHAPE = /^st_[A-Za-z0-9_-]{43}$/;

/** The hash a staff token is stored under, or null for anything not shaped like one. */
export const staffTokenHash = (token: string | null | undefined): string | null =>
  token && TOKEN_SHAPE.test(token) ? hashToken(token) : null;

export async function staffFromToken(
  store: Pick<Store, 'findStaffToken'>,
  token: string | null | undefined,
): Promise<StaffTokenRecord | null> {
  const hash = staffTokenHash(token);
  return hash === null ? null : store.findStaffToken(hash);
}

export function checkAdmin(adminToken: string | null, authorization: string | undefined): void {
  if (!adminToken) throw new AppError(403, 'admin_disabled', 'Admin API is disabled: no ADMIN_TOKEN is configured.');
  const given = bearer(authorization);
  const ok = given !== null && timingSafeEqual(sha(given), sha(adminToken));
  if (!ok) throw new AppError(401, 'unauthorized', 'Missing or wrong admin token.');
}

const sha = (s: string) => createHash('sha256').update(s).digest();
