// Child processes for tests: output drained (a chatty child blocks on a full pipe) and kept as a
// short tail for error messages, and killed if the test process exits without stopping it.
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';

export interface TrackedProc {
  proc: ChildProcess;
  /** The last `keepChars` characters of stdout and stderr. */
  output(): string;
}

export function spawnTracked(cmd: string, args: string[], opts: SpawnOptions = {}, keepChars = 4_000): TrackedProc {
  const proc = spawn(cmd, args, { ...opts, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const keep = (chunk: Buffer) => {
    out = (out + chunk.toString()).slice(-keepChars);
  };
  proc.stdout?.on('data', keep);
  proc.stderr?.on('data', keep);
  killWithTestProcess(proc);
  return { proc, output: () => out };
}

/** A test process that ends without stopping its child must not leave it behind. */
export function killWithTestProcess(proc: ChildProcess): void {
  const killOnExit = () => proc.kill('SIGKILL');
  process.on('exit', killOnExit);
  proc.once('exit', () => process.off('exit', killOnExit));
}

export const isRunning = (proc: ChildProcess): boolean => proc.exitCode === null && proc.signalCode === null;

/** Sends `signal` and waits for the exit; nothing to do once the process has exited. */
export async function stopProc(proc: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (!isRunning(proc)) return;
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  proc.kill(signal);
  await exited;
}

/**
 * Start-up: asks `answers` every `intervalMs` until it says yes. Throws `o.exited()` as soon as the
 * process exits; after `timeoutMs` kills it and throws `o.timedOut()`.
 */
export async function waitUntilReady(
  proc: ChildProcess,
  answers: () => Promise<boolean>,
  o: { timeoutMs: number; intervalMs: number; exited: () => Error; timedOut: () => Error },
): Promise<void> {
  const deadline = Date.now() + o.timeoutMs;
  while (Date.now() < deadline) {
    if (!isRunning(proc)) throw o.exited();
    if (await answers()) return;
    await sleep(o.intervalMs);
  }
  proc.kill('SIGKILL');
  throw o.timedOut();
}
