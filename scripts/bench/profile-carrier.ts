// A CPU profile of shortline applying one signed 50,000-reading batch (Redis or embedded store),
// summarised by self time per function; the .cpuprofile is kept for Chrome DevTools.
//   npx tsx scripts/bench/profile-carrier.ts [redis|embedded] [out.cpuprofile]
import { postBatch } from './carrier.js';
import { spawnChild } from './lib/child.js';
import { server } from './lib/context.js';
import { summariseProfile } from './lib/profile-summary.js';
import { benchPrefix, dropPrefix } from './lib/redis-clean.js';
import { benchSites } from './lib/sites.js';
import type { ShortlineReady } from './servers/shortline.js';

const store = (process.argv[2] ?? 'redis') as 'redis' | 'embedded';
const file = process.argv[3] ?? `/tmp/carrier-${store}.cpuprofile`;
const n = 50_000;
const FRAME_MS = 1000;
const prefix = benchPrefix('carrier-prof');
const srv = await spawnChild<ShortlineReady>(
  server('shortline.ts'),
  { store, prefix, sites: n, frameMs: FRAME_MS },
  { startMs: 120_000 },
);
const ids = benchSites(n).map((s) => s.id);

try {
  await postBatch(srv, ids, n, FRAME_MS);
  await srv.request('profStart');
  // Its window closes 1.3 frames after the answer, so the batch's broadcast is in the profile.
  const { ms, loop } = await postBatch(srv, ids, n, FRAME_MS);
  await srv.request('profStop', file);
  console.log(
    `${store}: ${ms.toFixed(0)} ms, event-loop p99 ${loop.p99Ms.toFixed(1)} ms, max ${loop.maxMs.toFixed(0)} ms; ${file}`,
  );
  console.log(summariseProfile(file, { files: 20, functions: 30 }));
} finally {
  await srv.close();
  if (store === 'redis') await dropPrefix(prefix);
}
