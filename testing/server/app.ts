// One helper builds every test server: real app, real store, port 0, quiet logs.
import { ManualClock, systemClock, type Clock } from '../../server/clock.js';
import { defaultConfig, type Config } from '../../server/config.js';
import { createApp, type App } from '../../server/app.js';
import { silentLogger } from '../../server/logger.js';
import { createMemoryStore } from '../../server/store/memory.js';
import type { IntentCounter } from '../../server/intents/types.js';
import type { WatchStore } from '../../server/watches/types.js';
import type { Agent } from 'node:https';
import type { Store } from '../../server/store/types.js';
import type { HourArchive } from '../../server/archive/types.js';
import type { Site } from '../../shared/schemas.js';
import { DEFAULT_SITES_FILE, loadRegistry } from '../../server/registry/load.js';

export const TEST_ADMIN_TOKEN = 'test-admin-token-0123456789';
export const TEST_CARRIER_KEY = { id: 'carrier1', secret: 'carrier-secret-0123456789abcdef' };

let bundled: Site[] | undefined;
export const bundledSites = (): Site[] => (bundled ??= loadRegistry(DEFAULT_SITES_FILE));

/** A handful of always-open sites for API tests that don't need the whole city. */
export function testSites(n = 3): Site[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `site-${i + 1}`,
    name: `测试点 ${i + 1}`,
    district: i % 2 ? '江海区' : '蓬江区',
    lat: 22.58 + i * 0.01,
    lng: 113.08 + i * 0.01,
    lanes: 2,
  }));
}

export interface TestApp {
  app: App;
  url: string;
  port: number;
  store: Store;
  clock: Clock;
  config: Config;
  close(): Promise<void>;
}

export interface TestAppOptions {
  config?: Partial<Config>;
  store?: Store;
  clock?: Clock | ManualClock;
  sites?: Site[];
  /** Close the store with the app (default: only when the helper created it). */
  ownStore?: boolean;
  /** People-on-their-way counter (default: the app's in-process one). */
  intents?: IntentCounter;
  /** The hourly archive (default: the app's in-memory one). */
  archive?: HourArchive;
  /** "Notify me" watches (default: the app's in-process ones). */
  watches?: WatchStore;
  /** How pushes reach the push service (a test's local one). */
  pushAgent?: Agent;
  /** False: broadcasts through public writes only (tests of the fallback). */
  preFramed?: boolean;
}

export async function startTestApp(opts: TestAppOptions = {}): Promise<TestApp> {
  const config: Config = {
    ...defaultConfig,
    port: 0,
    host: '127.0.0.1',
    frameMs: 50,
    adminToken: TEST_ADMIN_TOKEN,
    carrierKeys: new Map([[TEST_CARRIER_KEY.id, [TEST_CARRIER_KEY.secret]]]),
    writeRatePerMin: 100_000,
    ...opts.config,
  };
  const clock = opts.clock ?? systemClock;
  const store = opts.store ?? createMemoryStore({ now: () => clock.now() });
  const ownStore = opts.ownStore ?? !opts.store;
  const app = await createApp({
    config,
    store,
    clock,
    logger: silentLogger(),
    sites: opts.sites ?? testSites(),
    intents: opts.intents,
    ...(opts.archive ? { archive: opts.archive } : {}),
    ...(opts.watches ? { watches: opts.watches } : {}),
    ...(opts.pushAgent ? { pushAgent: opts.pushAgent } : {}),
    ...(opts.preFramed === undefined ? {} : { preFramed: opts.preFramed }),
  });
  const addr = await app.listen(0, '127.0.0.1');
  const url = `http://127.0.0.1:${addr.port}`;
  return {
    app,
    url,
    port: addr.port,
    store,
    clock,
    config,
    close: async () => {
      await app.close();
      if (ownStore) await store.close();
    },
  };
}

/** Issues a staff token through the real admin API. */
export async function issueToken(
  t: TestApp,
  siteId: string,
): Promise<{ tokenId: string; token: string; enrollUrl: string }> {
  const res = await fetch(`${t.url}/api/admin/staff-tokens`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ siteId }),
  });
  if (res.status !== 201) throw new Error(`issue token: ${res.status} ${await res.text()}`);
  return (await res.json()) as { tokenId: string; token: string; enrollUrl: string };
}

let seq = 0;
/** Posts a staff report; returns status and parsed body. */
export async function report(
  t: TestApp,
  token: string,
  siteId: string,
  body: Record<string, unknown>,
): Promise<{ status: number; body: any }> {
  const res = await fetch(`${t.url}/api/sites/${siteId}/reports`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ reportId: `r-${Date.now()}-${seq++}-xx`, ...body }),
  });
  return { status: res.status, body: await res.json().catch(() => null) };
}
