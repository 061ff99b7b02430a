// Server processes of the benchmarks: spawned pinned to their own core, driven over Node's IPC
// channel. The channel is the only link: when the parent goes away, so does the child, and every
// child also has a hard lifetime, so nothing a benchmark starts can outlive it.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Servers run here, the load generator (the parent) on LOAD_CORE, so neither steals the other's CPU. */
export const SERVER_CORE = 0;
export const LOAD_CORE = 1;
/**
 * No child lives longer than this, whatever happens to the parent. Longer than any one session:
 * on a slow machine the public-path server's fan-out runs took over 10 minutes, and a lifetime of
 * 10 ended it in the middle of a measurement.
 */
export const CHILD_LIFETIME_MS = 30 * 60_000;

let tasksetOk: boolean | undefined;
export function canPin(): boolean {
  tasksetOk ??= spawnSync('taskset', ['-c', '0', 'true']).status === 0;
  return tasksetOk;
}

/** Pins every thread of this process (and the threads it starts later) to one core. */
export function pinSelf(core: number): boolean {
  return (
    canPin() &&
    spawnSync('taskset', ['-a', '-p', '-c', String(core), String(process.pid)], { stdio: 'ignore' }).status === 0
  );
}

/**
 * Runs `start` with this process allowed on every core, then pins it back to LOAD_CORE: whatever
 * `start` spawns (a browser and, through its zygote, every renderer it forks later) keeps every
 * core. For the phone benchmarks: a phone's browser has four to eight cores for its main thread,
 * its workers and its compositor; squeezed onto the load generator's one core, the feed worker's
 * JSON parse would run between the main thread's tasks and lengthen them (Lighthouse's blocking
 * time measured 1,270-1,490 ms pinned, 240-370 ms with both cores, same build, same minute).
 */
export async function withAllCores<T>(start: () => Promise<T>): Promise<T> {
  const all = `0-${Math.max(0, cpus().length - 1)}`;
  const widened =
    canPin() && spawnSync('taskset', ['-a', '-p', '-c', all, String(process.pid)], { stdio: 'ignore' }).status === 0;
  try {
    return await start();
  } finally {
    if (widened) pinSelf(LOAD_CORE);
  }
}

export interface Child<Ready = unknown> {
  pid: number;
  ready: Ready;
  request<T = unknown>(cmd: string, arg?: unknown): Promise<T>;
  /** Idempotent; resolves once the process has exited. */
  close(): Promise<void>;
}

export interface SpawnOptions {
  /** Pin to this core; null: leave it to the scheduler. @default SERVER_CORE */
  core?: number | null;
  nodeArgs?: string[];
  env?: NodeJS.ProcessEnv;
  /** How long start-up may take. @default 30000 */
  startMs?: number;
}

type Reply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: string } | { ready: unknown };

/** Starts `node --import tsx <script> <options file>`; resolves when it is ready. */
export async function spawnChild<Ready>(
  script: string | URL,
  options: unknown,
  opts: SpawnOptions = {},
): Promise<Child<Ready>> {
  const file = typeof script === 'string' ? script : fileURLToPath(script);
  // Options travel in a file: a captured snapshot is bigger than one argument may be (E2BIG).
  const dir = mkdtempSync(join(tmpdir(), 'shortline-bench-'));
  const optionsFile = join(dir, 'options.json');
  writeFileSync(optionsFile, JSON.stringify(options ?? {}));
  const nodeArgs = ['--import', 'tsx', ...(opts.nodeArgs ?? []), file, optionsFile];
  const core = opts.core === undefined ? SERVER_CORE : opts.core;
  const [cmd, args] =
    core !== null && canPin()
      ? ['taskset', ['-c', String(core), process.execPath, ...nodeArgs]]
      : [process.execPath, nodeArgs];
  const proc = spawn(cmd, args, {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, ...opts.env },
  });
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  let seq = 0;
  let exited = false;
  const exit = new Promise<void>((resolve) =>
    proc.once('exit', (code, signal) => {
      exited = true;
      rmSync(dir, { recursive: true, force: true });
      for (const p of pending.values())
        p.reject(new Error(`${file} exited (${signal ?? code}) with a request pending`));
      pending.clear();
      resolve();
    }),
  );
  const ready = await new Promise<Ready>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${file} not ready within ${opts.startMs ?? 30_000} ms`)),
      opts.startMs ?? 30_000,
    );
    void exit.then(() => reject(new Error(`${file} exited during start-up`)));
    proc.on('message', (m: Reply) => {
      if ('ready' in m) {
        clearTimeout(timer);
        resolve(m.ready as Ready);
        return;
      }
      const p = pending.get(m.id);
      if (!p) return;
      pending.delete(m.id);
      if (m.ok) p.resolve(m.value);
      else p.reject(new Error(`${file}: ${m.error}`));
    });
  }).catch(async (err: unknown) => {
    proc.kill('SIGKILL');
    await exit;
    throw err;
  });
  let closing: Promise<void> | undefined;
  return {
    pid: proc.pid!,
    ready,
    request: <T>(cmd: string, arg?: unknown) =>
      new Promise<T>((resolve, reject) => {
        if (exited) return reject(new Error(`${file} has exited`));
        const id = ++seq;
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
        proc.send({ id, cmd, arg });
      }),
    close: () =>
      (closing ??= (async () => {
        if (!exited) {
          proc.disconnect();
          // The child exits on disconnect; SIGKILL only if it hangs.
          const timer = setTimeout(() => proc.kill('SIGKILL'), 5_000);
          await exit;
          clearTimeout(timer);
        }
      })()),
  };
}

export type Handlers = Record<string, (arg: any) => unknown>;

/** The child's side: answers requests with the handlers, exits with its parent or its lifetime. */
export function serveParent(handlers: Handlers, ready: unknown, onExit?: () => Promise<void> | void): void {
  if (!process.send) throw new Error('a benchmark server runs as a child with an IPC channel');
  const quit = async () => {
    try {
      await onExit?.();
    } finally {
      process.exit(0);
    }
  };
  process.on('disconnect', () => void quit());
  setTimeout(() => {
    // Said out loud: the parent otherwise sees only that its server has gone.
    console.error(
      `benchmark server ${process.argv[1]}: lifetime of ${CHILD_LIFETIME_MS / 60_000} min reached, exiting`,
    );
    void quit();
  }, CHILD_LIFETIME_MS).unref();
  process.on('message', async (m: { id: number; cmd: string; arg: unknown }) => {
    const h = handlers[m.cmd];
    try {
      if (!h) throw new Error(`unknown command ${m.cmd}`);
      process.send!({ id: m.id, ok: true, value: await h(m.arg) });
    } catch (err) {
      process.send!({ id: m.id, ok: false, error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
    }
  });
  process.send({ ready });
}

/** Options a child received from spawnChild. */
export const childOptions = <T>(): T => JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as T;

/** CLOCK_MONOTONIC in ms: one clock for every process on the machine, so latencies can span two. */
export const monoMs = (): number => Number(process.hrtime.bigint()) / 1e6;
