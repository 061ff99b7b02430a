// CPU profiles of the staff report path under the `staff` benchmark's load, shortline and the
// reference (ref-staff.ts) in one session, summarised as µs of self time per report, by file
// (packages lumped) and by function. The .cpuprofile files are kept for Chrome DevTools.
//   npx tsx scripts/bench/profile-staff.ts [seconds] [outDir]
import { spawnChild, type Child } from './lib/child.js';
import { server } from './lib/context.js';
import { summariseProfile } from './lib/profile-summary.js';
import { benchPrefix, dropPrefix } from './lib/redis-clean.js';
import { withCpu } from './servers/common.js';
import type { ShortlineReady } from './servers/shortline.js';
import { issueTokens, reportsPerSecond } from './staff.js';

const seconds = Number(process.argv[2] ?? 4);
const dir = process.argv[3] ?? '/tmp';
const prefix = benchPrefix('staff-prof');
const refPrefix = benchPrefix('staff-prof-ref');
const ours = await spawnChild<ShortlineReady>(server('shortline.ts'), { store: 'redis', prefix, frameMs: 1000 });
let ref: Child<{ port: number }> | undefined;

try {
  const tablets = await issueTokens(ours.ready.port, ours.ready.adminToken, 16);
  ref = await spawnChild(server('ref-staff.ts'), { prefix: refPrefix, tablets });
  for (const [name, srv] of [
    ['shortline', ours],
    ['ref', ref],
  ] as const) {
    await reportsPerSecond([srv.ready.port], tablets, 1500);
    const file = `${dir}/staff-${name}.cpuprofile`;
    await srv.request('profStart');
    const r = await withCpu(srv, () => reportsPerSecond([srv.ready.port], tablets, seconds * 1000));
    await srv.request('profStop', file);
    const reports = r.value * seconds;
    console.log(
      `\n== ${name}: ${Math.round(r.value)} reports/s wall, ${(r.cpuUs / reports).toFixed(1)} µs CPU per report (profiler on); ${file}`,
    );
    console.log(summariseProfile(file, { per: reports }));
  }
} finally {
  await ref?.close();
  await ours.close();
  await dropPrefix(prefix);
  await dropPrefix(refPrefix);
}
