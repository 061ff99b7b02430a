// The built pages and the security headers of everything Express answers.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Express, RequestHandler } from 'express';
import helmet from 'helmet';
import type { Config } from './config.js';
import { precompressedStatic, sendWithEncoding } from './static.js';

/** The origin pattern of the tile server, for img-src: `{s}` subdomains become a wildcard. */
export function tileOrigin(tileUrl: string | null): string | null {
  if (!tileUrl) return null;
  const m = /^(https?:)?\/\/([^/]+)/.exec(tileUrl);
  if (!m?.[2]) return null;
  const host = m[2].replace(/\{[a-z]\}/g, '*');
  return `${m[1] ?? 'https:'}//${host}`;
}

export function securityHeaders(config: Config): RequestHandler {
  const tiles = tileOrigin(config.tileUrl);
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:', 'blob:', ...(tiles ? [tiles] : [])],
        connectSrc: ["'self'"],
        fontSrc: ["'self'"],
        workerSrc: ["'self'"],
        manifestSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    // Residents open links from chat apps; a strict referrer policy keeps site ids out of referrers.
    referrerPolicy: { policy: 'no-referrer' },
    strictTransportSecurity: false,
  });
}

const PAGES: Record<string, string> = {
  '/': 'index.html',
  '/staff': 'staff.html',
  '/wall': 'wall.html',
  '/wall/admin': 'wall.html',
};

export function mountPages(app: Express, dir: string): void {
  const root = resolve(dir);
  // Hashed asset names never change content, so they may be cached for a year.
  // Both prefer the build's brotli/gzip copies (scripts/build/precompress.ts).
  app.use('/assets', precompressedStatic(resolve(root, 'assets'), { immutable: true, maxAgeMs: 365 * 86_400_000, fallthrough: false }));
  app.use(precompressedStatic(root, { maxAgeMs: 10 * 60_000 }));
  for (const [path, file] of Object.entries(PAGES)) {
    app.get(path, (req, res, next) => {
      const full = resolve(root, file);
      if (!existsSync(full)) {
        res.status(503).type('text/plain').send('Pages are not built yet: run `npm run build` (npm start does it for you).\n');
        return;
      }
      sendWithEncoding(req, res, full, 'no-cache', next);
    });
  }
}
