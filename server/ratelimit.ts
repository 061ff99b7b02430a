// Token buckets for writes, per client IP and per staff token. In-process: with several instances
// each enforces its own share (documented); the store is not touched for rejected requests.
import type { Clock } from './clock.js';
import { AppError } from './errors.js';

interface Bucket {
  tokens: number;
  at: number;
}

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private lastSweep = 0;

  /** `perMinute` requests on average, bursts up to `burst`. */
  constructor(
    private readonly perMinute: number,
    private readonly burst: number,
    private readonly clock: Clock,
  ) {}

  /** Takes one token for `key`; returns seconds to wait when there is none. */
  take(key: string): { ok: true } | { ok: false; retryAfterS: number } {
    const now = this.clock.now();
    this.sweep(now);
    const rate = this.perMinute / 60_000;
    const b = this.buckets.get(key) ?? { tokens: this.burst, at: now };
    b.tokens = Math.min(this.burst, b.tokens + Math.max(0, now - b.at) * rate);
    b.at = now;
    this.buckets.set(key, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return { ok: true };
    }
    return { ok: false, retryAfterS: Math.max(1, Math.ceil((1 - b.tokens) / rate / 1000)) };
  }

  /** Seconds until `key` may take again, or null if it may now; takes nothing. */
  blocked(key: string): { retryAfterS: number } | null {
    const b = this.buckets.get(key);
    if (!b) return null;
    const rate = this.perMinute / 60_000;
    const tokens = Math.min(this.burst, b.tokens + Math.max(0, this.clock.now() - b.at) * rate);
    return tokens >= 1 ? null : { retryAfterS: Math.max(1, Math.ceil((1 - tokens) / rate / 1000)) };
  }

  /** Full buckets carry no information; dropping them keeps memory bounded under many IPs. */
  private sweep(now: number): void {
    if (now - this.lastSweep < 60_000) return;
    this.lastSweep = now;
    const full = (this.burst / this.perMinute) * 60_000;
    for (const [k, b] of this.buckets) if (now - b.at > full) this.buckets.delete(k);
  }

  get size(): number {
    return this.buckets.size;
  }
}

/** Takes one request from `limiter` for `key`, or throws the contract's 429 with Retry-After. */
export function rateLimit(limiter: RateLimiter, key: string): void {
  const r = limiter.take(key);
  if (!r.ok) {
    throw new AppError(429, 'rate_limited', `Too many requests; retry in ${r.retryAfterS} s.`, {
      headers: { 'Retry-After': String(r.retryAfterS) },
    });
  }
}
