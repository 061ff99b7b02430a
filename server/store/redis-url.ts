// REDIS_URL names one of three Redis deployments. The standard `redis://` URL cannot list several
// hosts, so Cluster and Sentinel get their own schemes (the forms Lettuce and redis-py users know):
//
//   redis://[[user]:password@]host[:port][/db]      one Redis (ioredis parses it), rediss:// for TLS
//   redis+cluster://[[user]:password@]host:port[,host:port...][/]
//       Redis Cluster; the hosts are seeds, the rest of the cluster is discovered.
//   redis+sentinel://[[user]:password@]host:port[,host:port...]/<masterName>[?db=N&sentinelPassword=S&ackReplicas=N]
//       Sentinel; the hosts are the sentinels, the password is the master's.
//       ackReplicas: replicas that must hold a write before it is acknowledged (default 1; 0 trades
//       the "no acknowledged write lost in a failover" guarantee for writing with no replica up).
//   rediss+cluster://, rediss+sentinel://: the same over TLS (to the sentinels too).
//
// Ports default to 6379 (cluster) and 26379 (sentinels). Credentials are percent-encoded.
// This file only parses: it must stay importable by config.ts without loading a Redis client.

export interface HostPort {
  host: string;
  port: number;
}

export type RedisTarget =
  | { kind: 'standalone'; url: string }
  | { kind: 'cluster'; nodes: HostPort[]; username?: string; password?: string; tls: boolean }
  | {
      kind: 'sentinel';
      sentinels: HostPort[];
      masterName: string;
      username?: string;
      password?: string;
      sentinelPassword?: string;
      db: number;
      tls: boolean;
      ackReplicas: number;
    };

export class RedisUrlError extends Error {
  override name = 'RedisUrlError';
}

const MULTI = /^(rediss?)\+(cluster|sentinel):\/\/(?:([^@/]*)@)?([^/?#]+)(\/[^?#]*)?(?:\?([^#]*))?$/;
const DEFAULT_PORT = { cluster: 6379, sentinel: 26379 } as const;
/** Sentinel setups run a master and at least one replica; waiting for one is the safe default. */
const DEFAULT_ACK_REPLICAS = 1;

/** Throws RedisUrlError with a message fit for a start-up error line (never echoing a password). */
export function parseRedisUrl(url: string): RedisTarget {
  if (/^rediss?:\/\//.test(url)) return { kind: 'standalone', url };
  const m = MULTI.exec(url);
  if (!m)
    throw new RedisUrlError(
      'expected redis://, rediss://, redis+cluster://host:port,... or redis+sentinel://host:port,.../masterName',
    );
  const [, scheme, kindText, auth, hostList = '', path, query] = m;
  const kind = kindText as 'cluster' | 'sentinel';
  const hosts = hostList.split(',').map((h) => parseHostPort(h, DEFAULT_PORT[kind]));
  const creds = parseAuth(auth);
  const params = new URLSearchParams(query ?? '');
  const tls = scheme === 'rediss';
  const name = decodeURIComponent((path ?? '').replace(/^\//, '').replace(/\/$/, ''));

  if (kind === 'cluster') {
    if (name) throw new RedisUrlError('redis+cluster:// takes no path: a cluster has no database numbers');
    rejectUnknown(params, []);
    return { kind, nodes: hosts, tls, ...creds };
  }
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(name))
    throw new RedisUrlError('redis+sentinel:// needs the master name as its path, e.g. /mymaster');
  rejectUnknown(params, ['db', 'sentinelPassword', 'ackReplicas']);
  const sentinelPassword = params.get('sentinelPassword') ?? undefined;
  return {
    kind,
    sentinels: hosts,
    masterName: name,
    tls,
    ...creds,
    ...(sentinelPassword ? { sentinelPassword } : {}),
    db: intParam(params, 'db', 0, 0, 15),
    ackReplicas: intParam(params, 'ackReplicas', DEFAULT_ACK_REPLICAS, 0, 10),
  };
}

/** The URL without its passwords, for messages and logs. */
export function redactRedisUrl(url: string): string {
  return url
    .replace(/^([a-z+]+:\/\/)([^@/]*):([^@/]*)@/i, (_, s: string, user: string) => `${s}${user}:***@`)
    .replace(/([?&]sentinelPassword=)[^&#]*/, '$1***');
}

function parseHostPort(text: string, defaultPort: number): HostPort {
  const m = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9._-]+)(?::(\d{1,5}))?$/.exec(text.trim());
  const port = m?.[2] ? Number(m[2]) : defaultPort;
  if (!m || port < 1 || port > 65535) throw new RedisUrlError(`bad host:port "${text}"`);
  return { host: m[1]!.replace(/^\[|\]$/g, ''), port };
}

function parseAuth(auth: string | undefined): { username?: string; password?: string } {
  if (!auth) return {};
  const i = auth.indexOf(':');
  const username = decodeURIComponent(i < 0 ? auth : auth.slice(0, i));
  const password = i < 0 ? '' : decodeURIComponent(auth.slice(i + 1));
  return { ...(username ? { username } : {}), ...(password ? { password } : {}) };
}

function rejectUnknown(params: URLSearchParams, known: string[]): void {
  for (const key of params.keys()) {
    if (!known.includes(key))
      throw new RedisUrlError(`unknown parameter "${key}"${known.length ? ` (known: ${known.join(', ')})` : ''}`);
  }
}

function intParam(params: URLSearchParams, key: string, fallback: number, min: number, max: number): number {
  const raw = params.get(key);
  if (raw === null) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new RedisUrlError(`${key} must be an integer ${min}-${max}`);
  return n;
}
