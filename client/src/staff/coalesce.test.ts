import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Coalescer, MAX_WAIT_MS, QUIET_MS } from './coalesce.js';

describe('coalescing taps', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 1_000_000 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('when taps come quickly, then one value is emitted: the last one, stamped with the last tap', () => {
    const out: Array<[number, number]> = [];
    const c = new Coalescer<number>((v, at) => out.push([v, at]));
    c.push(1);
    vi.advanceTimersByTime(300);
    c.push(2);
    vi.advanceTimersByTime(300);
    c.push(3);
    const lastTap = Date.now();
    vi.advanceTimersByTime(QUIET_MS - 1);
    expect(out).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(out).toEqual([[3, lastTap]]);
    expect(c.pending).toBe(false);
  });

  it('when taps are further apart than the quiet time, then each is emitted', () => {
    const out: number[] = [];
    const c = new Coalescer<number>((v) => out.push(v));
    c.push(1);
    vi.advanceTimersByTime(QUIET_MS + 10);
    c.push(2);
    vi.advanceTimersByTime(QUIET_MS + 10);
    expect(out).toEqual([1, 2]);
  });

  it('when taps never stop, then a value is still emitted every maxWait', () => {
    const out: number[] = [];
    const c = new Coalescer<number>((v) => out.push(v));
    for (let i = 1; i <= 20; i++) {
      c.push(i);
      vi.advanceTimersByTime(500);
    }
    // 20 taps over 10 s: emitted at 5 s and 10 s, never waiting longer than MAX_WAIT_MS.
    expect(out.length).toBe(Math.floor((20 * 500) / MAX_WAIT_MS));
    expect(out[0]).toBe(MAX_WAIT_MS / 500);
  });

  it('when flushed (page hidden), then the pending value is emitted at once and only once', () => {
    const out: number[] = [];
    const c = new Coalescer<number>((v) => out.push(v));
    c.push(7);
    c.flush();
    c.flush();
    vi.advanceTimersByTime(QUIET_MS * 2);
    expect(out).toEqual([7]);
  });

  it('when cancelled, then nothing is emitted', () => {
    const out: number[] = [];
    const c = new Coalescer<number>((v) => out.push(v));
    c.push(7);
    c.cancel();
    vi.advanceTimersByTime(QUIET_MS * 2);
    expect(out).toEqual([]);
  });

  it('when a value is waiting, then dueAt says when it goes', () => {
    const c = new Coalescer<number>(() => undefined);
    expect(c.dueAt).toBeNull();
    c.push(1);
    expect(c.dueAt).toBe(Date.now() + QUIET_MS);
  });
});
