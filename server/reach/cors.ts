// Cross-origin policy, in one place: the read-only public data is open data (any origin, never
// with credentials); everything else under /api (staff reports, carrier feeds, admin) answers no
// other origin. Express's and the hot paths' handlers never set CORS headers themselves.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { originAllowed } from '../live/realtime.js';

/** Read-only public GETs that other sites may call from a browser. */
const PUBLIC_READS: readonly RegExp[] = [
  /^\/api\/live$/,
  /^\/api\/sites(\.geojson|\.csv)?$/,
  /^\/api\/sites\/[^/]+$/,
  /^\/api\/sites\/[^/]+\/history$/,
  /^\/api\/(summary|meta|notices|trends|trends\/sites|openapi\.json)$/,
  /^\/api\/codes\/[^/]+$/,
];

const READ_METHODS = new Set(['GET', 'HEAD']);
const MAX_AGE_S = 86_400;

export type CorsDecision =
  /** Not a cross-origin matter: no Origin, or a same-origin request. */
  | { kind: 'none' }
  /** A public read: add these headers and go on. */
  | { kind: 'open'; headers: Record<string, string> }
  /** A CORS preflight of a public read: answer 204 with these headers. */
  | { kind: 'preflight'; headers: Record<string, string> }
  /** Another origin asking for something that is not open data: answer 403. */
  | { kind: 'refuse' };

export const isPublicRead = (path: string): boolean => PUBLIC_READS.some((re) => re.test(path));

/**
 * What a request gets. `origin` is the request's Origin header, `self` the origins this server
 * is reached at (its Host, PUBLIC_URL). Pages outside /api are not this module's business.
 */
export function corsFor(
  path: string,
  method: string,
  origin: string | undefined,
  self: (o: string) => boolean,
  preflightMethod?: string,
): CorsDecision {
  if (!path.startsWith('/api/') || origin === undefined || self(origin)) return { kind: 'none' };
  const open = isPublicRead(path);
  if (method === 'OPTIONS' && preflightMethod !== undefined) {
    if (!open || !READ_METHODS.has(preflightMethod.toUpperCase())) return { kind: 'refuse' };
    return {
      kind: 'preflight',
      headers: {
        'Access-Control-Allow-Origin': '*',
        'Access-Control-Allow-Methods': 'GET, HEAD',
        'Access-Control-Allow-Headers': 'If-None-Match, Accept, Accept-Language',
        'Access-Control-Max-Age': String(MAX_AGE_S),
        Vary: 'Origin',
      },
    };
  }
  if (open && READ_METHODS.has(method)) {
    // "*" rather than the echoed origin: browsers then never send or expose credentials.
    return { kind: 'open', headers: { 'Access-Control-Allow-Origin': '*', 'Access-Control-Expose-Headers': 'ETag' } };
  }
  if (open && method === 'OPTIONS') return { kind: 'none' };
  return { kind: 'refuse' };
}

/** Applies the policy beneath Express; true when the request was answered here. */
export function applyCors(req: IncomingMessage, res: ServerResponse, publicUrl: string | null): boolean {
  const url = req.url ?? '';
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  const pre = req.headers['access-control-request-method'];
  // Same-origin is the sockets' rule (Origin's host is the Host header, or PUBLIC_URL), not a second one.
  const self = () => originAllowed(req, publicUrl ? [publicUrl] : []);
  const d = corsFor(path, req.method ?? 'GET', req.headers.origin, self, typeof pre === 'string' ? pre : undefined);
  if (d.kind === 'none') return false;
  if (d.kind === 'open') {
    for (const [k, v] of Object.entries(d.headers)) res.setHeader(k, v);
    return false;
  }
  if (d.kind === 'preflight') {
    res.writeHead(204, d.headers).end();
    return true;
  }
  res.writeHead(403, { 'Content-Type': 'application/json; charset=utf-8', 'X-Content-Type-Options': 'nosniff' });
  res.end(JSON.stringify({ error: 'cross_origin_refused', message: 'This endpoint does not answer other origins.' }));
  return true;
}
