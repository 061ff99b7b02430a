// Making staff token records, each with a sealed copy of its token (seal.ts), and reading that
// copy back so an enrolment sheet can print a site's existing link again. The one place a token
// record is made: the single-token route and the enrolment sheets both come through here.
import type { Config } from '../config.js';
import type { StaffTokenRecord } from '../store/types.js';
import { createSealer } from './seal.js';
import { hashToken, newStaffToken } from './tokens.js';

export interface StaffLinks {
  /** A new record for the store, and its token (shown once, or printed again later). */
  issue(siteId: string, label: string | null, nowMs: number): { rec: StaffTokenRecord; token: string };
  /** The token of a stored record, or null when it cannot be printed again (no or foreign seal). */
  reprint(rec: StaffTokenRecord): string | null;
}

export function staffLinks(config: Pick<Config, 'adminToken' | 'enrolSecret'>): StaffLinks {
  const secret = config.enrolSecret ?? config.adminToken;
  // No secret means no admin API at all (403 admin_disabled): nothing is ever issued then.
  const sealer = secret ? createSealer(secret) : null;
  return {
    issue(siteId, label, nowMs) {
      const t = newStaffToken();
      const rec: StaffTokenRecord = { tokenId: t.tokenId, hash: t.hash, siteId, label, createdAtMs: nowMs };
      if (sealer) rec.sealed = sealer.seal(t.token, t.tokenId);
      return { rec, token: t.token };
    },
    reprint(rec) {
      if (!sealer || rec.sealed === undefined) return null;
      const token = sealer.open(rec.sealed, rec.tokenId);
      // The hash check also catches a copy sealed for a record that was then edited in the store.
      return token !== null && hashToken(token) === rec.hash ? token : null;
    },
  };
}
