// Plain-HTML helpers of the server-rendered pages: escaping, and sending a page small (gzip) with
// a CSP whose only allowed style is the page's own inline sheet (by hash), and no script at all.
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { Request, Response } from 'express';

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
/** Every text and attribute value from the registry, the query or a notice goes through this. */
export const esc = (v: unknown): string => String(v).replace(/[&<>"']/g, (c) => ENTITIES[c]!);

export const styleHash = (css: string): string => `'sha256-${createHash('sha256').update(css).digest('base64')}'`;

export interface PageCsp {
  styleHash: string;
  /** CSP frame-ancestors sources; default 'none'. */
  frameAncestors?: string;
}

export function sendPage(req: Request, res: Response, html: string, csp: PageCsp): void {
  res.setHeader(
    'Content-Security-Policy',
    [
      "default-src 'none'",
      `style-src ${csp.styleHash}`,
      "img-src 'self' data:",
      "form-action 'self'",
      "base-uri 'none'",
      `frame-ancestors ${csp.frameAncestors ?? "'none'"}`,
    ].join('; '),
  );
  if (csp.frameAncestors) res.removeHeader('X-Frame-Options');
  res.setHeader('Cache-Control', 'no-cache');
  res.setHeader('Vary', 'Accept-Encoding');
  res.type('html');
  const body = Buffer.from(html, 'utf8');
  if (/\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))) {
    res.setHeader('Content-Encoding', 'gzip');
    res.send(gzipSync(body, { level: 9 }));
    return;
  }
  res.send(body);
}
