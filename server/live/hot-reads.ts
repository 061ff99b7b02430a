// The hot public reads (/api/live, /api/sites), answered before Express sees the request: at
// 986 sites a request costs ~20 µs of CPU, so Express's routing and prom-client's labelled counting
// per request would be a large share of it (scripts/bench: snapshot; see metrics-tally.ts).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LIVE_EPOCH_HEADER } from '../../shared/live-epoch.js';
import type { Site } from '../../shared/schemas.js';
import { sendJson } from '../http/raw.js';
import type { RawHeaders } from '../http/security-headers.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';
import type { LiveEngine } from './engine.js';
import { HotBody } from './hot-body.js';

export interface HotReadDeps {
  engine: LiveEngine;
  sites: readonly Site[];
  /** The realtime frame: large bodies are rebuilt at most this often. */
  frameMs: number;
  metrics: Metrics;
  logger: Logger;
  /** The security headers of every answer. */
  headers: RawHeaders;
}

/** Answers the request and returns true when it is a hot read; false leaves it to Express. */
export type HotReads = (req: IncomingMessage, res: ServerResponse) => boolean;

export function hotReads({ engine, sites, frameMs, metrics, logger, headers }: HotReadDeps): HotReads {
  const route = (path: string, body: HotBody) =>
    [path, { body, GET: metrics.hotRoutes.cell(path, 'GET'), HEAD: metrics.hotRoutes.cell(path, 'HEAD') }] as const;
  const routes = new Map([
    // Both counters only grow, so their sum changes whenever either does (and allocates nothing).
    route(
      '/api/live',
      new HotBody(
        { key: () => engine.changeSequence + engine.currentVersion, json: () => JSON.stringify(engine.snapshot()) },
        frameMs,
        // The body's version is of this sequence: a compact socket resumes from it (compact.ts).
        [...headers, LIVE_EPOCH_HEADER, engine.epoch],
      ),
    ),
    route('/api/sites', new HotBody({ key: () => 0, json: () => JSON.stringify({ sites }) }, frameMs, headers)),
  ]);

  return (req, res) => {
    const method = req.method;
    if (method !== 'GET' && method !== 'HEAD') return false;
    const url = req.url ?? '';
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    // Express's matching, only on a miss: /api/live/ and /API/Live are the same route.
    const r = routes.get(path) ?? routes.get(path.toLowerCase().replace(/(.)\/$/, '$1'));
    if (!r) return false;
    const t0 = performance.now();
    const cell = r[method];
    const pending = r.body.serve(req, res);
    if (!pending) {
      cell.observe(res.statusCode, (performance.now() - t0) / 1000);
      return true;
    }
    pending.then(
      () => cell.observe(res.statusCode, (performance.now() - t0) / 1000),
      (err: unknown) => {
        logger.error({ err }, 'hot body failed');
        if (res.headersSent) res.end();
        else sendJson(res, headers, 500, JSON.stringify({ error: 'internal', message: 'Internal error.' }));
      },
    );
    return true;
  };
}
