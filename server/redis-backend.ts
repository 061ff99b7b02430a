// Everything an instance keeps in Redis when REDIS_URL is set: the store, intents and watches on a
// connection of their own, alerts and the hourly archive on a third. A module of its own so that
// server/index.ts imports it (and ioredis, ~8 MB of memory) only when Redis is configured: an
// instance on the embedded store never loads it.
import type { AlertStore } from './alerts/store.js';
import { createRedisAlertStore } from './alerts/store-redis.js';
import { createRedisArchive } from './archive/redis.js';
import type { HourArchive } from './archive/types.js';
import type { Config } from './config.js';
import { createRedisIntents } from './intents/redis.js';
import type { IntentCounter } from './intents/types.js';
import type { Logger } from './logger.js';
import { openConnections, readyWithin } from './store/redis-connect.js';
import { parseRedisUrl } from './store/redis-url.js';
import { createRedisStore } from './store/redis.js';
import type { Store } from './store/types.js';
import { createRedisWatches } from './watches/redis.js';
import type { WatchStore } from './watches/types.js';

export interface RedisBackend {
  store: Store;
  intents: IntentCounter;
  watches: WatchStore;
  alertStore: AlertStore;
  archive: HourArchive;
  /** Closes the store and both side connections. */
  close(): Promise<void>;
}

/** Throws with a message naming what failed (the caller prints it and exits). */
export async function openRedisBackend(
  config: Config & { redisUrl: string },
  logger: Logger,
  now: () => number,
): Promise<RedisBackend> {
  const url = parseRedisUrl(config.redisUrl);
  let store: Store;
  let side: ReturnType<typeof openConnections>['client'];
  try {
    store = await createRedisStore({ url: config.redisUrl, prefix: config.redisPrefix, logger });
    // Intents (people on their way) are shared by every instance on this Redis; own connection.
    side = openConnections(url, { commandTimeoutMs: 2000, connectTimeoutMs: 5000 }).client;
    await side.connect();
  } catch (err) {
    throw new Error(`REDIS_URL: cannot connect (${err instanceof Error ? err.message : String(err)})`, { cause: err });
  }
  // Alerts, and the hourly archive on the same connection (a few commands an hour, reads on request).
  const { client, sub } = openConnections(url, { commandTimeoutMs: 5_000, connectTimeoutMs: 5_000 });
  sub.disconnect();
  client.on('error', (err: Error) => logger.warn({ err: err.message }, 'alert store: redis error'));
  try {
    await readyWithin(client, 10_000);
  } catch (err) {
    throw new Error(`alerts: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  return {
    store,
    intents: createRedisIntents(side, config.redisPrefix),
    // "Notify me" watches: a few small commands per watch and per frame with open sites; same connection.
    watches: createRedisWatches(side, config.redisPrefix),
    alertStore: createRedisAlertStore(client, config.redisPrefix),
    archive: createRedisArchive(client, config.redisPrefix, now),
    close: async () => {
      await client.quit().catch(() => {});
      await store.close();
      side.disconnect();
    },
  };
}
