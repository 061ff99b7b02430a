// `npm start` (and the systemd unit): run the built server with plain node, in this process.
// Builds first only when dist/ is missing or older than the sources, so a fresh clone needs only
// `npm install && npm start`. SKIP_BUILD_CHECK=1 (deployments that build at deploy time) skips the
// check, and a production install without build tools must have built dist/ beforehand.
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildIsCurrent } from './sources.mjs';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
process.chdir(root);
if (process.env.SKIP_BUILD_CHECK !== '1' && !buildIsCurrent(root)) {
  console.log('shortline: dist/ is missing or older than the sources; building first');
  const { buildAll } = await import('./build.mjs');
  await buildAll();
}
await import(pathToFileURL(resolve(root, 'dist/server/index.js')).href);
