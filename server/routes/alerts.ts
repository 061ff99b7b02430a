// GET /api/alerts (the wall reads it; nothing in it is private beyond who acknowledged) and
// POST /api/admin/alerts/:id/ack (admin, checked by app.ts's adminGuard on all of /api/admin): who acknowledged, and when, is kept with the alert.
import express, { Router } from 'express';
import { z } from 'zod';
import { AlertAckSchema } from '../../shared/alerts.js';
import type { AlertService } from '../alerts/service.js';
import type { AppContext } from '../context.js';
import { AppError } from '../errors.js';
import { parse } from '../validate.js';

const AlertIdParam = z.string().regex(/^al_[a-z]+_[A-Za-z0-9_-]{1,64}_[0-9a-z]{1,12}$/, 'alert id');

export function alertRoutes(ctx: Pick<AppContext, 'config'>, alerts: AlertService): Router {
  const r = Router();
  r.get('/alerts', async (_req, res) => {
    res.json({ alerts: await alerts.list() });
  });
  const admin = Router();
  admin.post('/alerts/:id/ack', express.json({ limit: '1kb', type: () => true }), async (req, res) => {
    const id = parse(AlertIdParam, req.params.id, 'alert id');
    const body = parse(AlertAckSchema, req.body);
    const alert = await alerts.acknowledge(id, body.by);
    if (!alert) throw new AppError(404, 'unknown_alert', 'No such alert.');
    res.json(alert);
  });
  r.use('/admin', admin);
  return r;
}
