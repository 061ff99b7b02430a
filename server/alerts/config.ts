// Alert rules and delivery, from the environment (ALERT_*), validated with zod like the rest of
// server/config.ts; documented in docs/command-centre.md.
import { z } from 'zod';

export interface Webhook {
  url: string;
  secret: string;
}

export interface AlertConfig {
  /** Rule "wait": a site's wait over `waitMinutes` ... */
  waitMinutes: number;
  /** ... continuously for this many minutes (one high reading is not an alert). */
  waitForMinutes: number;
  /** Rule "rise": the queue grew by at least this many people in the last 15 minutes. */
  risePeople: number;
  /** Rule "stale": an open site that had data has had none for this many minutes. */
  staleMinutes: number;
  /** Rule "disagree": staff and calibrated carrier queues differ by at least this factor. */
  disagreeFactor: number;
  /** How often the rules are evaluated. */
  evalMs: number;
  /** Operators' receivers; each gets every open/acknowledge/resolve event, signed with its secret. */
  webhooks: Webhook[];
  /** First retry delay of a failed delivery; doubles each time up to `webhookAttempts` tries. */
  webhookRetryMs: number;
  webhookAttempts: number;
  /** The embedded alert store's file (alerts survive restarts); null keeps them in memory. */
  file: string | null;
}

export const defaultAlertConfig: AlertConfig = {
  waitMinutes: 45,
  waitForMinutes: 10,
  risePeople: 50,
  staleMinutes: 20,
  disagreeFactor: 3,
  evalMs: 15_000,
  webhooks: [],
  webhookRetryMs: 2_000,
  webhookAttempts: 8,
  file: 'data/shortline-alerts.json',
};

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const num = (min: number, max: number) => z.coerce.number().min(min).max(max);

const webhooks = z.string().transform((s, ctx) => {
  const out: Webhook[] = [];
  for (const part of s
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const i = part.lastIndexOf('|');
    const url = part.slice(0, i);
    const secret = part.slice(i + 1);
    if (i <= 0 || !z.url().safeParse(url).success || !/^https?:/.test(url) || secret.length < 16) {
      ctx.addIssue({
        code: 'custom',
        message: 'expected url|secret pairs, comma separated, http(s) URLs, secrets of 16+ characters',
      });
      return z.NEVER;
    }
    out.push({ url, secret });
  }
  return out;
});

const ENV = {
  ALERT_WAIT_MIN: [int(1, 1440), 'waitMinutes'],
  ALERT_WAIT_FOR_MIN: [num(0, 1440), 'waitForMinutes'],
  ALERT_RISE_PEOPLE: [int(1, 100_000), 'risePeople'],
  ALERT_STALE_MIN: [num(1, 1440), 'staleMinutes'],
  ALERT_DISAGREE_FACTOR: [num(1.1, 100), 'disagreeFactor'],
  ALERT_EVAL_MS: [int(100, 600_000), 'evalMs'],
  ALERT_WEBHOOKS: [webhooks, 'webhooks'],
  ALERT_WEBHOOK_RETRY_MS: [int(1, 600_000), 'webhookRetryMs'],
  ALERT_WEBHOOK_ATTEMPTS: [int(1, 50), 'webhookAttempts'],
  ALERTS_FILE: [
    z
      .string()
      .min(1)
      .transform((v) => (v === 'off' ? null : v)),
    'file',
  ],
} as const satisfies Record<string, readonly [z.ZodType, keyof AlertConfig]>;

/** Reads the ALERT_* variables; bad ones are added to `problems` (one line each, secrets not echoed). */
export function alertConfigFromEnv(env: NodeJS.ProcessEnv, problems: string[]): AlertConfig {
  const cfg: AlertConfig = { ...defaultAlertConfig, webhooks: [] };
  for (const [name, [schema, field]] of Object.entries(ENV)) {
    const raw = env[name];
    if (raw === undefined || raw === '') continue;
    const parsed = schema.safeParse(raw);
    if (!parsed.success) {
      const shown = name === 'ALERT_WEBHOOKS' ? '' : ` (got ${JSON.stringify(raw.slice(0, 40))})`;
      problems.push(`${name}: ${parsed.error.issues.map((i) => i.message).join('; ')}${shown}`);
      continue;
    }
    (cfg as unknown as Record<string, unknown>)[field] = parsed.data;
  }
  return cfg;
}
