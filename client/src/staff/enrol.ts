// Enrolment: the link's fragment (`#enroll=<token>`) never reaches a server log; the page takes the
// token out of the address bar and history at once and keeps it on the device.
import type { Site } from '../../../shared/schemas.js';

export interface Enrolment {
  token: string;
  /** Known after the server answered GET /api/staff/me once. */
  tokenId: string | null;
  siteId: string | null;
  label: string | null;
  enrolledAt: number;
  /** Set when the server said the token no longer works; the page then explains how to re-enrol. */
  revokedAt: number | null;
}

const KEY = 'shortline.staff.enrolment';
const SITE_KEY = 'shortline.staff.site';

/** The token in a fragment like `#enroll=st_...` (other fragment parameters are kept). */
export function tokenFromHash(hash: string): { token: string | null; rest: string } {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const token = params.get('enroll');
  params.delete('enroll');
  const rest = params.toString();
  return { token: token && token.length <= 512 ? token : null, rest: rest ? `#${rest}` : '' };
}

/**
 * Takes an enrolment token from the address, replacing the history entry so neither the address
 * bar, a bookmark nor the back button still holds it. Returns the token, or null.
 */
export function takeTokenFromUrl(loc: Location = location, hist: History = history): string | null {
  const { token, rest } = tokenFromHash(loc.hash);
  if (!token) return null;
  hist.replaceState(hist.state, '', `${loc.pathname}${loc.search}${rest}`);
  return token;
}

function read<T>(key: string): T | null {
  try {
    const raw = localStorage.getItem(key);
    return raw ? (JSON.parse(raw) as T) : null;
  } catch {
    return null;
  }
}

function write(key: string, value: unknown): void {
  try {
    if (value === null) localStorage.removeItem(key);
    else localStorage.setItem(key, JSON.stringify(value));
  } catch {
    /* storage blocked: the page still works until it is closed */
  }
}

export const loadEnrolment = () => read<Enrolment>(KEY);
export const saveEnrolment = (e: Enrolment | null) => write(KEY, e);

/** The site as last fetched, so a reload while offline still says which site this is. */
export const loadSite = () => read<Site>(SITE_KEY);
export const saveSite = (s: Site | null) => write(SITE_KEY, s);

export function newEnrolment(token: string, now = Date.now()): Enrolment {
  return { token, tokenId: null, siteId: null, label: null, enrolledAt: now, revokedAt: null };
}

/** Asks the browser not to evict this origin's storage (the outbox) under storage pressure. */
export async function persistStorage(): Promise<boolean> {
  try {
    return (await navigator.storage?.persist?.()) ?? false;
  } catch {
    return false;
  }
}
