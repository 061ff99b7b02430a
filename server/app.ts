// The app factory: receives its dependencies, wires the parts, returns handles to listen and close.
// Only server/index.ts reads the environment and connects to Redis.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import proxyAddr from 'proxy-addr';
import type { FusionConfig } from '../shared/domain.js';
import { keepsPeopleAway, type Site } from '../shared/schemas.js';
import { localTime, pastHours } from '../shared/hours.js';
import type { Clock } from './clock.js';
import { staleMs, type Config } from './config.js';
import type { AppContext } from './context.js';
import { adminGuard, authFailureLimiter } from './auth/failures.js';
import { StaffTokenCache } from './auth/token-cache.js';
import { answerClientError, errorHandler } from './errors.js';
import { apiEdges } from './http/api-edges.js';
import { LiveEngine } from './live/engine.js';
import { hotReads } from './live/hot-reads.js';
import { NoticeBoard } from './live/notices.js';
import { createRealtime, cutOffToken, type IoServer, type Realtime } from './live/realtime.js';
import { startLiveLoop } from './live/sync.js';
import { Writes } from './live/writes.js';
import type { Logger } from './logger.js';
import { createMetrics, type Metrics } from './metrics.js';
import { buildOpenApi } from './openapi.js';
import { clientAddress, compileTrust } from './http/proxy-trust.js';
import { securityHeaderList, securityHeaders } from './http/security-headers.js';
import { mountPages } from './pages.js';
import { RateLimiter } from './ratelimit.js';
import { adminRoutes } from './routes/admin.js';
import { carrierRoutes } from './routes/carrier.js';
import { noticeRoutes } from './routes/notices.js';
import { createMemoryIntents, type IntentCounter } from './intents/types.js';
import { intentRoutes } from './routes/intents.js';
import { opsRoutes } from './routes/ops.js';
import { publicRoutes } from './routes/public.js';
import { applyCors } from './reach/cors.js';
import { reachApi, reachPages } from './reach/routes.js';
import { staffReportRoute } from './routes/staff.js';
import { staffMeRoutes } from './routes/staff-me.js';
import { disagreementOf, queuesBefore, trendRoutes } from './routes/trends.js';
import { alertRoutes } from './routes/alerts.js';
import { exportRoutes } from './routes/export.js';
import { dailyRoutes } from './routes/daily.js';
import { typicalRoutes } from './routes/typical.js';
import { AlertService, siteFacts } from './alerts/service.js';
import { createFileAlertStore, type AlertStore } from './alerts/store.js';
import type { Store } from './store/types.js';
import { createMemoryArchive } from './archive/memory.js';
import { Archiver } from './archive/rollup.js';
import type { HourArchive } from './archive/types.js';
import type { Agent } from 'node:https';
import { watchRoutes } from './routes/watches.js';
import { WatchChecker } from './watches/checker.js';
import { webPushSender } from './watches/push.js';
import { createMemoryWatches, type WatchStore } from './watches/types.js';

export interface AppDeps {
  config: Config;
  store: Store;
  clock: Clock;
  logger: Logger;
  sites: readonly Site[];
  /** Built pages; default dist/client. */
  clientDir?: string;
  /** Process-wide Node metrics (event loop, GC); off in tests where several apps share a process. */
  defaultMetrics?: boolean;
  /** People on their way (intents/); default in-process. Shared with other instances on Redis. */
  intents?: IntentCounter;
  /** Where alerts live (server/alerts/store.ts); default: in memory. Belongs to the caller. */
  alertStore?: AlertStore;
  /** The hourly archive (archive/); default: in memory. Belongs to the caller. */
  archive?: HourArchive;
  /** False forces broadcasts through engine.io's public writes (live/engine-adapter.ts); for measuring. */
  preFramed?: boolean;
  /** "Notify me" watches (watches/); default in-process. Shared with other instances on Redis. */
  watches?: WatchStore;
  /** How pushes reach push services (watches/push.ts); tests trust their local one's certificate. */
  pushAgent?: Agent;
}

