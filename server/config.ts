// Configuration: typed defaults, read from the environment once at start-up by the entry point and
// validated with zod. A bad value stops the start with one line naming the variable.
import { createECDH } from 'node:crypto';
import { z } from 'zod';
import { isValidTimeZone } from '../shared/hours.js';
import { TileCrsSchema, type TileCrs } from '../shared/schemas.js';
import { staleMsOf, type StaleMs } from '../shared/stale.js';
import { parseTrustProxy, type TrustProxy } from './http/proxy-trust.js';
import { parseRedisUrl, RedisUrlError } from './store/redis-url.js';
import { alertConfigFromEnv, defaultAlertConfig, type AlertConfig } from './alerts/config.js';

export interface Config {
  port: number;
  host: string;
  /** Unset: the embedded store. A `redis://`, `redis+cluster://` or `redis+sentinel://` URL. */
  redisUrl: string | null;
  /** Prefix of every Redis key, so several deployments can share one Redis. */
  redisPrefix: string;
  /** Null: the bundled Jiangmen registry. */
  sitesFile: string | null;
  /**
   * Where the embedded store keeps its state across restarts (enrolled tablets, report ids,
   * counts, history); null keeps it in memory only. Unused with Redis.
   */
  storeFile: string | null;
  /**
   * Days the hourly archive keeps each site's hours (server/archive/): weekday comparisons, the
   * typical week and exports of older days. At least 8, so "the same weekday last week" exists.
   */
  historyDays: number;
  /** Null: /api/admin/* answers 403 admin_disabled. */
  adminToken: string | null;
  /**
   * Key material for the sealed copies of staff tokens that let enrolment sheets print a site's
   * link again (auth/seal.ts); null: derived from adminToken, so changing that makes existing
   * links unprintable (the next sheet rotates them).
   */
  enrolSecret: string | null;
  /** keyId -> secrets (several per key during a rotation). */
  carrierKeys: Map<string, string[]>;
  /** Realtime coalescing window: at most one delta and one summary per frame. */
  frameMs: number;
  /**
   * Socket.IO heartbeat: the server pings every `socketPingMs` and drops a client that has not
   * answered `socketPingTimeoutMs` later; the client, seeing no ping for their sum, knows its link
   * is dead (docs/realtime.md). Defaults detect a dead link within ~5 s.
   */
  socketPingMs: number;
  socketPingTimeoutMs: number;
  /**
   * Socket.IO packets a client may send per minute on one connection, and from one IP over all
   * its connections (a carrier NAT holds many phones); bursts of a sixth. Past that packets are
   * dropped and a connection that keeps sending is cut (live/conn-guard.ts).
   */
  socketPacketsPerMin: number;
  socketIpPacketsPerMin: number;
  staffStaleMin: number;
  carrierStaleMin: number;
  levelMinutes: [number, number];
  serviceRate: number;
  /** Where opening hours are read; the bundled registry is in China. */
  timezone: string;
  /** Queue per counted person before a site's carrier feed has been calibrated against staff. */
  carrierRatio: number;
  /** Writes per minute allowed per staff token; ten times as many per client IP (shared NATs). */
  writeRatePerMin: number;
  /**
   * Failed sign-ins (unknown or revoked staff token, wrong admin token) allowed per client IP and
   * hour, after a burst of a third of it; past that the IP gets 429 on authenticated routes.
   */
  authFailuresPerHour: number;
  /** Express `trust proxy`: set when behind nginx so rate limits see real client IPs. */
  trustProxy: TrustProxy;
  /** Public origin for enrolment links (e.g. https://q.example.cn); default: from the request. */
  publicUrl: string | null;
  /** Who may frame /embed (CSP frame-ancestors sources); null: any. Other pages refuse framing. */
  embedOrigins: string[] | null;
  /** Map tiles; null draws sites on a plain background. */
  tileUrl: string | null;
  tileAttribution: string;
  /** The tiles' datum: GCJ-02 providers (AutoNavi/Gaode, Tencent) need sites moved before drawing. */
  tileCrs: TileCrs;
  /** Pages show a "demo data" badge. Set by `npm run demo`. */
  demo: boolean;
  logLevel: string;
  /** The city's name on the wall and in reports (Chinese first, and its English form). */
  cityName: string;
  cityNameEn: string;
  /** Alert rules, delivery and storage: see server/alerts/config.ts and docs/command-centre.md. */
  alerts: AlertConfig;
  /**
   * Web Push for "notify me" (VAPID_PUBLIC_KEY, VAPID_PRIVATE_KEY, VAPID_SUBJECT, all or none):
   * null leaves residents with notifications while their page is open only.
   */
  vapid: VapidConfig | null;
  /**
   * Hosts (and their subdomains) a push subscription's endpoint may name (PUSH_HOSTS): the
   * browsers' push services. Anything else would have the server send requests wherever a
   * stranger asks.
   */
  pushHosts: string[];
}

