// Real shortline processes (`node --import tsx server/index.ts`), as an operator runs them: for
// tests and load runs that need several instances behind a proxy, each killable on its own.
import { isRunning, spawnTracked, stopProc, waitUntilReady } from './procs.js';
import { freePort } from './redis-procs.js';

const STARTUP_TIMEOUT_MS = 30_000;

export interface ShortlineProc {
  port: number;
  /** Of node itself (taskset execs it in place), for reading its CPU time from /proc. */
  pid: number;
  url: string;
  /** Sends a signal and waits for the exit (no-op once exited). */
  stop(signal?: NodeJS.Signals): Promise<void>;
  readonly running: boolean;
  output(): string;
}

/** Starts one instance with the given environment (PORT and HOST are set here) and waits for /healthz. */
export async function startShortline(env: Record<string, string>, opts: { cpu?: number } = {}): Promise<ShortlineProc> {
  const port = await freePort();
  const args = ['--import', 'tsx', 'server/index.ts'];
  // Pinning to one core makes "n instances on n cores" measurable on a shared machine.
  const [cmd, argv] =
    opts.cpu === undefined
      ? [process.execPath, args]
      : ['taskset', ['-c', String(opts.cpu), process.execPath, ...args]];
  const { proc, output } = spawnTracked(cmd, argv, {
    env: { ...process.env, LOG_LEVEL: 'warn', ...env, PORT: String(port), HOST: '127.0.0.1' },
  });
  const url = `http://127.0.0.1:${port}`;
  const handle: ShortlineProc = {
    port,
    url,
    pid: proc.pid ?? -1,
    get running() {
      return isRunning(proc);
    },
    output,
    stop: (signal = 'SIGTERM') => stopProc(proc, signal),
  };
  const healthy = () =>
    fetch(`${url}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
  await waitUntilReady(proc, healthy, {
    timeoutMs: STARTUP_TIMEOUT_MS,
    intervalMs: 100,
    exited: () => new Error(`shortline exited at start-up: ${output().trim()}`),
    timedOut: () =>
      new Error(
        `shortline on port ${port} did not answer /healthz within ${STARTUP_TIMEOUT_MS} ms: ${output().trim()}`,
      ),
  });
  return handle;
}
