// The entry point: the only place that reads the environment, loads files and connects to Redis.
import { systemClock } from './clock.js';
import { ConfigError, configFromEnv } from './config.js';
import { createApp } from './app.js';
import { createLogger } from './logger.js';
import { DEFAULT_SITES_FILE, loadRegistry, RegistryError } from './registry/load.js';
import { openEmbeddedDb, embeddedDbPath, type EmbeddedDb } from './store/embedded-db.js';
import { createMemoryStore } from './store/memory.js';
import { createRedisStore } from './store/redis.js';
import type { Store } from './store/types.js';
import { createRedisIntents } from './intents/redis.js';
import type { IntentCounter } from './intents/types.js';
import { createRedisWatches } from './watches/redis.js';
import type { WatchStore } from './watches/types.js';
import { createFileAlertStore, type AlertStore } from './alerts/store.js';
import { createRedisAlertStore } from './alerts/store-redis.js';
import { openConnections, readyWithin } from './store/redis-connect.js';
import { parseRedisUrl } from './store/redis-url.js';
import { createLmdbArchive } from './archive/lmdb.js';
import { createMemoryArchive } from './archive/memory.js';
import { createRedisArchive } from './archive/redis.js';
import type { HourArchive } from './archive/types.js';

async function main(): Promise<void> {
  let config;
  try {
    config = configFromEnv(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`shortline: bad configuration:\n${err.message}`);
      process.exit(2);
    }
    throw err;
  }
  const logger = createLogger({ level: config.logLevel });
  let sites;
  try {
    sites = loadRegistry(config.sitesFile ?? DEFAULT_SITES_FILE);
  } catch (err) {
    if (err instanceof RegistryError) {
      console.error(`shortline: SITES_FILE: ${err.message}`);
      process.exit(2);
    }
    throw err;
  }
  let store: Store;
  let intentsClient: ReturnType<typeof openConnections>['client'] | null = null;
  let intents: IntentCounter | undefined;
  let watches: WatchStore | undefined;
  let embedded: EmbeddedDb | null = null;
  try {
    if (config.redisUrl) {
      store = await createRedisStore({ url: config.redisUrl, prefix: config.redisPrefix, logger });
      // Intents (people on their way) are shared by every instance on this Redis; own connection.
      intentsClient = openConnections(parseRedisUrl(config.redisUrl), {
        commandTimeoutMs: 2000,
        connectTimeoutMs: 5000,
      }).client;
      await intentsClient.connect();
      intents = createRedisIntents(intentsClient, config.redisPrefix);
      // "Notify me" watches: a few small commands per watch and per frame with open sites; same connection.
      watches = createRedisWatches(intentsClient, config.redisPrefix);
    } else {
      // STORE_FILE names the store on disk: an LMDB database beside it (a JSON file of an
      // earlier version there is imported once); STORE_FILE=off keeps everything in memory.
      const file = config.storeFile;
      if (file) {
        embedded = await openEmbeddedDb({ path: embeddedDbPath(file), legacyJsonFile: file, logger });
        store = embedded.store;
      } else {
        store = createMemoryStore({ logger });
      }
    }
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    // With REDIS_URL the store is Redis and nothing else; without it, every failure is the store
    // file's (its LMDB database lives beside it), never a connection.
    console.error(config.redisUrl ? `shortline: REDIS_URL: cannot connect (${why})` : `shortline: STORE_FILE: ${why}`);
    process.exit(2);
  }
  // Alerts: shared through Redis when there is one, else a small file of their own (ALERTS_FILE).
  let alertStore: AlertStore;
  let alertRedis: { quit(): Promise<unknown> } | null = null;
  let archive: HourArchive = embedded
    ? createLmdbArchive(embedded.root, systemClock.now)
    : createMemoryArchive(systemClock.now);
  try {
    if (config.redisUrl) {
      const { client, sub } = openConnections(parseRedisUrl(config.redisUrl), {
        commandTimeoutMs: 5_000,
        connectTimeoutMs: 5_000,
      });
      sub.disconnect();
      client.on('error', (err: Error) => logger.warn({ err: err.message }, 'alert store: redis error'));
      await readyWithin(client, 10_000);
      alertStore = createRedisAlertStore(client, config.redisPrefix);
      alertRedis = client;
      // The hourly archive shares this connection: a few commands an hour, and reads on request.
      archive = createRedisArchive(client, config.redisPrefix, systemClock.now);
    } else {
      alertStore = createFileAlertStore(config.alerts.file);
    }
  } catch (err) {
    console.error(`shortline: alerts: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(2);
  }
  const app = await createApp({
    config,
    store,
    clock: systemClock,
    logger,
    sites,
    defaultMetrics: true,
    alertStore,
    intents,
    watches,
    archive,
  });
  const addr = await app.listen(config.port, config.host);
  // Rolls up finished hours, first those missing since the last run (catch-up).
  app.archiver.start();
  logger.info(
    { port: addr.port, host: addr.address, store: store.kind, sites: sites.length },
    `shortline listening on http://${addr.address === '0.0.0.0' ? 'localhost' : addr.address}:${addr.port}`,
  );

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    await app.close();
    await alertRedis?.quit().catch(() => {});
    await store.close();
    intentsClient?.disconnect();
    await embedded?.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

void main();