export interface VapidConfig {
  /** Uncompressed P-256 point, base64url: what browsers subscribe with (GET /api/meta). */
  publicKey: string;
  /** The matching private scalar, base64url; signs the VAPID token of every push. */
  privateKey: string;
  /** Who push services contact about this sender: a mailto: or https: URL. */
  subject: string;
}

export const defaultConfig: Config = {
  port: 3000,
  host: '0.0.0.0',
  redisUrl: null,
  redisPrefix: 'shortline:',
  sitesFile: null,
  storeFile: 'data/shortline-store.json',
  historyDays: 35,
  adminToken: null,
  enrolSecret: null,
  carrierKeys: new Map(),
  frameMs: 1000,
  socketPingMs: 3000,
  socketPingTimeoutMs: 2000,
  socketPacketsPerMin: 60,
  socketIpPacketsPerMin: 1200,
  staffStaleMin: 15,
  carrierStaleMin: 5,
  levelMinutes: [15, 30],
  serviceRate: 2,
  timezone: 'Asia/Shanghai',
  carrierRatio: 0.5,
  writeRatePerMin: 60,
  authFailuresPerHour: 60,
  trustProxy: false,
  publicUrl: null,
  embedOrigins: null,
  tileUrl: null,
  tileAttribution: '',
  tileCrs: 'wgs84',
  demo: false,
  logLevel: 'info',
  cityName: '江门市',
  cityNameEn: 'Jiangmen',
  alerts: defaultAlertConfig,
  vapid: null,
  // Chrome/Edge/Android (FCM), Firefox (Mozilla autopush), Edge on Windows (WNS), Safari (Apple).
  pushHosts: ['fcm.googleapis.com', 'push.services.mozilla.com', 'notify.windows.com', 'push.apple.com'],
};

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const num = (min: number, max: number) => z.coerce.number().min(min).max(max);
const nonEmpty = z.string().min(1);

const carrierKeys = z.string().transform((s, ctx) => {
  const map = new Map<string, string[]>();
  for (const part of s
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const i = part.indexOf(':');
    const id = part.slice(0, i);
    const secret = part.slice(i + 1);
    if (i <= 0 || !/^[A-Za-z0-9_.-]{1,64}$/.test(id) || secret.length < 16) {
      ctx.addIssue({
        code: 'custom',
        message: 'expected keyId:secret pairs, comma separated, secrets of 16+ characters',
      });
      return z.NEVER;
    }
    map.set(id, [...(map.get(id) ?? []), secret]);
  }
  return map;
});

const levelMinutes = z.string().transform((s, ctx) => {
  const m = /^\s*(\d+)\s*,\s*(\d+)\s*$/.exec(s);
  const lo = Number(m?.[1]);
  const hi = Number(m?.[2]);
  if (!m || lo <= 0 || hi <= lo) {
    ctx.addIssue({ code: 'custom', message: 'expected "low,high" minutes with 0 < low < high, e.g. 15,30' });
    return z.NEVER;
  }
  return [lo, hi] as [number, number];
});

// One Redis, a Cluster or Sentinels; the accepted forms are documented in store/redis-url.ts.
const redisUrl = z.string().superRefine((s, ctx) => {
  try {
    parseRedisUrl(s);
  } catch (err) {
    if (!(err instanceof RedisUrlError)) throw err;
    ctx.addIssue({ code: 'custom', message: err.message });
  }
});

// Express's `trust proxy` forms (http/proxy-trust.ts): a hop count, true/false, names, addresses, CIDRs.
const trustProxy = z.string().transform((s, ctx) => {
  try {
    return parseTrustProxy(s);
  } catch (err) {
    ctx.addIssue({
      code: 'custom',
      message: `expected a hop count, true, false, loopback, linklocal, uniquelocal, or addresses/CIDR ranges separated by commas (${err instanceof Error ? err.message : String(err)})`,
    });
    return z.NEVER;
  }
});

