// The entry point: the only place that reads the environment, loads files and connects to Redis.
import { systemClock } from './clock.js';
import { ConfigError, configFromEnv } from './config.js';
import { createApp } from './app.js';
import { createLogger } from './logger.js';
import { DEFAULT_SITES_FILE, loadRegistry, RegistryError } from './registry/load.js';
import { openEmbeddedDb, embeddedDbPath, type EmbeddedDb } from './store/embedded-db.js';
import { createMemoryStore } from './store/memory.js';
import type { Store } from './store/types.js';
import type { IntentCounter } from './intents/types.js';
import type { WatchStore } from './watches/types.js';
import { createFileAlertStore, type AlertStore } from './alerts/store.js';
import { createLmdbArchive } from './archive/lmdb.js';
import { createMemoryArchive } from './archive/memory.js';
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
  let intents: IntentCounter | undefined;
  let watches: WatchStore | undefined;
  let alertStore: AlertStore;
  let archive: HourArchive;
  let closeStores: () => Promise<void>;
  if (config.redisUrl) {
    // Imported only with Redis configured: an instance on the embedded store never loads ioredis.
    try {
      const { openRedisBackend } = await import('./redis-backend.js');
      const redis = await openRedisBackend({ ...config, redisUrl: config.redisUrl }, logger, systemClock.now);
      ({ store, intents, watches, alertStore, archive } = redis);
      closeStores = redis.close;
    } catch (err) {
      console.error(`shortline: ${err instanceof Error ? err.message : String(err)}`);
      process.exit(2);
    }
  } else {
    // STORE_FILE names the store on disk: an LMDB database beside it (a JSON file of an earlier
    // version there is imported once); STORE_FILE=off keeps everything in memory. Every failure
    // here is the store file's, never a connection.
    let embedded: EmbeddedDb | null = null;
    try {
      const file = config.storeFile;
      embedded = file ? await openEmbeddedDb({ path: embeddedDbPath(file), legacyJsonFile: file, logger }) : null;
      store = embedded?.store ?? createMemoryStore({ logger });
    } catch (err) {
      console.error(`shortline: STORE_FILE: ${err instanceof Error ? err.message : String(err)}`);
      process.exit(2);
    }
    try {
      // Alerts: a small file of their own (ALERTS_FILE) without Redis.
      alertStore = createFileAlertStore(config.alerts.file);
    } catch (err) {
      console.error(`shortline: alerts: ${err instanceof Error ? err.message : String(err)}`);
      process.exit(2);
    }
    archive = embedded ? createLmdbArchive(embedded.root, systemClock.now) : createMemoryArchive(systemClock.now);
    closeStores = async () => {
      await store.close();
      await embedded?.close();
    };
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
    await closeStores();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

void main();
