// CPU profiles of the staff report path under the `staff` benchmark's load, shortline and the
// reference (ref-staff.ts) in one session, summarised as µs of self time per report, by file
// (packages lumped) and by function. The .cpuprofile files are kept for Chrome DevTools.
//   npx tsx scripts/bench/profile-staff.ts [seconds] [outDir]
import { readFileSync } from 'node:fs';
import { spawnChild, type Child } from './lib/child.js';
import { server } from './lib/context.js';
import { benchPrefix, dropPrefix } from './lib/redis-clean.js';
import { withCpu } from './servers/common.js';
import type { ShortlineReady } from './servers/shortline.js';
import { issueTokens, reportsPerSecond } from './staff.js';

const seconds = Number(process.argv[2] ?? 4);
const dir = process.argv[3] ?? '/tmp';
const prefix = benchPrefix('staff-prof');
const ours = await spawnChild<ShortlineReady>(server('shortline.ts'), { store: 'redis', prefix, frameMs: 1000 });
let ref: Child<{ port: number }> | undefined;

try {
  const tablets = await issueTokens(ours.ready.port, ours.ready.adminToken, 16);
  ref = await spawnChild(server('ref-staff.ts'), { prefix });
  for (const [name, srv] of [['shortline', ours], ['ref', ref]] as const) {
    await reportsPerSecond([srv.ready.port], tablets, 1500);
    const file = `${dir}/staff-${name}.cpuprofile`;
    await srv.request('profStart');
    const r = await withCpu(srv, () => reportsPerSecond([srv.ready.port], tablets, seconds * 1000));
    await srv.request('profStop', file);
    const reports = r.value * seconds;
    console.log(`\n== ${name}: ${Math.round(r.value)} reports/s wall, ${(r.cpuUs / reports).toFixed(1)} µs CPU per report (profiler on); ${file}`);
    summarise(file, reports);
  }
} finally {
  await ref?.close();
  await ours.close();
  await dropPrefix(prefix);
}

interface Node { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }

function summarise(path: string, reports: number): void {
  const p = JSON.parse(readFileSync(path, 'utf8')) as { nodes: Node[]; samples: number[]; timeDeltas: number[] };
  const byId = new Map(p.nodes.map((nd) => [nd.id, nd]));
  const self = new Map<string, number>();
  const byFile = new Map<string, number>();
  let total = 0;
  p.samples.forEach((id, i) => {
    const nd = byId.get(id)!;
    const us = p.timeDeltas[i] ?? 0;
    const name = nd.callFrame.functionName || '(anon)';
    if (name === '(idle)') return;
    total += us;
    const where = nd.callFrame.url.replace(/^.*\/work\/main\//, '').replace(/^file:\/\//, '');
    const key = `${name} ${where}:${nd.callFrame.lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + us);
    const f = nd.callFrame.url ? where.replace(/node_modules\/((@[^/]+\/)?[^/]+)\/.*/, '$1') : name;
    byFile.set(f, (byFile.get(f) ?? 0) + us);
  });
  const top = (m: Map<string, number>, k: number) => [...m].sort((a, b) => b[1] - a[1]).slice(0, k)
    .map(([name, us]) => `${(us / reports).toFixed(1).padStart(7)} µs  ${name}`).join('\n');
  console.log(`busy ${(total / reports).toFixed(1)} µs per report\n-- by file --\n${top(byFile, 25)}\n-- by function (self) --\n${top(self, 35)}`);
}
