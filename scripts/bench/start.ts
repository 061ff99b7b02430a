// Production start: how long `npm start`'s command (node scripts/build/start.mjs) takes to answer
// /healthz with a current build, and the server's resident memory once idle, with the bundled
// 986-site registry and the embedded store. The reference is a bare node:http server started the
// same way (the floor of any Node process that listens), so the ratio says what shortline adds.
// Goals (issue 18): healthy within 3 s, one process, idle RSS at most 110 MB.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildIsCurrent } from '../build/sources.mjs';
import { buildAll } from '../build/build.mjs';
import type { Benchmark } from './lib/context.js';
import { makeRow, type Row } from './lib/report.js';
import { ROOT } from './lib/vite-build.js';

const BARE = `require('node:http').createServer((q, s) => s.end('ok')).listen(+process.env.PORT, '127.0.0.1');`;

interface StartRun {
  healthyMs: number;
  rssMb: number;
}

async function waitHealthy(port: number, deadline: number): Promise<void> {
  for (;;) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/healthz`);
      if (res.ok) return;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) throw new Error('not healthy within 30 s');
    await new Promise((r) => setTimeout(r, 20));
  }
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN) / 1024;
}

async function startOnce(args: string[], port: number, idleMs: number): Promise<StartRun> {
  const t0 = performance.now();
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    stdio: 'ignore',
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', STORE_FILE: 'off' },
  });
  try {
    await waitHealthy(port, Date.now() + 30_000);
    const healthyMs = performance.now() - t0;
    // Idle: the first frames and the minute sweep have run; memory has settled.
    await new Promise((r) => setTimeout(r, idleMs));
    return { healthyMs, rssMb: rssMb(child.pid!) };
  } finally {
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
  }
}

export const start: Benchmark = {
  names: ['start'],
  async run(ctx): Promise<Row[]> {
    if (!buildIsCurrent(ROOT)) await buildAll();
    const ours: StartRun[] = [];
    const ref: StartRun[] = [];
    const idleMs = ctx.quick ? 500 : 3_000;
    for (let i = 0; i < ctx.runs; i++) {
      ours.push(await startOnce([join(ROOT, 'scripts/build/start.mjs')], 43_100 + i, idleMs));
      ref.push(await startOnce(['-e', BARE], 43_200 + i, idleMs));
      ctx.log(
        `start run ${i + 1}: healthy ${ours.at(-1)!.healthyMs.toFixed(0)} ms (bare ${ref.at(-1)!.healthyMs.toFixed(0)} ms), RSS ${ours.at(-1)!.rssMb.toFixed(0)} MB`,
      );
    }
    return [
      makeRow({
        name: 'start: healthy after start, current build',
        unit: 'ms',
        ours: ours.map((r) => r.healthyMs),
        reference: ref.map((r) => r.healthyMs),
        paired: true,
        goal: { of: 'ours', op: '<=', value: 3_000 },
      }),
      makeRow({
        name: 'start: RSS at idle, 986 sites',
        unit: 'MB',
        ours: ours.map((r) => r.rssMb),
        reference: ref.map((r) => r.rssMb),
        paired: true,
        goal: { of: 'ours', op: '<=', value: 110 },
      }),
    ];
  },
};
