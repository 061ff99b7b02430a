// Runs once before the suite. Browser tests need the built pages; build them if they are missing
// or older than the client sources.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function newest(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

export default function setup(): void {
  // For server-only runs while client code is mid-edit; CI never sets it.
  if (process.env.SKIP_CLIENT_BUILD === '1') return;
  const out = 'dist/client/index.html';
  const sources = Math.max(newest('client'), newest('shared'), statSync('vite.config.ts').mtimeMs);
  if (existsSync(out) && statSync(out).mtimeMs >= sources) return;
  execFileSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--logLevel', 'warn'], { stdio: 'inherit' });
}
