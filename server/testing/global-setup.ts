// Runs once before the suite. Browser tests need the built pages: build them from the current
// sources every run (a few seconds), so no test ever runs against a stale or foreign build.
import { execFileSync } from 'node:child_process';

export default function setup(): void {
  // For server-only runs while client code is mid-edit; CI never sets it.
  if (process.env.SKIP_CLIENT_BUILD === '1') return;
  // Vitest sets NODE_ENV=test, which would make Vite build with import.meta.env.PROD false (and so
  // without the staff page's service worker): build exactly what `npm run build` ships.
  execFileSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--logLevel', 'warn'], {
    stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' },
  });
}
