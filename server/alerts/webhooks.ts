// Delivery to operators' systems: every alert event is POSTed as JSON to each ALERT_WEBHOOKS
// receiver, signed like the carrier feed (HMAC-SHA256 over `<timestamp>.<raw body>`), retried with
// exponential backoff on failure. Each event has an idempotency id (`<alertId>:<state>`), the same
// on every retry, so a receiver that got it twice can drop the second copy.
import { createHmac } from 'node:crypto';
import type { Alert } from '../../shared/alerts.js';
import type { Logger } from '../logger.js';
import type { Webhook } from './config.js';

export type AlertState = 'opened' | 'acknowledged' | 'resolved';

export interface AlertEvent {
  /** Idempotency id: the same on every attempt and every receiver. */
  id: string;
  state: AlertState;
  alert: Alert;
}

export const SIGNATURE_HEADER = 'x-shortline-signature';
export const TIMESTAMP_HEADER = 'x-shortline-timestamp';
export const EVENT_ID_HEADER = 'x-shortline-event-id';

/** `sha256=<hex>` over `<timestamp>.<body>`, as the carrier feed's X-Feed-Signature. */
export function signature(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export interface WebhookOptions {
  webhooks: readonly Webhook[];
  retryMs: number;
  attempts: number;
  logger: Logger;
  /** Seconds since the epoch for the timestamp header (the app's clock). */
  nowSec: () => number;
  /** Per attempt. */
  timeoutMs?: number;
}

export class WebhookSender {
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();
  private closed = false;
  /** Deliveries not finished yet (tests and shutdown wait on it). */
  pending = 0;

  constructor(private readonly o: WebhookOptions) {}

  send(event: AlertEvent): void {
    const body = JSON.stringify(event);
    for (const hook of this.o.webhooks) this.attempt(hook, event.id, body, 1);
  }

  private attempt(hook: Webhook, id: string, body: string, n: number): void {
    if (this.closed) return;
    this.pending += 1;
    const ts = this.o.nowSec();
    fetch(hook.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        [EVENT_ID_HEADER]: id,
        [TIMESTAMP_HEADER]: String(ts),
        [SIGNATURE_HEADER]: signature(hook.secret, ts, body),
      },
      body,
      signal: AbortSignal.timeout(this.o.timeoutMs ?? 10_000),
    })
      .then(
        (res) => {
          // 2xx is delivered; 4xx other than 408/429 means the receiver refuses it: retrying will not help.
          if (res.ok) return 'done';
          return res.status >= 500 || res.status === 408 || res.status === 429 ? `HTTP ${res.status}` : 'refused';
        },
        (err: unknown) => String(err),
      )
      .then((outcome) => {
        this.pending -= 1;
        if (outcome === 'done') return;
        if (outcome === 'refused' || n >= this.o.attempts) {
          this.o.logger.warn({ url: hook.url, id, attempts: n, outcome }, 'alert webhook not delivered');
          return;
        }
        const timer = setTimeout(
          () => {
            this.timers.delete(timer);
            this.attempt(hook, id, body, n + 1);
          },
          this.o.retryMs * 2 ** (n - 1),
        );
        timer.unref();
        this.timers.add(timer);
      });
  }

  close(): void {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }
}
