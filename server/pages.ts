// The built pages.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Express } from 'express';
import { precompressedStatic, sendWithEncoding } from './static.js';

const PAGES: Record<string, string> = {
  '/': 'index.html',
  '/staff': 'staff.html',
  '/wall': 'wall.html',
  '/wall/admin': 'wall.html',
  '/board': 'board.html',
};

export function mountPages(app: Express, dir: string): void {
  const root = resolve(dir);
  // Hashed asset names never change content, so they may be cached for a year.
  // Both prefer the build's brotli/gzip copies (scripts/build/precompress.ts).
  app.use(
    '/assets',
    precompressedStatic(resolve(root, 'assets'), { immutable: true, maxAgeMs: 365 * 86_400_000, fallthrough: false }),
  );
  app.use(precompressedStatic(root, { maxAgeMs: 10 * 60_000 }));
  for (const [path, file] of Object.entries(PAGES)) {
    app.get(path, (req, res, next) => {
      const full = resolve(root, file);
      if (!existsSync(full)) {
        res
          .status(503)
          .type('text/plain')
          .send('Pages are not built yet: run `npm run build` (npm start does it for you).\n');
        return;
      }
      sendWithEncoding(req, res, full, 'no-cache', next);
    });
  }
}
