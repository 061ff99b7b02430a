// Where the resident page's load goes on the cheap phone (the `cheap-phone` benchmark's device:
// 390x844, CPU 4x, 1.6 Mbps / 150 ms): one throttled load traced by Chromium, and every main-thread
// task over 50 ms printed with what ran inside it (scripts, timers, frames, style, layout), nested.
// Then the JavaScript's self time by file and function, from a sampling profile of the same load.
// The trace and the profile are kept for Chrome DevTools (Performance panel, "Load profile").
//   [PROFILE_MINIFY=0] npx tsx scripts/bench/profile-phone.ts [trace.json]
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchBrowser } from '../../testing/server/browser.js';
import { PHONE_CONTEXT, throttle } from './cheap-phone.js';
import { spawnChild } from './lib/child.js';
import { server } from './lib/context.js';
import { summariseProfile } from './lib/profile-summary.js';
import { buildProjectPages } from './lib/vite-build.js';
import type { ShortlineReady } from './servers/shortline.js';

interface TraceEvent {
  name: string;
  ph: string;
  ts: number;
  dur?: number;
  pid: number;
  tid: number;
  args?: { name?: string; data?: Record<string, unknown> };
}

const out = process.argv[2] ?? join(tmpdir(), 'shortline-phone-trace.json');
const cpuOut = out.replace(/(\.json)?$/, '.cpuprofile');
const served = join(tmpdir(), `shortline-profile-phone-${process.pid}`);
/** Events shorter than this are left out of a task's breakdown. */
const DETAIL_MS = 4;

// PROFILE_MINIFY=0 keeps the pages' function names readable (timings then differ a little).
await buildProjectPages(served, process.env.PROFILE_MINIFY !== '0');
const srv = await spawnChild<ShortlineReady>(server('shortline.ts'), {
  store: 'embedded',
  sites: 986,
  frameMs: 1000,
  clientDir: served,
});
const browser = await launchBrowser();
try {
  await srv.request('frame', { k: 986 });
  const context = await browser.newContext(PHONE_CONTEXT);
  const page = await context.newPage();
  await throttle(page);
  // The JavaScript inside those tasks: a sampling profile of the same load.
  const cdp = await context.newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await cdp.send('Profiler.start');
  await browser.startTracing(page, {
    path: out,
    categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'toplevel', 'v8', 'blink.user_timing'],
  });
  await page.goto(`http://127.0.0.1:${srv.ready.port}/`);
  await page.waitForFunction(() => performance.getEntriesByName('resident:first-render').length > 0, undefined, {
    timeout: 60_000,
  });
  await page.waitForTimeout(2500);
  await browser.stopTracing();
  writeFileSync(cpuOut, JSON.stringify((await cdp.send('Profiler.stop')).profile));
  await context.close();
} finally {
  await browser.close();
  await srv.close();
  rmSync(served, { recursive: true, force: true });
}

const events = (JSON.parse(readFileSync(out, 'utf8')) as { traceEvents: TraceEvent[] }).traceEvents;
// The page's renderer: of the renderer main threads, the one that ran the most.
const busy = new Map<string, number>();
for (const e of events)
  if (e.name === 'RunTask' && e.ph === 'X')
    busy.set(`${e.pid}:${e.tid}`, (busy.get(`${e.pid}:${e.tid}`) ?? 0) + (e.dur ?? 0));
const main = events
  .filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain')
  .sort((a, b) => (busy.get(`${b.pid}:${b.tid}`) ?? 0) - (busy.get(`${a.pid}:${a.tid}`) ?? 0))[0];
if (!main) throw new Error('no renderer main thread in the trace');
const onMain = events.filter((e) => e.pid === main.pid && e.tid === main.tid && e.ph === 'X' && e.dur !== undefined);
// The page's own navigation: the renderer's last (the first is about:blank's).
const nav = events.filter((e) => e.name === 'navigationStart' && e.pid === main.pid).at(-1)?.ts ?? onMain[0]!.ts;
const marks = events.filter((e) => e.pid === main.pid && e.name.startsWith('resident:') && e.ph !== 'X');
const ms = (us: number) => (us / 1000).toFixed(1);
const label = (e: TraceEvent): string => {
  const d = e.args?.data ?? {};
  const where = [
    d.functionName,
    d.url ? String(d.url).replace(/^https?:\/\/[^/]+/, '') : '',
    d.lineNumber ? `:${String(d.lineNumber)}` : '',
  ]
    .filter(Boolean)
    .join(' ');
  return where ? `${e.name} ${where}` : e.name;
};

console.log(`marks: ${marks.map((m) => `${m.name} ${ms(m.ts - nav)} ms`).join(', ')}`);
const tasks = onMain.filter((e) => e.name === 'RunTask' && e.dur! > 50_000);
for (const task of tasks) {
  console.log(`\ntask at ${ms(task.ts - nav)} ms, ${ms(task.dur!)} ms`);
  const inside = onMain
    .filter((e) => e !== task && e.ts >= task.ts && e.ts + e.dur! <= task.ts + task.dur! && e.dur! >= DETAIL_MS * 1000)
    .sort((a, b) => a.ts - b.ts || b.dur! - a.dur!);
  const stack: TraceEvent[] = [];
  for (const e of inside) {
    while (stack.length && e.ts >= stack.at(-1)!.ts + stack.at(-1)!.dur!) stack.pop();
    console.log(`${'  '.repeat(stack.length + 1)}${ms(e.dur!)} ms  ${label(e)}`);
    stack.push(e);
  }
}
console.log(`\n${tasks.length} tasks over 50 ms; trace: ${out}`);
console.log(`\nJavaScript self time on the page's main thread (throttled ms; ${cpuOut}):`);
console.log(summariseProfile(cpuOut, { files: 15, functions: 30 }));
