// `npm run bench [-- names...] [--quick] [--runs N]`: runs the benchmarks of issue 7, prints one
// table (name, ours, reference, ratio, goal, verdict) and writes the rows to bench-results.json.
// Servers run as children pinned to core 0, this process (the load generator) to core 1.
// Exit status: 1 if a benchmark crashed; in full mode 3 if a goal was missed; quick mode (for CI)
// exits 0 whatever the verdicts, since tiny sizes say nothing about goals.
import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { carrier } from './carrier.js';
import { cheapPhone } from './cheap-phone.js';
import { compactFeed } from './compact-feed.js';
import { embeddedStore } from './embedded-store.js';
import { firstRender } from './first-render.js';
import { canPin, LOAD_CORE, pinSelf } from './lib/child.js';
import type { Benchmark } from './lib/context.js';
import { makeRow, table, type Row } from './lib/report.js';
import { lite } from './lite.js';
import { pages } from './pages.js';
import { realtime } from './realtime.js';
import { reportToPhone } from './report-to-phone.js';
import { slowClients } from './slow-clients.js';
import { snapshot } from './snapshot.js';
import { staff } from './staff.js';
import { start } from './start.js';

const GROUPS: Benchmark[] = [
  realtime,
  reportToPhone,
  slowClients,
  compactFeed,
  carrier,
  staff,
  snapshot,
  pages,
  firstRender,
  embeddedStore,
  lite,
  cheapPhone,
  start,
];
const ALL = GROUPS.flatMap((g) => g.names);

function usage(): never {
  console.log(`usage: npm run bench -- [--quick] [--runs N] [${ALL.join('|')} ...]`);
  process.exit(2);
}

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const runsAt = args.indexOf('--runs');
const runs = runsAt >= 0 ? Number(args[runsAt + 1]) : 3;
if (!Number.isInteger(runs) || runs < 1) usage();
const names = args.filter((a, i) => !a.startsWith('--') && (runsAt < 0 || i !== runsAt + 1));
for (const n of names) if (!ALL.includes(n)) usage();
const selected = new Set(names.length ? names : ALL);

// 10,000 clients here and 10,000 sockets in the server: raise the descriptor limit, which only a
// new process can do (bash's ulimit, then exec the same command).
const NEED_FDS = quick ? 2_000 : 12_000;
const fdLimit = Number(execFileSync('sh', ['-c', 'ulimit -n']).toString().trim());
if (fdLimit < NEED_FDS && !process.env.BENCH_FD_RAISED) {
  const cmd = `ulimit -n ${NEED_FDS * 2} 2>/dev/null || ulimit -n "$(ulimit -Hn)"; exec "$@"`;
  const r = spawnSync('bash', ['-c', cmd, 'bash', process.execPath, ...process.execArgv, ...process.argv.slice(1)], {
    stdio: 'inherit',
    env: { ...process.env, BENCH_FD_RAISED: '1' },
  });
  process.exit(r.status ?? 1);
}

const pinned = pinSelf(LOAD_CORE);
const t0 = Date.now();
const log = (m: string) => console.log(`[${((Date.now() - t0) / 1000).toFixed(1).padStart(5)} s] ${m}`);
const fds = execFileSync('sh', ['-c', 'ulimit -n']).toString().trim();
log(
  `${cpus().length} cores; servers on core 0, load on core ${LOAD_CORE}${pinned ? '' : ' (NOT pinned: taskset unavailable)'}; ${quick ? 'quick mode' : 'full mode'}, ${runs} runs; ${fds} file descriptors`,
);

const rows: Row[] = [];
const crashed: string[] = [];
for (const g of GROUPS) {
  const mine = new Set(g.names.filter((n) => selected.has(n)));
  if (mine.size === 0) continue;
  try {
    rows.push(...(await g.run({ quick, runs, log }, mine)));
  } catch (err) {
    // Build tools put pages of colour codes in their errors; the first lines say what happened.
    // eslint-disable-next-line no-control-regex
    const text = (err instanceof Error ? (err.stack ?? err.message) : String(err)).replace(/\x1b\[[0-9;]*m/g, '');
    crashed.push(`${[...mine].join(', ')}: ${text.split('\n').slice(0, 12).join('\n')}`);
    for (const n of mine)
      rows.push({ ...makeRow({ name: n, unit: 'ms', ours: [NaN] }), verdict: 'MISSED', note: 'crashed' });
    log(`CRASHED ${[...mine].join(', ')}: ${text.split('\n')[0]}`);
  }
}

console.log('');
console.log(table(rows));
for (const r of rows) if (r.note) console.log(`  ${r.name}: ${r.note}`);
const missed = rows.filter((r) => r.verdict === 'MISSED').length;
console.log(
  `\n${rows.length} rows, ${missed} goals missed, ${((Date.now() - t0) / 1000).toFixed(0)} s, ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown CPU'})`,
);
writeFileSync(
  'bench-results.json',
  `${JSON.stringify(
    {
      at: new Date().toISOString(),
      command: ['npm run bench', ...(args.length ? ['--', ...args] : [])].join(' '),
      machine: {
        cores: cpus().length,
        cpu: cpus()[0]?.model ?? null,
        node: process.version,
        pinned: pinned && canPin(),
      },
      quick,
      runs,
      rows,
    },
    null,
    2,
  )}\n`,
);
if (crashed.length) {
  console.error(`\ncrashed:\n${crashed.join('\n')}`);
  process.exit(1);
}
process.exit(!quick && missed > 0 ? 3 : 0);
