// Rapid taps become one report: a change waits for a quiet moment before it is sent, so five taps
// on "+1" send "5 more" once, with the final value and the time of the last tap. A tablet tapped
// continuously still reports every `maxWaitMs`, so the public number never lags far behind.

export interface CoalesceTimers {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const browserTimers: CoalesceTimers = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

export interface CoalesceOptions {
  /** Quiet time after the last change before it is emitted. */
  quietMs?: number;
  /** Longest a change may wait while changes keep coming. */
  maxWaitMs?: number;
  timers?: CoalesceTimers;
}

export const QUIET_MS = 1500;
export const MAX_WAIT_MS = 5000;

export class Coalescer<T> {
  private value: T | undefined;
  private madeAt = 0;
  private firstAt = 0;
  private handle: unknown = null;
  private readonly quietMs: number;
  private readonly maxWaitMs: number;
  private readonly timers: CoalesceTimers;

  /** `emit` receives the final value and when it was made (the last change, client clock). */
  constructor(
    private readonly emit: (value: T, madeAt: number) => void,
    opts: CoalesceOptions = {},
  ) {
    this.quietMs = opts.quietMs ?? QUIET_MS;
    this.maxWaitMs = opts.maxWaitMs ?? MAX_WAIT_MS;
    this.timers = opts.timers ?? browserTimers;
  }

  get pending(): boolean {
    return this.handle !== null;
  }

  /** When the pending value will be emitted (client clock), or null. */
  get dueAt(): number | null {
    return this.pending ? this.due() : null;
  }

  private due(): number {
    return Math.min(this.madeAt + this.quietMs, this.firstAt + this.maxWaitMs);
  }

  push(value: T): void {
    const now = this.timers.now();
    if (!this.pending) this.firstAt = now;
    this.value = value;
    this.madeAt = now;
    this.schedule();
  }

  /** Emits the pending value now (page hidden, explicit "send"). */
  flush(): void {
    if (!this.pending) return;
    this.timers.clearTimeout(this.handle);
    this.handle = null;
    const value = this.value as T;
    this.value = undefined;
    this.emit(value, this.madeAt);
  }

  /** Forgets the pending value (the tablet was revoked). */
  cancel(): void {
    if (this.handle !== null) this.timers.clearTimeout(this.handle);
    this.handle = null;
    this.value = undefined;
  }

  private schedule(): void {
    if (this.handle !== null) this.timers.clearTimeout(this.handle);
    const wait = Math.max(0, this.due() - this.timers.now());
    this.handle = this.timers.setTimeout(() => this.flush(), wait);
  }
}
