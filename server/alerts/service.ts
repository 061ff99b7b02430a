// The alert loop: every evalMs, gather each site's facts, evaluate the rules, open what fires and
// resolve what no longer holds, in the shared alert store; deliver each event this instance caused
// to the webhooks; keep the Prometheus gauges current. Acknowledging goes through here too.
import { Gauge, type Registry } from 'prom-client';
import { AlertRuleSchema, type Alert } from '../../shared/alerts.js';
import type { LiveState } from '../../shared/schemas.js';
import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import type { AlertConfig } from './config.js';
import { conditionKey, Conditions, type SiteFacts } from './rules.js';
import { toAlert, type AlertRecord, type AlertStore } from './store.js';
import { WebhookSender, type AlertState } from './webhooks.js';

export interface AlertServiceDeps {
  config: AlertConfig;
  store: AlertStore;
  clock: Clock;
  logger: Logger;
  registry: Registry;
  /** Each site's facts now (live state, queue 15 min ago, last sighting, source ratio). */
  facts: (nowMs: number) => Promise<Iterable<SiteFacts>>;
}

export class AlertService {
  private readonly conditions: Conditions;
  private readonly webhooks: WebhookSender;
  private readonly logger: Logger;
  private timer: ReturnType<typeof setInterval> | null = null;
  private running: Promise<void> | null = null;
  /** The newest list, for the gauges (a scrape must not wait on the store). */
  private last: AlertRecord[] = [];

  constructor(private readonly d: AlertServiceDeps) {
    this.logger = d.logger.child({ module: 'alerts' });
    this.conditions = new Conditions(d.config);
    this.webhooks = new WebhookSender({
      webhooks: d.config.webhooks,
      retryMs: d.config.webhookRetryMs,
      attempts: d.config.webhookAttempts,
      logger: this.logger,
      nowSec: () => Math.floor(d.clock.now() / 1000),
    });
    // prom-client calls collect() with the gauge as `this`; the service is reached through `self`.
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const self = this;
    const gauge = (name: string, help: string, pick: (r: AlertRecord) => boolean) =>
      new Gauge({
        name,
        help,
        labelNames: ['rule'] as const,
        registers: [d.registry],
        collect() {
          this.reset();
          for (const rule of AlertRuleSchema.options)
            this.set({ rule }, self.last.filter((r) => r.rule === rule && pick(r)).length);
        },
      });
    gauge(
      'shortline_alerts_open',
      'Alerts open now, by rule (the same on every instance: they share one store).',
      (r) => r.resolvedAtMs === null,
    );
    gauge(
      'shortline_alerts_unacknowledged',
      'Open alerts nobody has acknowledged yet, by rule.',
      (r) => r.resolvedAtMs === null && r.ackAtMs === null,
    );
  }

  start(): void {
    this.timer ??= setInterval(() => void this.tick(), this.d.config.evalMs);
    this.timer.unref();
    void this.tick();
  }

  /** One evaluation; concurrent calls share the one in flight. */
  tick(): Promise<void> {
    this.running ??= this.evaluate()
      .catch((err: unknown) => {
        this.logger.warn({ err }, 'alert evaluation failed; next round retries');
      })
      .finally(() => {
        this.running = null;
      });
    return this.running;
  }

  private async evaluate(): Promise<void> {
    const now = this.d.clock.now();
    const { firing, holding } = this.conditions.evaluate(await this.d.facts(now), now);
    const current = await this.d.store.list(now);
    const active = new Set(current.filter((r) => r.resolvedAtMs === null).map((r) => conditionKey(r.rule, r.siteId)));
    for (const [key, c] of firing) {
      if (active.has(key)) continue;
      const rec = await this.d.store.open(c, now);
      if (rec) this.emit('opened', rec);
    }
    for (const key of active) {
      if (holding.has(key)) continue;
      const rec = await this.d.store.resolve(key, now);
      if (rec) this.emit('resolved', rec);
    }
    this.last = await this.d.store.list(now);
  }

  async list(): Promise<Alert[]> {
    this.last = await this.d.store.list(this.d.clock.now());
    return this.last.map(toAlert);
  }

  /** Null: unknown alert. */
  async acknowledge(id: string, by: string): Promise<Alert | null> {
    const out = await this.d.store.acknowledge(id, by, this.d.clock.now());
    if (!out) return null;
    if (out.changed) this.emit('acknowledged', out.record);
    return toAlert(out.record);
  }

  private emit(state: AlertState, rec: AlertRecord): void {
    this.logger.info({ id: rec.id, state, rule: rec.rule, siteId: rec.siteId }, `alert ${state}`);
    this.webhooks.send({ id: `${rec.id}:${state}`, state, alert: toAlert(rec) });
  }

  /** Deliveries still in flight or waiting to retry (for tests and shutdown). */
  get deliveriesPending(): number {
    return this.webhooks.pending;
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
    // The store belongs to whoever made it (as the app's Store does).
    this.webhooks.close();
  }
}

/** The facts of one site from what the live engine knows (see routes/trends.ts for the sources). */
export const siteFacts = (
  live: LiveState,
  queueBefore: number | null,
  lastSeenMs: number | null,
  ratio: number | null | undefined,
): SiteFacts => ({ live, queueBefore, lastSeenMs, disagreeRatio: ratio });
