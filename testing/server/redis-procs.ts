// Redis processes of a test's own (cluster nodes, sentinels, replicas), on loopback ports: the
// process handling that private-cluster.ts and private-sentinel.ts share.
import { execFile, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { promisify } from 'node:util';
import { isRunning, spawnTracked, stopProc, waitUntilReady } from './procs.js';

export const REDIS_SERVER = process.env.REDIS_SERVER_BIN ?? '/usr/bin/redis-server';
export const REDIS_CLI = process.env.REDIS_CLI_BIN ?? '/usr/bin/redis-cli';
const STARTUP_TIMEOUT_MS = 10_000;

/** True when both binaries a cluster or a sentinel set needs are there. */
export const hasRedisBinaries = (): boolean => existsSync(REDIS_SERVER) && existsSync(REDIS_CLI);

export interface RedisProc {
  port: number;
  /** Sends a signal and waits until the process has exited (no-op if it already has). */
  stop(signal?: NodeJS.Signals): Promise<void>;
  readonly running: boolean;
  /** The last lines it printed, for error messages. */
  output(): string;
}

/** Starts `redis-server <args>` and waits until it answers PING on `port`. */
export async function spawnRedis(port: number, args: string[]): Promise<RedisProc> {
  const { proc, output } = spawnTracked(REDIS_SERVER, args);
  const handle: RedisProc = {
    port,
    get running() {
      return isRunning(proc);
    },
    output,
    stop: (signal = 'SIGTERM') => stopProc(proc, signal),
  };
  await waitUntilAnswers(port, proc, output);
  return handle;
}

/** Runs redis-cli with arguments and returns what it printed. */
export async function redisCli(args: string[], timeoutMs = 20_000): Promise<string> {
  const { stdout } = await promisify(execFile)(REDIS_CLI, args, { timeout: timeoutMs });
  return stdout;
}

/** A port nobody listens on right now: the kernel picks one for a throwaway server. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

/** `n` distinct free ports (asking one at a time could hand out the same port twice). */
export async function freePorts(n: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < n) ports.add(await freePort());
  return [...ports];
}

/** Waits until the redis-server child answers PING; fails early if it exits. */
export async function waitUntilAnswers(port: number, proc: ChildProcess, output: () => string): Promise<void> {
  await waitUntilReady(proc, () => answersPing(port), {
    timeoutMs: STARTUP_TIMEOUT_MS,
    intervalMs: 50,
    exited: () => new Error(`redis-server on port ${port} exited at start-up: ${output().trim() || 'no output'}`),
    timedOut: () => new Error(`redis-server on port ${port} did not answer PING within ${STARTUP_TIMEOUT_MS} ms`),
  });
}

/** One raw PING over RESP; no client library, so no reconnect logic gets in the way. */
function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    const finish = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => finish(false));
    socket.once('error', () => finish(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => finish(data.toString().startsWith('+PONG')));
  });
}
