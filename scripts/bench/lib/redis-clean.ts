// Every benchmark writes under its own Redis key prefix and removes it afterwards: the Redis on
// this machine is shared with other people's tests.
import { Redis } from 'ioredis';

export const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';

export const benchPrefix = (what: string) => `bench:${what}:${process.pid}:${Date.now().toString(36)}:`;

/** Deletes every key under the prefix (SCAN, never KEYS); returns how many. */
export async function dropPrefix(prefix: string, url = REDIS_URL): Promise<number> {
  if (!prefix.startsWith('bench:')) throw new Error(`refusing to delete keys outside bench:* (${prefix})`);
  const r = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await r.connect();
  let n = 0;
  try {
    let cursor = '0';
    do {
      const [next, keys] = await r.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 2000);
      cursor = next;
      if (keys.length) n += await r.unlink(...keys);
    } while (cursor !== '0');
  } finally {
    r.disconnect();
  }
  return n;
}
