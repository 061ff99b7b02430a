// Liveness, readiness and metrics for operators.
import { Router } from 'express';
import type { AppContext } from '../context.js';

/** /readyz answers within this, so a load balancer's probe never hangs on a silent Redis. */
const READY_TIMEOUT_MS = 1500;

export function opsRoutes(ctx: AppContext): Router {
  const r = Router();
  r.get('/healthz', (_req, res) => {
    res.json({ ok: true });
  });
  r.get('/readyz', async (_req, res) => {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        ctx.store.ping(),
        new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('timeout')), READY_TIMEOUT_MS))),
      ]);
      res.json({ ok: true, store: ctx.store.kind });
    } catch {
      res.status(503).json({ error: 'store_unavailable', message: 'The data store does not answer.' });
    } finally {
      clearTimeout(timer);
    }
  });
  r.get('/metrics', async (_req, res) => {
    res.setHeader('Content-Type', ctx.metrics.registry.contentType);
    res.send(await ctx.metrics.registry.metrics());
  });
  return r;
}