export interface App {
  httpServer: HttpServer;
  io: IoServer;
  /** Frame broadcast and staff re-check (live/realtime.ts). */
  realtime: Realtime;
  engine: LiveEngine;
  metrics: Metrics;
  instanceId: string;
  alerts: AlertService;
  /** Rolls finished hours into the archive; the entry point starts it, tests call tick(). */
  archiver: Archiver;
  /** Pushes watches whose condition came true; null without VAPID_*. */
  watches: WatchChecker | null;
  /** Listens and resolves with the bound address (port 0 picks a free port). */
  listen(port?: number, host?: string): Promise<AddressInfo>;
  /** Idempotent: stops frames, closes sockets and the HTTP server. The store belongs to the caller. */
  close(): Promise<void>;
}

export const fusionConfig = (c: Config): FusionConfig => ({
  ...staleMs(c),
  levelMinutes: c.levelMinutes,
  serviceRatePerLane: c.serviceRate,
  timezone: c.timezone,
  defaultCarrierRatio: c.carrierRatio,
});

export async function createApp(deps: AppDeps): Promise<App> {
  const { config, store, clock } = deps;
  const logger = deps.logger.child({ module: 'app' });
  const instanceId = randomBytes(6).toString('hex');
  const metrics = createMetrics({ defaultMetrics: deps.defaultMetrics });
  const engine = new LiveEngine(deps.sites, fusionConfig(config), clock);
  engine.load(await store.loadSites(deps.sites.map((s) => s.id)));

  let realtimeRef: Realtime | null = null;
  const notices = new NoticeBoard(store, clock, logger, (list) => realtimeRef?.notices(list));
  await notices.reload();
  const staffTokens = new StaffTokenCache(store, clock);
  const trust = compileTrust(config.trustProxy);
  const security = securityHeaderList(config);
  const archive = deps.archive ?? createMemoryArchive(() => clock.now());
  const ctx: AppContext = {
    config,
    store,
    archive,
    clock,
    logger,
    metrics,
    engine,
    notices,
    instanceId,
    sites: deps.sites,
    staffTokens,
    clientIp: (req) => clientAddress(req, trust),
    securityHeaders: security,
    writes: new Writes(engine, store, instanceId),
    limits: {
      ip: new RateLimiter(config.writeRatePerMin * 10, config.writeRatePerMin * 10, clock),
      token: new RateLimiter(config.writeRatePerMin, Math.max(10, config.writeRatePerMin / 2), clock),
      authFailures: authFailureLimiter(config, clock),
    },
    onRevoked: (tokenId, siteId) => {
      staffTokens.revoked(tokenId);
      if (realtimeRef) cutOffToken(realtimeRef.io, tokenId, siteId);
    },
  };

  const openapi = buildOpenApi();
  const edges = apiEdges(openapi);
  // Queue 15 minutes ago moves once a minute: computed once per minute, not per evaluation.
  let before: { minute: number; queues: Map<string, number> } | null = null;
  const alerts = new AlertService({
    config: config.alerts,
    store: deps.alertStore ?? createFileAlertStore(null),
    clock,
    logger,
    registry: metrics.registry,
    facts: async (now) => {
      const minute = Math.floor(now / 60_000) * 60_000;
      if (before?.minute !== minute) before = { minute, queues: await queuesBefore(ctx, minute) };
      const queues = before.queues;
      return deps.sites.flatMap((s) => {
        const live = engine.liveOf(s.id);
        if (!live) return [];
        const raw = engine.rawOf(s.id);
        const seen = Math.max(raw.staff?.observedAt ?? -Infinity, raw.carrier?.observedAt ?? -Infinity);
        const d = disagreementOf(ctx, s.id);
        return [
          // Only a disagreement the wall would flag can open an alert (routes/trends.ts disagreementOf).
          siteFacts(
            live,
            queues.get(s.id) ?? null,
            Number.isFinite(seen) ? seen : null,
            d?.flagged ? d.ratio : undefined,
          ),
        ];
      });
    },
  });

  const api = express.Router();
  api.use(reachApi(ctx), publicRoutes(ctx), staffMeRoutes(ctx), carrierRoutes(ctx), trendRoutes(ctx));
  // Every /api/admin/* route (tokens and notices): failed admin sign-ins are counted per IP.
  api.use('/admin', adminGuard(ctx));
  api.use('/admin', adminRoutes(ctx));
  api.use(noticeRoutes(ctx));
  api.use(intentRoutes(ctx, deps.intents ?? createMemoryIntents()));
  const watchStore = deps.watches ?? createMemoryWatches();
  api.use(watchRoutes(ctx, watchStore));
  api.use(alertRoutes(ctx, alerts), dailyRoutes(ctx), typicalRoutes(ctx));
  api.use('/admin', exportRoutes(ctx));
  api.get('/openapi.json', (_req, res) => {
    res.json(openapi);
  });
  api.use(edges.notFound);

  const app = express();
  app.disable('x-powered-by');
  // The same trust function as ctx.clientIp, so req.ip and the routes beneath Express agree.
  app.set('trust proxy', trust);
  app.use(securityHeaders(security));
  app.use((req, res, next) => {
    const end = metrics.httpDuration.startTimer();
    res.on('finish', () => {
      // The documented path, the same whether the route answered or threw (an error leaves req.baseUrl).
      const route = req.route ? (edges.routeOf(req.originalUrl) ?? `${req.baseUrl}${String(req.route.path)}`) : 'other';
      metrics.httpRequests.inc({ route, method: req.method, status: res.statusCode });
      end({ route, method: req.method });
    });
    next();
  });
  app.use(edges.front);
  app.use('/api', api);
  app.use(opsRoutes(ctx));
  app.use(reachPages(ctx, deps.clientDir ?? 'dist/client'));
  mountPages(app, deps.clientDir ?? 'dist/client');
  app.use(errorHandler(logger, metrics));

  const hot = hotReads({ engine, sites: deps.sites, frameMs: config.frameMs, metrics, logger, headers: security });
  const staffReports = staffReportRoute(ctx);
  // Routes answered beneath Express are the only path of their endpoints.
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    if (applyCors(req, res, config.publicUrl)) return;
    if (staffReports(req, res)) return;
    if (!hot(req, res)) app(req, res);
  };

  const httpServer = createServer(handle);
  httpServer.on('clientError', answerClientError);
  const allowedOrigins = config.publicUrl ? [config.publicUrl] : [];
  // The same address Express's req.ip gives, under the same `trust proxy` setting.
  const trustFn = app.get('trust proxy fn') as Parameters<typeof proxyAddr>[1];
  const realtime = createRealtime(httpServer, {
    engine,
    store,
    clock,
    logger,
    metrics,
    allowedOrigins,
    notices,
    clientIp: (req) => proxyAddr(req, trustFn),
    authFailures: ctx.limits.authFailures,
    pingIntervalMs: config.socketPingMs,
    pingTimeoutMs: config.socketPingTimeoutMs,
    packetsPerMin: { conn: config.socketPacketsPerMin, ip: config.socketIpPacketsPerMin },
    ...(deps.preFramed === undefined ? {} : { preFramed: deps.preFramed }),
  });
  realtimeRef = realtime;
  const ioServer = realtime.io;

  const watches = config.vapid
    ? new WatchChecker({
        store: watchStore,
        send: webPushSender(config.vapid, deps.pushAgent),
        clock,
        logger,
        site: (id) => engine.site(id),
        // A notice, or the site's hours ended (a fresh staff report may still keep it open): no "go now".
        stayAway: (siteId) =>
          notices.list().some((n) => n.siteId === siteId && keepsPeopleAway(n.kind)) ||
          pastHours(engine.site(siteId)?.hours, localTime(clock.now(), config.timezone)),
      })
    : null;
  const loop = startLiveLoop({
    store,
    engine,
    realtime,
    notices,
    staffTokens,
    logger,
    instanceId,
    frameMs: config.frameMs,
    siteIds: deps.sites.map((s) => s.id),
    onRevoked: (tokenId, siteId) => ctx.onRevoked(tokenId, siteId),
    ...(watches ? { onFrame: (frame) => watches.onFrame(frame) } : {}),
  });
  alerts.start();
  const archiver = new Archiver({ store, archive, clock, sites: deps.sites, config, logger });

  let closing: Promise<void> | undefined;
  return {
    httpServer,
    io: ioServer,
    realtime,
    engine,
    metrics,
    instanceId,
    alerts,
    archiver,
    watches,
    listen: (port = config.port, host = config.host) =>
      new Promise((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(port, host, () => {
          httpServer.off('error', reject);
          resolve(httpServer.address() as AddressInfo);
        });
      }),
    close: () =>
      (closing ??= (async () => {
        await alerts.close();
        await archiver.stop();
        loop.stop();
        await watches?.idle();
        await realtime.close();
      })()),
  };
}
