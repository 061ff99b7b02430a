// Prometheus metrics on a registry of this app (no global default registry: two apps in one
// process, as in tests, keep separate counts).
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { RouteTally, registerWithTally } from './metrics-tally.js';

const HTTP_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

export function createMetrics(opts: { defaultMetrics?: boolean } = {}) {
  const registry = new Registry();
  if (opts.defaultMetrics) {
    collectDefaultMetrics({ register: registry, prefix: 'shortline_' });
    // prom-client also names three gauges `_total`, which Prometheus reserves for counters
    // (promtool check metrics exits 3 on them). shortline_nodejs_active_resources{type}, from
    // the public process.getActiveResourcesInfo(), stays and carries the same information.
    for (const n of ['active_handles_total', 'active_requests_total', 'active_resources_total']) {
      registry.removeSingleMetric(`shortline_nodejs_${n}`);
    }
  }
  const HTTP_REQUESTS = 'shortline_http_requests_total';
  const HTTP_DURATION = 'shortline_http_request_duration_seconds';
  const httpRequests = new Counter({
    name: HTTP_REQUESTS,
    help: 'HTTP requests by route and status.',
    labelNames: ['route', 'method', 'status'] as const,
    registers: [],
  });
  const httpDuration = new Histogram({
    name: HTTP_DURATION,
    help: 'HTTP request latency by route.',
    labelNames: ['route', 'method'] as const,
    buckets: HTTP_BUCKETS,
    registers: [],
  });
  /** The hot routes (answered beneath Express) count here; scrapes merge it into the two above. */
  const hotRoutes = new RouteTally(HTTP_BUCKETS);
  registerWithTally(
    registry,
    HTTP_REQUESTS,
    httpRequests,
    () => hotRoutes.counterValues(),
    () => hotRoutes.reset(),
  );
  registerWithTally(
    registry,
    HTTP_DURATION,
    httpDuration,
    () => hotRoutes.histogramValues(HTTP_DURATION),
    () => {},
  );
  return {
    registry,
    httpRequests,
    httpDuration,
    hotRoutes,
    writes: new Counter({
      name: 'shortline_writes_total',
      help: 'Staff reports and carrier batches by outcome.',
      labelNames: ['kind', 'outcome'] as const,
      registers: [registry],
    }),
    writeDuration: new Histogram({
      name: 'shortline_write_duration_seconds',
      help: 'Time to validate, store and answer a write.',
      labelNames: ['kind'] as const,
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    carrierReadings: new Counter({
      name: 'shortline_carrier_readings_total',
      help: 'Carrier readings accepted.',
      registers: [registry],
    }),
    sockets: new Gauge({ name: 'shortline_sockets', help: 'Connected Socket.IO clients.', registers: [registry] }),
    socketsCut: new Counter({
      name: 'shortline_sockets_cut_total',
      help: 'Socket.IO connections cut for flooding requests or exceeding their byte budget.',
      labelNames: ['reason'] as const,
      registers: [registry],
    }),
    frames: new Counter({ name: 'shortline_frames_total', help: 'Realtime delta frames sent.', registers: [registry] }),
    frameBytes: new Histogram({
      name: 'shortline_frame_bytes',
      help: 'Size of each encoded delta frame.',
      buckets: [256, 1024, 4096, 16384, 65536, 262144, 1048576],
      registers: [registry],
    }),
    frameSites: new Histogram({
      name: 'shortline_frame_sites',
      help: 'Sites per delta frame.',
      buckets: [1, 5, 20, 100, 500, 2000, 10000, 50000],
      registers: [registry],
    }),
    storeErrors: new Counter({
      name: 'shortline_store_errors_total',
      help: 'Requests answered 503 because the store was unavailable.',
      registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
