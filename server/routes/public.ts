// Public reads other than the two hot ones (those are served beneath Express, see app.ts).
import { Router } from 'express';
import { z } from 'zod';
import { serviceRate } from '../../shared/service-rate.js';
import type { Meta, ServiceRate, Site } from '../../shared/schemas.js';
import { AppError } from '../errors.js';
import { staleMs } from '../config.js';
import { staleMsBySource } from '../../shared/stale.js';
import type { AppContext } from '../context.js';
import { resample } from '../live/history.js';
import { parse } from '../validate.js';

const HistoryQuery = z.object({ hours: z.coerce.number().int().min(1).max(72).default(6) });

export function publicRoutes(ctx: AppContext): Router {
  const r = Router();
  const { engine, config } = ctx;

  const siteOr404 = (id: string) => {
    const site = engine.site(id);
    if (!site) throw new AppError(404, 'unknown_site', `No site with id ${JSON.stringify(id.slice(0, 64))}.`);
    return site;
  };

  const rateOf = (site: Site): ServiceRate => {
    const r = serviceRate(site, engine.rawOf(site.id).calibration, config.serviceRate);
    return {
      siteId: site.id,
      perLane: r.perLane,
      learned: r.learned,
      samples: r.samples,
      configured: site.serviceRatePerLane ?? config.serviceRate,
    };
  };

  r.get('/sites/:id', (req, res) => {
    const site = siteOr404(req.params.id);
    res.json({ site, live: engine.liveOf(site.id), rate: rateOf(site) });
  });

  // For the command centre: every site's service rate, learned or configured.
  r.get('/service-rates', (_req, res) => {
    res.json({ rates: engine.sites.map(rateOf) });
  });

  r.get('/sites/:id/history', async (req, res) => {
    const site = siteOr404(req.params.id);
    const { hours } = parse(HistoryQuery, req.query, 'query');
    const to = ctx.clock.now();
    const from = to - hours * 3600_000;
    const stale = staleMsBySource(staleMs(config));
    const points = await ctx.store.history(site.id, from - Math.max(stale.staff, stale.carrier), to);
    res.json({ siteId: site.id, points: resample(points, from, to, stale) });
  });

  r.get('/summary', (_req, res) => {
    res.json(engine.summary());
  });

  r.get('/meta', (_req, res) => {
    const meta: Meta = {
      demo: config.demo,
      timezone: config.timezone,
      levelMinutes: config.levelMinutes,
      staffStaleMinutes: config.staffStaleMin,
      carrierStaleMinutes: config.carrierStaleMin,
      frameMs: config.frameMs,
      tileUrl: config.tileUrl,
      tileAttribution: config.tileAttribution,
      tileCrs: config.tileCrs,
      publicUrl: config.publicUrl,
      cityName: config.cityName,
      cityNameEn: config.cityNameEn,
      serviceRate: config.serviceRate,
      ...(config.vapid ? { vapidPublicKey: config.vapid.publicKey } : {}),
    };
    res.json(meta);
  });

  return r;
}
