// The built pages.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import express, { type Express } from 'express';

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
  app.use('/assets', express.static(resolve(root, 'assets'), { immutable: true, maxAge: '365d', index: false, fallthrough: false }));
  app.use(express.static(root, { index: false, maxAge: '10m' }));
  for (const [path, file] of Object.entries(PAGES)) {
    app.get(path, (_req, res) => {
      const full = resolve(root, file);
      if (!existsSync(full)) {
        res.status(503).type('text/plain').send('Pages are not built yet: run `npm run build` (npm start does it for you).\n');
        return;
      }
      res.setHeader('Cache-Control', 'no-cache');
      res.sendFile(full);
    });
  }
}
