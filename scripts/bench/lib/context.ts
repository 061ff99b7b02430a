// What every benchmark receives from the runner.
import type { Row } from './report.js';

export interface BenchContext {
  quick: boolean;
  /** Measured runs per figure (medians are taken over them); at least 3. */
  runs: number;
  log(message: string): void;
}

export interface Benchmark {
  /** Names that select it on the command line (`npm run bench -- <name>`). */
  names: readonly string[];
  /** Runs the benchmarks of this group that `selected` names; returns their rows. */
  run(ctx: BenchContext, selected: ReadonlySet<string>): Promise<Row[]>;
}

export const SCRIPT_DIR = new URL('../', import.meta.url);
export const server = (file: string) => new URL(`servers/${file}`, SCRIPT_DIR);
