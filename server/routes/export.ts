// GET /api/admin/export?from&to&format=csv|json[&district]: the command centre's daily report, per
// site and hour, from the same history (and the same freshness rules) as the wall's charts. Hours
// still inside the per-minute history are computed from it; older ones are read from the hourly
// archive, which keeps them rolled up by the same rule (archive/hour-rows.ts).
import { Router } from 'express';
import { EXPORT_COLUMNS, ExportQuerySchema, type ExportRow } from '../../shared/export.js';
import { staleMsBySource } from '../../shared/stale.js';
import { staleMs } from '../config.js';
import type { AppContext } from '../context.js';
import { emptyHourRow, HOUR, hourRows, type HourRow } from '../archive/hour-rows.js';
import { lookbackMs, minuteHistoryStart } from '../archive/rollup.js';
import { parse } from '../validate.js';

/** RFC 4180: quote a field holding a comma, quote or line break; double the quotes. */
const csvField = (v: unknown) => {
  const s = v === null || v === undefined ? '' : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

export function toCsv(rows: readonly ExportRow[]): string {
  const lines = [EXPORT_COLUMNS.join(',')];
  for (const r of rows) lines.push(EXPORT_COLUMNS.map((c) => csvField(r[c])).join(','));
  return lines.join('\r\n') + '\r\n';
}

export function exportRoutes(ctx: Pick<AppContext, 'config' | 'store' | 'sites' | 'archive' | 'clock'>): Router {
  const r = Router();
  r.get('/export', async (req, res) => {
    const q = parse(ExportQuerySchema, req.query, 'query');
    const fromMs = Math.floor(Date.parse(q.from) / HOUR) * HOUR;
    const toMs = Date.parse(q.to);
    const stale = staleMsBySource(staleMs(ctx.config));
    // Hours before `split` are no longer (wholly) in the minute history: the archive has them.
    const split = Math.min(
      Math.max(minuteHistoryStart(ctx.clock.now(), ctx.config), fromMs),
      Math.ceil(toMs / HOUR) * HOUR,
    );
    const archived: Array<[number, Map<string, HourRow>]> = [];
    for (let h = fromMs; h < split; h += HOUR) archived.push([h, await ctx.archive.hour(h)]);
    const rows: ExportRow[] = [];
    for (const site of ctx.sites) {
      if (q.district && site.district !== q.district) continue;
      const own = { siteId: site.id, name: site.name, district: site.district, lanes: site.lanes };
      for (const [h, hour] of archived) rows.push({ ...own, ...(hour.get(site.id) ?? emptyHourRow(h)) });
      if (split >= toMs) continue;
      const points = await ctx.store.history(site.id, split - lookbackMs(ctx.config), toMs);
      for (const row of hourRows(points, split, toMs, stale)) rows.push({ ...own, ...row });
    }
    const name = `shortline-${new Date(fromMs).toISOString().slice(0, 13)}h.${q.format}`;
    res.setHeader('content-disposition', `attachment; filename="${name}"`);
    if (q.format === 'json')
      return void res.json({ from: new Date(fromMs).toISOString(), to: new Date(toMs).toISOString(), rows });
    // A byte-order mark so spreadsheet programs read the Chinese site names as UTF-8.
    res.type('text/csv; charset=utf-8').send('\uFEFF' + toCsv(rows));
  });
  return r;
}
