// Redis for tests: the machine's Redis, or a clear skip notice when it is absent and not required.
// CI sets REQUIRE_REDIS=1 so Redis suites can never be skipped silently.
import { Redis } from 'ioredis';
import { randomBytes } from 'node:crypto';

export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

let reachable: Promise<boolean> | undefined;

async function probe(): Promise<boolean> {
  const client = new Redis(TEST_REDIS_URL, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: 1500,
  });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.ping();
    return true;
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

/** True when Redis answers. Throws when REQUIRE_REDIS=1 and it does not; prints a notice otherwise. */
export async function redisForTests(): Promise<boolean> {
  reachable ??= probe();
  const ok = await reachable;
  if (!ok && process.env.REQUIRE_REDIS === '1') {
    throw new Error(`REQUIRE_REDIS=1 but Redis does not answer at ${TEST_REDIS_URL}`);
  }
  if (!ok)
    console.warn(
      `[notice] Redis not reachable at ${TEST_REDIS_URL}: skipping Redis suites (set REQUIRE_REDIS=1 to fail instead)`,
    );
  return ok;
}

/** A key prefix no other test run uses, so parallel suites never see each other's keys. */
export const uniquePrefix = (name: string) => `sltest:${name}:${randomBytes(4).toString('hex')}:`;

/** Deletes every key under a prefix (SCAN, never KEYS). */
export async function deletePrefix(url: string, prefix: string): Promise<void> {
  const client = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) await client.del(...keys);
    } while (cursor !== '0');
  } finally {
    client.disconnect();
  }
}
