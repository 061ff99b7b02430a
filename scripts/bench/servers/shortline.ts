// shortline itself, as a benchmark server: the real app factory, the real store, silent logs.
// Frames are either the app's own timer (FRAME_MS) or, for the fan-out benchmarks, driven by the
// load generator so that both sides of a ratio send exactly as many frames.
import { createApp } from '../../../server/app.js';
import { systemClock } from '../../../server/clock.js';
import { defaultConfig, type Config } from '../../../server/config.js';
import { silentLogger } from '../../../server/logger.js';
import { createMemoryStore } from '../../../server/store/memory.js';
import { createRedisStore } from '../../../server/store/redis.js';
import { childOptions, monoMs, serveParent } from '../lib/child.js';
import { REDIS_URL } from '../lib/redis-clean.js';
import { benchSites } from '../lib/sites.js';
import { commonHandlers } from './common.js';

export interface ShortlineOptions {
  store: 'embedded' | 'redis';
  /** Redis key prefix (bench:*); the caller removes its keys. */
  prefix?: string;
  /** @default 986 (the bundled registry) */
  sites?: number;
  /** @default 1000 */
  frameMs?: number;
  /** Frames only on the `frame`/`frames` commands; the app's timer is pushed out of the way. */
  manualFrames?: boolean;
  /** False: broadcasts through engine.io's public writes instead of pre-framed ones. */
  preFramed?: boolean;
  /** Built pages to serve; default dist/client. */
  clientDir?: string;
  /** Socket.IO heartbeat [interval, timeout] ms; default the app's (3000, 2000). */
  ping?: [number, number];
}

export interface ShortlineReady {
  port: number;
  pid: number;
  sites: number;
  adminToken: string;
  carrierKey: { id: string; secret: string };
}

export const BENCH_ADMIN_TOKEN = 'bench-admin-token-0123456789';
export const BENCH_CARRIER = { id: 'bench', secret: 'bench-carrier-secret-0123456789' };

const opts = childOptions<ShortlineOptions>();
const sites = benchSites(opts.sites ?? 986);
const store =
  opts.store === 'redis'
    ? await createRedisStore({ url: REDIS_URL, prefix: opts.prefix ?? 'bench:shortline:', logger: silentLogger() })
    : createMemoryStore({ logger: silentLogger() });
const config: Config = {
  ...defaultConfig,
  port: 0,
  host: '127.0.0.1',
  logLevel: 'silent',
  frameMs: opts.manualFrames ? 60_000 : (opts.frameMs ?? 1000),
  adminToken: BENCH_ADMIN_TOKEN,
  carrierKeys: new Map([[BENCH_CARRIER.id, [BENCH_CARRIER.secret]]]),
  // The write path is measured, not the rate limiter.
  writeRatePerMin: 1_000_000,
  ...(opts.ping ? { socketPingMs: opts.ping[0], socketPingTimeoutMs: opts.ping[1] } : {}),
};
const app = await createApp({
  config,
  store,
  clock: systemClock,
  logger: silentLogger(),
  sites,
  clientDir: opts.clientDir,
  ...(opts.preFramed === false ? { preFramed: false } : {}),
});
const addr = await app.listen(0, '127.0.0.1');
// Manual frames: only the parent's `frame`/`frames` requests send frames, so a change must not go
// out by itself in a quiet window (server/live/sync.ts) before the parent asks.
if (opts.manualFrames) app.engine.onFirstChange = null;

// When each frame left, by delta version: the "frame wait" subtracted from end-to-end latency.
const frameAt = new Map<number, number>();
const appFrame = app.engine.frame.bind(app.engine);
app.engine.frame = () => {
  const f = appFrame();
  if (f) {
    frameAt.set(f.delta.version, monoMs());
    if (frameAt.size > 10_000) frameAt.delete(frameAt.keys().next().value!);
  }
  return f;
};

let counter = 0;
/** Gives `k` sites a new staff count each; every one of them changes its LiveState. */
function change(k: number): void {
  const now = Date.now();
  const ctx = app.engine.fuseCtx(now);
  for (let j = 0; j < k; j++) {
    const site = sites[(counter + j) % sites.length]!;
    app.engine.merge(
      site.id,
      {
        staff: {
          reportId: `bench-${counter}-${j}`,
          queue: ((counter + j) * 7919) % 300,
          lanesOpen: null,
          status: 'open',
          pauseReason: null,
          note: null,
          observedAt: now,
        },
      },
      ctx,
    );
  }
  counter += k;
}

function emitFrame(): { version: number; at: number } | null {
  const f = app.engine.frame();
  if (!f) return null;
  const at = frameAt.get(f.delta.version) ?? monoMs();
  app.realtime.broadcast(f);
  return { version: f.delta.version, at };
}

serveParent(
  {
    ...commonHandlers(() => app.io.engine.clientsCount),
    frame: ({ k }: { k: number }) => {
      change(k);
      return emitFrame();
    },
    /** `count` frames of `k` changed sites, `intervalMs` apart (0: back to back, yielding between). */
    frames: async ({ count, k, intervalMs }: { count: number; k: number; intervalMs: number }) => {
      const out: Array<{ version: number; at: number }> = [];
      for (let i = 0; i < count; i++) {
        change(k);
        const f = emitFrame();
        if (f) out.push(f);
        await new Promise((r) => (intervalMs > 0 ? setTimeout(r, intervalMs) : setImmediate(r)));
      }
      return out;
    },
    frameAt: (versions: number[]) => versions.map((v) => frameAt.get(v) ?? null),
    version: () => app.engine.currentVersion,
    /** Changes not yet sent (a large change goes out over several frames). */
    framePending: () => app.engine.framePending,
    prefix: () => opts.prefix ?? null,
  },
  {
    port: addr.port,
    pid: process.pid,
    sites: sites.length,
    adminToken: BENCH_ADMIN_TOKEN,
    carrierKey: BENCH_CARRIER,
  } satisfies ShortlineReady,
  async () => {
    // The prefix's keys belong to whoever made the prefix: other instances may still use them.
    await app.close();
    await store.close();
  },
);
