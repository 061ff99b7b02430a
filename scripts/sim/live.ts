// The demo's driver: the simulated city keeps pace with the server's clock, real time by default
// or `speed` times faster on a ManualClock that this driver moves.
import type { ManualClock } from '../../server/clock.js';
import type { Simulation } from './simulation.js';

export interface LiveOptions {
  /** The server's clock. With `speed` > 1 it must be the ManualClock the server was given. */
  clock: { now(): number } | ManualClock;
  speed?: number;
  /** Wall time between two turns of the observers. */
  tickMs?: number;
  /** Simulated time between two reads of GET /api/live for the residents who follow shortline. */
  viewEveryMs?: number;
  onError?: (err: unknown) => void;
}

export interface LiveRun {
  /** Resolves once the current turn has finished; idempotent. */
  stop(): Promise<void>;
}

export function runLive(sim: Simulation, opts: LiveOptions): LiveRun {
  const speed = opts.speed ?? 1;
  const tickMs = opts.tickMs ?? 2000;
  const viewEveryMs = opts.viewEveryMs ?? 15_000;
  const manual = speed !== 1 ? (opts.clock as ManualClock) : null;
  if (manual && typeof manual.set !== 'function') throw new Error('a speed other than 1 needs a ManualClock');
  const wall0 = Date.now();
  const sim0 = opts.clock.now();
  let lastView = -Infinity;
  let stopped = false;
  let wake: (() => void) | null = null;
  let timer: NodeJS.Timeout | undefined;

  const turn = async () => {
    const now = manual ? sim0 + (Date.now() - wall0) * speed : opts.clock.now();
    manual?.set(now);
    sim.advance(now);
    await sim.observe();
    if (now - lastView >= viewEveryMs) {
      lastView = now;
      await sim.refreshView();
    }
  };

  const loop = (async () => {
    while (!stopped) {
      // One failed turn (a slow server, a refused write) must not end the demo.
      await turn().catch((err: unknown) => opts.onError?.(err));
      if (stopped) break;
      await new Promise<void>((resolve) => {
        wake = resolve;
        timer = setTimeout(resolve, tickMs);
      });
    }
  })();

  let stopping: Promise<void> | undefined;
  return {
    stop: () =>
      (stopping ??= (async () => {
        stopped = true;
        clearTimeout(timer);
        wake?.();
        await loop;
      })()),
  };
}
