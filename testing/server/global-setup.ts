// Runs once before the suite. The entry-point tests need the bundled server, browser tests the built
// pages: both are built from the current sources every run (a few seconds), so no test ever runs
// against a stale or foreign build.
import { execFileSync } from 'node:child_process';
import { buildServer } from '../../scripts/build/build.mjs';

export default async function setup(): Promise<void> {
  // The entry-point tests run the production bundle, as `npm start` does (esbuild, well under 1 s).
  await buildServer();
  // For server-only runs while client code is mid-edit; CI never sets it.
  if (process.env.SKIP_CLIENT_BUILD === '1') return;
  // Vitest sets NODE_ENV=test, which would make Vite build with import.meta.env.PROD false (and so
  // without the staff page's service worker): build exactly what `npm run build` ships.
  execFileSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--logLevel', 'warn'], {
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: 'production' },
  });
}
