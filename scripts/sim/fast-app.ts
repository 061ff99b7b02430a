// A real shortline app in this process on a ManualClock, for time-compressed runs: the simulator
// sets the clock, so a report observed at simulated 08:05 is checked against a server clock that
// also says 08:05 (the staff API refuses observedAt 2 min ahead, the carrier API skews over 300 s).
import { randomBytes } from 'node:crypto';
import { createApp, type App } from '../../server/app.js';
import { ManualClock } from '../../server/clock.js';
import { defaultConfig, type Config } from '../../server/config.js';
import { silentLogger } from '../../server/logger.js';
import { createMemoryStore } from '../../server/store/memory.js';
import type { Site } from '../../shared/schemas.js';
import type { CarrierKey } from './api.js';

export interface FastApp {
  app: App;
  url: string;
  clock: ManualClock;
  config: Config;
  adminToken: string;
  carrierKey: CarrierKey;
  /** Sets the server's clock and lets it notice what aged out, as its frame timer would have. */
  setTime(ms: number): void;
  close(): Promise<void>;
}

export async function startFastApp(
  sites: readonly Site[],
  startMs: number,
  config: Partial<Config> = {},
): Promise<FastApp> {
  const clock = new ManualClock(startMs);
  const adminToken = `sim-admin-${randomBytes(16).toString('hex')}`;
  const carrierKey = { id: 'sim-carrier', secret: randomBytes(24).toString('hex') };
  const cfg: Config = {
    ...defaultConfig,
    port: 0,
    host: '127.0.0.1',
    adminToken,
    carrierKeys: new Map([[carrierKey.id, [carrierKey.secret]]]),
    // Every simulated tablet posts from 127.0.0.1, hundreds a simulated minute.
    writeRatePerMin: 1_000_000,
    frameMs: 20,
    // Simulated phones send intents with their own address in X-Forwarded-For (api.ts).
    trustProxy: ['loopback'],
    logLevel: 'silent',
    ...config,
  };
  const store = createMemoryStore({ now: () => clock.now(), logger: silentLogger() });
  const app = await createApp({ config: cfg, store, clock, logger: silentLogger(), sites });
  const addr = await app.listen(0, '127.0.0.1');
  return {
    app,
    url: `http://127.0.0.1:${addr.port}`,
    clock,
    config: cfg,
    adminToken,
    carrierKey,
    setTime: (ms) => {
      clock.set(ms);
      // The frame timer runs on wall time, many simulated minutes apart; without this a report
      // 20 simulated minutes old would still be served as fresh until the next frame.
      app.engine.refreshTime();
    },
    close: async () => {
      await app.close();
      await store.close();
    },
  };
}
