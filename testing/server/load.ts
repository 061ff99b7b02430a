// Open-loop load: requests go out at a fixed rate whatever the answers, as tablets would keep
// sending through an outage (a closed loop would slow down exactly when the server fails, and hide
// it). In-flight requests are capped so a stalled server cannot pile up unbounded work.
export interface Pacer {
  /** Requests started. */
  readonly started: number;
  /** Ticks skipped because `maxInFlight` requests were still waiting. */
  readonly skipped: number;
  readonly inFlight: number;
  /** Stops starting requests and waits for those in flight. */
  stop(): Promise<void>;
}

export function pace(ratePerS: number, fire: () => Promise<unknown>, maxInFlight = 256): Pacer {
  const t0 = performance.now();
  let due = 0;
  let started = 0;
  let skipped = 0;
  const pending = new Set<Promise<unknown>>();
  const timer = setInterval(() => {
    const target = Math.floor(((performance.now() - t0) / 1000) * ratePerS);
    for (; due < target; due++) {
      if (pending.size >= maxInFlight) {
        skipped++;
        continue;
      }
      started++;
      const p = fire()
        .catch(() => undefined)
        .finally(() => pending.delete(p));
      pending.add(p);
    }
  }, 5);
  return {
    get started() {
      return started;
    },
    get skipped() {
      return skipped;
    },
    get inFlight() {
      return pending.size;
    },
    stop: async () => {
      clearInterval(timer);
      await Promise.all([...pending]);
    },
  };
}

/** The p-th percentile (0-100) of a list of numbers; NaN for none. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** Rounds for a figure line. */
export const ms = (v: number) => `${Math.round(v)} ms`;
