// GET /api/sites/:id/typical: the site's typical wait by local hour, weekdays and weekends apart,
// from the hourly archive (HISTORY_DAYS days). Shown by the resident page only when `enough`.
// Archived hours change once an hour, so each site's answer is computed once per hour.
import { Router } from 'express';
import { typicalWeek, type TypicalWeek } from '../../shared/typical.js';
import { TypicalWeekSchema } from '../../shared/typical-schema.js';
import { archiveRetentionMs } from '../archive/rollup.js';
import { HOUR } from '../archive/hour-rows.js';
import type { AppContext } from '../context.js';
import { AppError } from '../errors.js';
import { MinuteCache } from './trends.js';

export function typicalRoutes(ctx: Pick<AppContext, 'engine' | 'archive' | 'clock' | 'config'>): Router {
  const r = Router();
  const cache = new MinuteCache<TypicalWeek>();
  r.get('/sites/:id/typical', async (req, res) => {
    const site = ctx.engine.site(req.params.id);
    if (!site)
      throw new AppError(404, 'unknown_site', `No site with id ${JSON.stringify(req.params.id.slice(0, 64))}.`);
    const hour = Math.floor(ctx.clock.now() / HOUR) * HOUR;
    const body = await cache.get(site.id, hour, async () => {
      const rows = await ctx.archive.siteHours(site.id, hour - archiveRetentionMs(ctx.config), hour);
      const week = typicalWeek(
        rows.map((row) => ({ hourMs: Date.parse(row.hour), wait: row.waitMean })),
        ctx.config.timezone,
      );
      return TypicalWeekSchema.parse(week);
    });
    res.setHeader('Cache-Control', 'public, max-age=300');
    res.json(body);
  });
  return r;
}
