// Small statistics for benchmark runs. Percentiles use the nearest-rank method on a sorted copy.
import { readFileSync } from 'node:fs';
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export function percentile(xs: ArrayLike<number>, p: number): number {
  if (xs.length === 0) return NaN;
  const s = Float64Array.from(xs as ArrayLike<number>).sort();
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}

/** Least-squares slope of y over x. */
export function slope(xs: readonly number[], ys: readonly number[]): number {
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += (xs[i]! - mx) * (ys[i]! - my);
    den += (xs[i]! - mx) ** 2;
  }
  return num / den;
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Polls until `done()` or the deadline; returns whether it got done. */
export async function waitUntil(done: () => boolean, timeoutMs: number, stepMs = 5): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > end) return false;
    await sleep(stepMs);
  }
  return true;
}

/** Event-loop delay of this process, in ms, sampled every millisecond. */
export class LoopDelay {
  private h: IntervalHistogram = monitorEventLoopDelay({ resolution: 1 });
  constructor() {
    this.h.enable();
  }
  reset(): void {
    this.h.reset();
  }
  read(): { p99Ms: number; maxMs: number; meanMs: number } {
    const ms = (ns: number) => Math.round(ns / 1e4) / 100;
    return { p99Ms: ms(this.h.percentile(99)), maxMs: ms(this.h.max), meanMs: ms(this.h.mean) };
  }
}

/** Resident set size of any process, from /proc (bytes). */
export function rssOf(pid: number): number {
  return Number(readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ')[1]) * 4096;
}
