// The security headers of every answer, built once from the configuration: Express sets them with
// one middleware, the routes answered beneath Express (hot reads, staff reports) put the same list
// into their one writeHead. They are helmet's defaults with our CSP and referrer policy, written out
// so that there is one list and no per-request work.
import type { RequestHandler } from 'express';
import type { Config } from '../config.js';

/** A flat header list as `writeHead` takes it: [name, value, name, value, ...]. */
export type RawHeaders = string[];

/** HSTS for a year, subdomains included: only sent when PUBLIC_URL says the public face is https. */
export const HSTS = 'max-age=31536000; includeSubDomains';

/** The origin pattern of the tile server, for img-src: `{s}` subdomains become a wildcard. */
export function tileOrigin(tileUrl: string | null): string | null {
  if (!tileUrl) return null;
  const m = /^(https?:)?\/\/([^/]+)/.exec(tileUrl);
  if (!m?.[2]) return null;
  const host = m[2].replace(/\{[a-z]\}/g, '*');
  return `${m[1] ?? 'https:'}//${host}`;
}

export function securityHeaderList(config: Pick<Config, 'tileUrl' | 'publicUrl'>): RawHeaders {
  const tiles = tileOrigin(config.tileUrl);
  const csp = [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    `img-src 'self' data: blob:${tiles ? ` ${tiles}` : ''}`,
    "connect-src 'self'",
    "font-src 'self'",
    "worker-src 'self'",
    "manifest-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join(';');
  const list: RawHeaders = [
    'Content-Security-Policy',
    csp,
    'Cross-Origin-Opener-Policy',
    'same-origin',
    'Cross-Origin-Resource-Policy',
    'same-origin',
    'Origin-Agent-Cluster',
    '?1',
    // Residents open links from chat apps; no referrer keeps site ids out of other sites' logs.
    'Referrer-Policy',
    'no-referrer',
    'X-Content-Type-Options',
    'nosniff',
    'X-DNS-Prefetch-Control',
    'off',
    'X-Download-Options',
    'noopen',
    'X-Frame-Options',
    'SAMEORIGIN',
    'X-Permitted-Cross-Domain-Policies',
    'none',
    'X-XSS-Protection',
    '0',
  ];
  // Behind plain http (a LAN, a test) HSTS would pin browsers to an https that does not exist.
  if (config.publicUrl?.startsWith('https://')) list.push('Strict-Transport-Security', HSTS);
  return list;
}

/** The same list on everything Express answers. */
export function securityHeaders(list: RawHeaders): RequestHandler {
  return (_req, res, next) => {
    for (let i = 0; i < list.length; i += 2) res.setHeader(list[i]!, list[i + 1]!);
    next();
  };
}