// BD-09 gets its own refusal: it is a real datum, but Baidu's tiles also use their own projection
// and grid, so no datum shift alone would put sites on their streets.
const tileCrs = z
  .string()
  .transform((v) => v.toLowerCase())
  .refine(
    (v) => v !== 'bd09',
    'bd09 (Baidu) tiles use their own projection, which the map cannot draw; use gcj02 or wgs84 tiles',
  )
  .pipe(z.enum(TileCrsSchema.options, 'expected wgs84 or gcj02'));

/** A base64url key of `bytes` bytes, as `npx web-push generate-vapid-keys` prints them. */
const vapidKey = (bytes: number) =>
  z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_-]+$/, 'expected base64url (npx web-push generate-vapid-keys)')
    .refine((v) => Buffer.from(v, 'base64url').length === bytes, `expected ${bytes} bytes, base64url`);

const bool = z.enum(['1', '0', 'true', 'false']).transform((v) => v === '1' || v === 'true');

/** Each variable: its schema and the Config field it sets. */
const ENV = {
  PORT: [int(0, 65535), 'port'],
  HOST: [nonEmpty, 'host'],
  REDIS_URL: [redisUrl, 'redisUrl'],
  REDIS_PREFIX: [z.string().regex(/^[A-Za-z0-9:_-]{1,64}$/), 'redisPrefix'],
  SITES_FILE: [z.string().regex(/\.(json|csv)$/i, 'expected a .json or .csv file'), 'sitesFile'],
  STORE_FILE: [z.string().transform((v) => (v === 'off' ? null : v)), 'storeFile'],
  HISTORY_DAYS: [int(8, 400), 'historyDays'],
  ADMIN_TOKEN: [z.string().min(16, 'at least 16 characters'), 'adminToken'],
  ENROL_SECRET: [z.string().min(32, 'at least 32 characters'), 'enrolSecret'],
  CARRIER_KEYS: [carrierKeys, 'carrierKeys'],
  FRAME_MS: [int(10, 60_000), 'frameMs'],
  SOCKET_PING_MS: [int(500, 300_000), 'socketPingMs'],
  SOCKET_PING_TIMEOUT_MS: [int(500, 300_000), 'socketPingTimeoutMs'],
  SOCKET_PACKETS_PER_MIN: [int(6, 1_000_000_000), 'socketPacketsPerMin'],
  SOCKET_IP_PACKETS_PER_MIN: [int(6, 1_000_000_000), 'socketIpPacketsPerMin'],
  STAFF_STALE_MIN: [num(0.1, 1440), 'staffStaleMin'],
  CARRIER_STALE_MIN: [num(0.1, 1440), 'carrierStaleMin'],
  LEVEL_MINUTES: [levelMinutes, 'levelMinutes'],
  SERVICE_RATE: [num(0.01, 100), 'serviceRate'],
  TIMEZONE: [z.string().refine(isValidTimeZone, 'unknown IANA time zone'), 'timezone'],
  CARRIER_RATIO: [num(0.01, 3), 'carrierRatio'],
  WRITE_RATE_PER_MIN: [int(1, 1_000_000), 'writeRatePerMin'],
  AUTH_FAILURES_PER_HOUR: [int(1, 1_000_000_000), 'authFailuresPerHour'],
  TRUST_PROXY: [trustProxy, 'trustProxy'],
  PUBLIC_URL: [z.url().transform((u) => u.replace(/\/$/, '')), 'publicUrl'],
  EMBED_ORIGINS: [
    z
      .string()
      .transform((v) => v.split(/[\s,]+/).filter(Boolean))
      .pipe(z.array(z.url().transform((u) => u.replace(/\/$/, ''))).min(1)),
    'embedOrigins',
  ],
  TILE_URL: [z.string().regex(/^(https?:)?\/\/.+\{z\}.*/, 'expected a tile URL template with {z}/{x}/{y}'), 'tileUrl'],
  TILE_ATTRIBUTION: [z.string().max(500), 'tileAttribution'],
  TILE_CRS: [tileCrs, 'tileCrs'],
  PUSH_HOSTS: [
    z
      .string()
      .transform((v) =>
        v
          .split(',')
          .map((h) => h.trim().toLowerCase())
          .filter(Boolean),
      )
      .pipe(z.array(z.string().regex(/^[a-z0-9.-]+$/, 'host names, comma-separated')).min(1)),
    'pushHosts',
  ],
  DEMO: [bool, 'demo'],
  LOG_LEVEL: [z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']), 'logLevel'],
  CITY_NAME: [z.string().trim().min(1).max(40), 'cityName'],
  CITY_NAME_EN: [z.string().trim().min(1).max(60), 'cityNameEn'],
} as const satisfies Record<string, readonly [z.ZodType, keyof Config]>;

/** Never echoed back in an error message: they end up in logs. */
const SECRET = new Set([
  'ADMIN_TOKEN',
  'ENROL_SECRET',
  'CARRIER_KEYS',
  'REDIS_URL',
  'ALERT_WEBHOOKS',
  'VAPID_PRIVATE_KEY',
]);

/** The three VAPID_* variables: schema of each; they only make sense together. */
const VAPID = {
  VAPID_PUBLIC_KEY: vapidKey(65).refine(
    (v) => Buffer.from(v, 'base64url')[0] === 4,
    'expected an uncompressed P-256 point',
  ),
  VAPID_PRIVATE_KEY: vapidKey(32),
  VAPID_SUBJECT: z
    .string()
    .regex(/^(mailto:\S+@\S+|https:\/\/\S+)$/, 'expected mailto:you@example.cn or an https: URL'),
} as const;

/** Reads VAPID_*: all three or none; a private key must be the public key's. */
function vapidFromEnv(env: NodeJS.ProcessEnv, problems: string[]): VapidConfig | null {
  const set = (Object.keys(VAPID) as Array<keyof typeof VAPID>).filter((k) => env[k]);
  if (set.length === 0) return null;
  if (set.length < 3) {
    const missing = Object.keys(VAPID).filter((k) => !env[k]);
    problems.push(`${missing.join(', ')}: Web Push needs all three VAPID_* variables (set: ${set.join(', ')})`);
    return null;
  }
  const got: Record<string, string> = {};
  for (const [name, schema] of Object.entries(VAPID)) {
    const parsed = schema.safeParse(env[name]);
    if (parsed.success) got[name] = parsed.data;
    else
      problems.push(
        `${name}: ${parsed.error.issues.map((i) => i.message).join('; ')}${SECRET.has(name) ? '' : ` (got ${JSON.stringify(env[name]!.slice(0, 40))})`}`,
      );
  }
  if (Object.keys(got).length < 3) return null;
  const pair = { publicKey: got.VAPID_PUBLIC_KEY!, privateKey: got.VAPID_PRIVATE_KEY!, subject: got.VAPID_SUBJECT! };
  const ecdh = createECDH('prime256v1');
  try {
    ecdh.setPrivateKey(Buffer.from(pair.privateKey, 'base64url'));
  } catch {
    problems.push('VAPID_PRIVATE_KEY: not a P-256 private key');
    return null;
  }
  if (!ecdh.getPublicKey().equals(Buffer.from(pair.publicKey, 'base64url'))) {
    problems.push('VAPID_PRIVATE_KEY: does not belong to VAPID_PUBLIC_KEY');
    return null;
  }
  return pair;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Reads Config from an environment; throws ConfigError with one line per bad variable. */
export function configFromEnv(env: NodeJS.ProcessEnv): Config {
  const cfg: Config = { ...defaultConfig, carrierKeys: new Map(), levelMinutes: [...defaultConfig.levelMinutes] };
  const problems: string[] = [];
  for (const [name, [schema, field]] of Object.entries(ENV)) {
    const raw = env[name];
    if (raw === undefined || raw === '') continue;
    const parsed = schema.safeParse(raw);
    if (!parsed.success) {
      const shown = SECRET.has(name) ? '' : ` (got ${JSON.stringify(raw.length > 40 ? raw.slice(0, 40) + '…' : raw)})`;
      problems.push(`${name}: ${parsed.error.issues.map((i) => i.message).join('; ')}${shown}`);
      continue;
    }
    (cfg as unknown as Record<string, unknown>)[field] = parsed.data;
  }
  cfg.alerts = alertConfigFromEnv(env, problems);
  cfg.vapid = vapidFromEnv(env, problems);
  if (problems.length) throw new ConfigError(problems.join('\n'));
  return cfg;
}

export const staleMs = (cfg: Pick<Config, 'staffStaleMin' | 'carrierStaleMin'>): StaleMs =>
  staleMsOf(cfg.staffStaleMin, cfg.carrierStaleMin);
