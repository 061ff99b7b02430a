// Child processes for tests: output drained (a chatty child blocks on a full pipe) and kept as a
// short tail for error messages, and killed if the test process exits without stopping it.
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';

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
