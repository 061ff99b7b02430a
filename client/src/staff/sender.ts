// Sends the outbox, oldest first, one at a time. What to do with each answer is a pure decision
// (`classify`, `retryDelayMs`) so it can be tested without a network; the Sender only loops.
import type { LiveState } from '../../../shared/schemas.js';
import type { Outbox, OutboxEntry } from './outbox.js';

/** What the POST came back with; `status: 0` means no answer at all (offline, timeout, DNS). */
export interface RawAnswer {
  status: number;
  body: unknown;
  retryAfter: string | null;
}

export type Verdict =
  | { kind: 'applied'; live: LiveState | null }
  /** The server kept a newer report of this site (another tablet, or a clock behind). */
  | { kind: 'outdated'; live: LiveState | null }
  /** Nothing was stored; the same entry goes again later. */
  | { kind: 'retry'; reason: string; retryAfterMs: number | null }
  /** The token no longer works: stop sending, keep the outbox for a re-enrolled tablet. */
  | { kind: 'revoked'; message: string }
  /** The server will never take this report: show why and drop it. */
  | { kind: 'rejected'; code: string; message: string };

/** Retry-After as seconds or an HTTP date; null if absent or unreadable. */
export function parseRetryAfter(value: string | null, nowMs: number): number | null {
  if (!value) return null;
  if (/^\s*\d+\s*$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - nowMs);
}

const errorOf = (body: unknown): { code: string; message: string } => {
  const b = (body ?? {}) as { error?: unknown; message?: unknown };
  return {
    code: typeof b.error === 'string' ? b.error : 'unknown',
    message: typeof b.message === 'string' ? b.message : '',
  };
};

export function classify(answer: RawAnswer, nowMs: number): Verdict {
  const { status, body } = answer;
  if (status === 200) {
    const b = (body ?? {}) as { applied?: unknown; live?: LiveState };
    const live = b.live ?? null;
    return b.applied === true ? { kind: 'applied', live } : { kind: 'outdated', live };
  }
  const retryAfterMs = parseRetryAfter(answer.retryAfter, nowMs);
  if (status === 0) return { kind: 'retry', reason: 'network', retryAfterMs: null };
  // 429 and 503 say so; any other 5xx or a 408 is a proxy or server hiccup: nothing was stored.
  const e = errorOf(body);
  const code = e.code === 'unknown' ? `http_${status}` : e.code;
  if (status === 429 || status === 408 || status >= 500) return { kind: 'retry', reason: code, retryAfterMs };
  if (status === 401) return { kind: 'revoked', message: e.message };
  return { kind: 'rejected', code, message: e.message };
}

export const BACKOFF = {
  /** First retry after about this long. */
  baseMs: 1000,
  /** A tablet offline for an hour still tries at least this often (and at once when back online). */
  maxMs: 60_000,
};

/**
 * Exponential backoff with "equal jitter" (half fixed, half random) so a hundred tablets coming
 * back after the same outage do not retry in step; never sooner than the server's Retry-After.
 * `attempt` counts failures so far, from 1.
 */
export function retryDelayMs(attempt: number, retryAfterMs: number | null, random: number): number {
  const exp = Math.min(BACKOFF.maxMs, BACKOFF.baseMs * 2 ** Math.max(0, attempt - 1));
  const jittered = exp / 2 + (exp / 2) * random;
  if (retryAfterMs === null) return Math.round(jittered);
  // Honour Retry-After, with a little jitter on top so a crowd told "1 s" does not arrive together.
  return Math.round(retryAfterMs + Math.min(jittered, BACKOFF.baseMs) * random);
}

export interface SenderEvent {
  entry: OutboxEntry;
  verdict: Verdict;
  /** For retries: when the next attempt is due (client clock). */
  retryAt?: number;
}

export interface SenderDeps {
  outbox: Outbox;
  post(entry: OutboxEntry): Promise<RawAnswer>;
  onEvent(e: SenderEvent): void;
  onSending?(entry: OutboxEntry | null): void;
  now?: () => number;
  random?: () => number;
}

export class Sender {
  private running = false;
  private again = false;
  private paused = false;
  private failures = 0;
  /** A Retry-After from the server: a kick does not override it. */
  private hardUntil = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private readonly now: () => number;
  private readonly random: () => number;

  constructor(private readonly deps: SenderDeps) {
    this.now = deps.now ?? Date.now;
    this.random = deps.random ?? Math.random;
  }

  /** Try now: a new entry, the network came back, the socket reconnected. */
  kick(): void {
    if (this.paused) return;
    if (this.hardUntil > this.now()) return this.wake(this.hardUntil - this.now());
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.running) {
      this.again = true;
      return;
    }
    void this.drain();
  }

  pause(): void {
    this.paused = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  resume(): void {
    this.paused = false;
    this.failures = 0;
    this.kick();
  }

  private wake(ms: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.kick();
    }, ms);
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      do {
        this.again = false;
        await this.sendAll();
      } while (this.again && !this.paused && !this.timer);
    } finally {
      this.running = false;
      this.deps.onSending?.(null);
    }
  }

  /** Sends entries until the outbox is empty, a retry has to wait, or sending is paused. */
  private async sendAll(): Promise<void> {
    const { outbox } = this.deps;
    for (;;) {
      if (this.paused) return;
      const entry = await outbox.head();
      if (!entry) return;
      this.deps.onSending?.(entry);
      const verdict = classify(await this.deps.post(entry), this.now());
      if (verdict.kind === 'retry') {
        this.failures += 1;
        const delay = retryDelayMs(this.failures, verdict.retryAfterMs, this.random());
        const retryAt = this.now() + delay;
        if (verdict.retryAfterMs !== null) this.hardUntil = this.now() + verdict.retryAfterMs;
        await outbox.noteFailure(entry.seq, verdict.reason);
        this.deps.onEvent({ entry, verdict, retryAt });
        this.wake(delay);
        return;
      }
      this.failures = 0;
      this.hardUntil = 0;
      if (verdict.kind === 'revoked') {
        this.pause();
        this.deps.onEvent({ entry, verdict });
        return;
      }
      await outbox.remove(entry.seq);
      this.deps.onEvent({ entry, verdict });
    }
  }
}
