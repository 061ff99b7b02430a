// What a build is made from, and how `npm start` tells whether dist/ is current.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Folders and files whose change makes dist/ stale. Tests do not count. */
export const SOURCES = ['server', 'shared', 'client', 'package.json', 'package-lock.json', 'vite.config.ts'];
/** Written last by a build: when it was made and from what. */
export const STAMP = 'build-stamp.json';

const skip = (name) => name === 'node_modules' || name.endsWith('.test.ts') || name === 'testing';

/** The newest modification time (epoch ms) among the sources. */
export function newestSource(root) {
  let newest = 0;
  const walk = (p) => {
    const st = statSync(p);
    if (st.isDirectory()) {
      for (const e of readdirSync(p)) if (!skip(e)) walk(join(p, e));
    } else if (st.mtimeMs > newest) newest = st.mtimeMs;
  };
  for (const s of SOURCES) if (existsSync(join(root, s))) walk(join(root, s));
  return newest;
}

/** True when dist/ holds a complete build made after the newest source change. */
export function buildIsCurrent(root) {
  const stamp = join(root, 'dist', STAMP);
  if (!existsSync(stamp) || !existsSync(join(root, 'dist/server/index.js'))) return false;
  try {
    const { newestSource: built } = JSON.parse(readFileSync(stamp, 'utf8'));
    return typeof built === 'number' && built >= newestSource(root);
  } catch {
    return false;
  }
}
