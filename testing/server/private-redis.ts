// A Redis of a test's own, for outage tests: stopping the shared Redis would break every other
// suite running at the same time. Loopback only, a free port of its own, persistence on request.
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnTracked } from './procs.js';
import { freePort, REDIS_SERVER, waitUntilAnswers } from './redis-procs.js';

/** True when a redis-server binary is there to start (REDIS_SERVER_BIN overrides the path). */
export const hasRedisServer = (): boolean => existsSync(REDIS_SERVER);

export interface PrivateRedis {
  url: string;
  port: number;
  /** Shuts Redis down (SIGTERM) and waits until it has exited. */
  stop(): Promise<void>;
  /** Starts it again on the same port (empty unless started with persist) and waits until it answers. */
  start(): Promise<void>;
  /** Kills Redis (SIGKILL), as a crash would, and waits until it has exited. */
  kill(): Promise<void>;
  /** Freezes Redis (SIGSTOP): connections stay open but nothing answers, like a hung server. */
  freeze(): void;
  /** Lets a frozen Redis run again (SIGCONT). */
  thaw(): void;
}

export interface PrivateRedisOptions {
  port?: number;
  /**
   * Keep data across stop/start in an append-only file fsynced on every write, as a production
   * Redis configured for durability would; for "no acknowledged write lost" tests.
   */
  persist?: boolean;
}

export async function startPrivateRedis(opts: PrivateRedisOptions = {}): Promise<PrivateRedis> {
  const port = opts.port ?? (await freePort());
  let child: ChildProcess | undefined;
  const dir = opts.persist ? mkdtempSync(join(tmpdir(), 'shortline-redis-')) : null;
  const persistence = dir ? ['--appendonly', 'yes', '--appendfsync', 'always', '--dir', dir] : ['--appendonly', 'no'];

  async function start(): Promise<void> {
    if (child) return;
    const { proc, output } = spawnTracked(REDIS_SERVER, [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      ...persistence,
    ]);
    proc.once('exit', () => {
      if (child === proc) child = undefined;
    });
    child = proc;
    await waitUntilAnswers(port, proc, output);
  }

  async function signalAndWait(signal: NodeJS.Signals): Promise<void> {
    const proc = child;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    proc.kill('SIGCONT'); // a frozen Redis cannot act on SIGTERM
    proc.kill(signal);
    await exited;
  }

  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    start,
    stop: () => signalAndWait('SIGTERM'),
    kill: () => signalAndWait('SIGKILL'),
    freeze: () => void child?.kill('SIGSTOP'),
    thaw: () => void child?.kill('SIGCONT'),
  };
}
