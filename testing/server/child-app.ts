// shortline as a separate process, started exactly as `npm start` starts it (the real entry point,
// configured by environment variables): for tests that kill an instance, or that need the app on a
// core of its own while the test process generates load.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Site } from '../../shared/schemas.js';
import { TEST_ADMIN_TOKEN } from './app.js';
import { killWithTestProcess } from './procs.js';
import { freePort } from './redis-procs.js';

export interface ChildApp {
  url: string;
  port: number;
  pid: number;
  /** Lines the process printed (stdout and stderr), newest last, at most `keepLines`. */
  lines: string[];
  /** Resolves when the process has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGKILL, as a crash would; resolves once it has exited. */
  kill(): Promise<void>;
  /** SIGTERM and wait (graceful shutdown); SIGKILL after 10 s. Idempotent. */
  stop(): Promise<void>;
}

export interface ChildAppOptions {
  env?: Record<string, string>;
  /** Extra node flags, e.g. --expose-gc. */
  nodeArgs?: string[];
  /** Modules loaded before the app (after tsx, so they may be TypeScript), e.g. a heap probe. */
  imports?: string[];
  /** Called with each output line as it arrives. */
  onLine?: (line: string) => void;
  keepLines?: number;
  startTimeoutMs?: number;
}

export async function startChildApp(opts: ChildAppOptions = {}): Promise<ChildApp> {
  const port = await freePort();
  const env = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    ADMIN_TOKEN: TEST_ADMIN_TOKEN,
    FRAME_MS: '50',
    LOG_LEVEL: 'warn',
    ...opts.env,
  };
  const proc: ChildProcess = spawn(
    process.execPath,
    [
      ...(opts.nodeArgs ?? []),
      '--import',
      'tsx',
      ...(opts.imports ?? []).flatMap((m) => ['--import', m]),
      'server/index.ts',
    ],
    {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const lines: string[] = [];
  const keep = opts.keepLines ?? 200;
  let partial = '';
  const onData = (chunk: Buffer) => {
    const parts = (partial + chunk.toString()).split('\n');
    partial = parts.pop() ?? '';
    for (const line of parts) {
      lines.push(line);
      if (lines.length > keep) lines.shift();
      opts.onLine?.(line);
    }
  };
  proc.stdout?.on('data', onData);
  proc.stderr?.on('data', onData);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    proc.once('exit', (code, signal) => resolve({ code, signal }));
  });
  killWithTestProcess(proc);

  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (opts.startTimeoutMs ?? 60_000);
  for (;;) {
    if (proc.exitCode !== null || proc.signalCode !== null) {
      throw new Error(`shortline child exited at start-up: ${lines.slice(-5).join(' | ') || 'no output'}`);
    }
    const ok = await fetch(`${url}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline) {
      proc.kill('SIGKILL');
      throw new Error(`shortline child did not answer /healthz: ${lines.slice(-5).join(' | ')}`);
    }
    await sleep(100);
  }

  let stopping: Promise<void> | undefined;
  const signalAndWait = async (signal: NodeJS.Signals) => {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
    await exited;
  };
  return {
    url,
    port,
    pid: proc.pid!,
    lines,
    exited,
    kill: () => signalAndWait('SIGKILL'),
    stop: () =>
      (stopping ??= (async () => {
        const force = setTimeout(() => proc.kill('SIGKILL'), 10_000);
        await signalAndWait('SIGTERM');
        clearTimeout(force);
      })()),
  };
}

/** Issues a staff token through the child's admin API. */
export async function issueChildToken(url: string, siteId: string): Promise<string> {
  const res = await fetch(`${url}/api/admin/staff-tokens`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ siteId }),
  });
  if (res.status !== 201) throw new Error(`issue token: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { token: string }).token;
}

/** Writes a registry for SITES_FILE to a temporary file; returns its path. */
export function writeSitesFile(sites: readonly Site[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'shortline-sites-'));
  const file = join(dir, 'sites.json');
  writeFileSync(file, JSON.stringify(sites));
  return file;
}
