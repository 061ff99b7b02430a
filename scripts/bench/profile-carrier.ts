// A CPU profile of shortline applying one signed 50,000-reading batch (Redis or embedded store),
// summarised by self time per function; the .cpuprofile is kept for Chrome DevTools.
//   npx tsx scripts/bench/profile-carrier.ts [redis|embedded] [out.cpuprofile]
import { sign } from '../../server/auth/hmac.js';
import { spawnChild } from './lib/child.js';
import { server } from './lib/context.js';
import { summariseProfile } from './lib/profile-summary.js';
import { benchPrefix, dropPrefix } from './lib/redis-clean.js';
import { benchSites } from './lib/sites.js';
import type { ShortlineReady } from './servers/shortline.js';

const store = (process.argv[2] ?? 'redis') as 'redis' | 'embedded';
const file = process.argv[3] ?? `/tmp/carrier-${store}.cpuprofile`;
const n = 50_000;
const prefix = benchPrefix('carrier-prof');
const srv = await spawnChild<ShortlineReady>(server('shortline.ts'), { store, prefix, sites: n, frameMs: 1000 }, { startMs: 120_000 });
const ids = benchSites(n).map((s) => s.id);

async function post(): Promise<number> {
  const body = JSON.stringify({
    batchId: `prof-${Date.now()}-${Math.random()}`, observedAt: new Date().toISOString(),
    readings: ids.map((siteId, i) => ({ siteId, people: (i * 37 + Date.now()) % 400, confidence: 0.9 })),
  });
  const ts = Math.floor(Date.now() / 1000);
  const { id, secret } = srv.ready.carrierKey;
  const t0 = performance.now();
  const res = await fetch(`http://127.0.0.1:${srv.ready.port}/api/feeds/carrier`, {
    method: 'POST', body,
    headers: { 'content-type': 'application/json', 'x-feed-key': id, 'x-feed-timestamp': String(ts), 'x-feed-signature': `sha256=${sign(secret, ts, body)}` },
  });
  await res.text();
  if (res.status !== 200) throw new Error(`status ${res.status}`);
  return performance.now() - t0;
}

try {
  await post();
  await srv.request('eldReset');
  await srv.request('profStart');
  const ms = await post();
  await new Promise((r) => setTimeout(r, 1300));
  await srv.request('profStop', file);
  const loop = await srv.request<{ p99Ms: number; maxMs: number }>('eld');
  console.log(`${store}: ${ms.toFixed(0)} ms, event-loop p99 ${loop.p99Ms.toFixed(1)} ms, max ${loop.maxMs.toFixed(0)} ms; ${file}`);
  console.log(summariseProfile(file, { files: 20, functions: 30 }));
} finally {
  await srv.close();
  if (store === 'redis') await dropPrefix(prefix);
}
