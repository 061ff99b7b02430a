// The HTTP calls the tablet makes, with the staff token. Each answer's Date header also tells how
// far the tablet's clock is off: a report stamped by a fast clock would be refused as "in the future".
// Answers are checked by shape, not with the zod schemas: zod would triple the page's size, and
// the page must load over a weak mobile link; the server validated what it stored.
import type { LiveState, Site, StaffReport } from '../../../shared/schemas.js';
import type { StaffMe } from '../../../shared/schemas.js';
import type { RawAnswer } from './sender.js';

type Check<T> = (body: unknown) => body is T;
const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const isSite = (v: unknown): v is Site =>
  isObj(v) &&
  typeof v.id === 'string' &&
  typeof v.name === 'string' &&
  typeof v.lat === 'number' &&
  typeof v.lng === 'number';
const isMe: Check<StaffMe> = (b): b is StaffMe =>
  isObj(b) && typeof b.tokenId === 'string' && typeof b.siteId === 'string';
const isSiteAnswer: Check<{ site: Site; live: LiveState }> = (b): b is { site: Site; live: LiveState } =>
  isObj(b) && isSite(b.site) && isObj(b.live);
const isSites: Check<{ sites: Site[] }> = (b): b is { sites: Site[] } =>
  isObj(b) && Array.isArray(b.sites) && b.sites.every(isSite);

/** A request waiting longer than this on a flaky link is abandoned and retried later. */
export const REQUEST_TIMEOUT_MS = 15_000;

export type Fetched<T> = { ok: true; data: T } | { ok: false; status: number; code: string };

const OFFSET_KEY = 'shortline.staff.clockOffset';
/** Date headers have 1 s resolution; smaller differences are noise, not a wrong clock. */
const OFFSET_NOISE_MS = 5_000;

let clockOffsetMs = readOffset();

function readOffset(): number {
  try {
    return Number(localStorage.getItem(OFFSET_KEY)) || 0;
  } catch {
    return 0;
  }
}

function learnClock(res: Response): void {
  const date = res.headers.get('date');
  if (!date) return;
  const serverMs = Date.parse(date) + 500;
  if (Number.isNaN(serverMs)) return;
  const offset = serverMs - Date.now();
  clockOffsetMs = Math.abs(offset) > OFFSET_NOISE_MS ? offset : 0;
  try {
    localStorage.setItem(OFFSET_KEY, String(clockOffsetMs));
  } catch {
    /* the offset is an optimisation */
  }
}

/** The tablet's clock corrected by the server's, as last seen: what reports are stamped with. */
export const serverNow = (clientMs = Date.now()) => clientMs + clockOffsetMs;

/** A fresh report id; randomUUID needs a secure context, getRandomValues does not. */
export function newReportId(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const hex = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

async function call(path: string, init: RequestInit = {}): Promise<Response> {
  const res = await fetch(path, { ...init, cache: 'no-store', signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
  learnClock(res);
  return res;
}

async function getJson<T>(path: string, check: Check<T>, token?: string): Promise<Fetched<T>> {
  try {
    const res = await call(path, token ? { headers: { authorization: `Bearer ${token}` } } : {});
    const body: unknown = await res.json().catch(() => null);
    if (!res.ok)
      return {
        ok: false,
        status: res.status,
        code: (body as { error?: string } | null)?.error ?? `http_${res.status}`,
      };
    return check(body) ? { ok: true, data: body } : { ok: false, status: res.status, code: 'bad_answer' };
  } catch {
    return { ok: false, status: 0, code: 'network' };
  }
}

export const fetchMe = (token: string) => getJson('/api/staff/me', isMe, token);
export const fetchSite = (id: string) => getJson(`/api/sites/${encodeURIComponent(id)}`, isSiteAnswer);
export const fetchSites = () => getJson('/api/sites', isSites);

export async function postReport(token: string, siteId: string, report: StaffReport): Promise<RawAnswer> {
  try {
    const res = await call(`/api/sites/${encodeURIComponent(siteId)}/reports`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(report),
    });
    return { status: res.status, body: await res.json().catch(() => null), retryAfter: res.headers.get('retry-after') };
  } catch {
    return { status: 0, body: null, retryAfter: null };
  }
}
