// GET /api/admin/export?from&to&format=csv|json[&district]: the command centre's daily report, per
// site and hour, from the same history (and the same freshness rules) as the wall's charts.
import { Router } from 'express';
import { EXPORT_COLUMNS, ExportQuerySchema, type ExportRow } from '../../shared/export.js';
import type { Source } from '../../shared/schemas.js';
import { staleMsBySource } from '../../shared/stale.js';
import { staleMs } from '../config.js';
import type { AppContext } from '../context.js';
import type { HistoryPoint } from '../store/types.js';
import { parse } from '../validate.js';

const MINUTE = 60_000;
const HOUR = 3_600_000;

/** One site's rows for whole hours from `fromMs` (an hour start) up to `toMs`. */
export function hourRows(
  points: readonly HistoryPoint[],
  fromMs: number,
  toMs: number,
  staleMs: Record<Source, number>,
): Omit<ExportRow, 'siteId' | 'name' | 'district' | 'lanes'>[] {
  const out: Omit<ExportRow, 'siteId' | 'name' | 'district' | 'lanes'>[] = [];
  let i = 0;
  let last: HistoryPoint | null = null;
  for (let h = fromMs; h < toMs; h += HOUR) {
    let n = 0;
    let waitSum = 0;
    let queueSum = 0;
    let waitN = 0;
    let waitMax: number | null = null;
    let queueMax: number | null = null;
    const minutes = { staff: 0, carrier: 0, none: 0 };
    for (let m = h; m < h + HOUR; m += MINUTE) {
      while (i < points.length && points[i]!.atMs <= m) last = points[i++]!;
      const fresh = last !== null && last.source !== 'none' && m - last.atMs <= staleMs[last.source];
      if (!fresh || last!.queue === null) {
        minutes.none += 1;
        continue;
      }
      minutes[last!.source] += 1;
      n += 1;
      queueSum += last!.queue;
      queueMax = Math.max(queueMax ?? 0, last!.queue);
      if (last!.waitMinutes !== null) {
        waitN += 1;
        waitSum += last!.waitMinutes;
        waitMax = Math.max(waitMax ?? 0, last!.waitMinutes);
      }
    }
    const round1 = (x: number) => Math.round(x * 10) / 10;
    out.push({
      hour: new Date(h).toISOString(),
      waitMean: waitN ? round1(waitSum / waitN) : null,
      waitMax,
      queueMean: n ? round1(queueSum / n) : null,
      queueMax,
      served: null,
      staffMinutes: minutes.staff,
      carrierMinutes: minutes.carrier,
      noneMinutes: minutes.none,
    });
  }
  return out;
}

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

export function exportRoutes(ctx: Pick<AppContext, 'config' | 'store' | 'sites'>): Router {
  const r = Router();
  r.get('/export', async (req, res) => {
    const q = parse(ExportQuerySchema, req.query, 'query');
    const fromMs = Math.floor(Date.parse(q.from) / HOUR) * HOUR;
    const toMs = Date.parse(q.to);
    const stale = staleMsBySource(staleMs(ctx.config));
    const lookback = Math.max(stale.staff, stale.carrier);
    const rows: ExportRow[] = [];
    for (const site of ctx.sites) {
      if (q.district && site.district !== q.district) continue;
      const points = await ctx.store.history(site.id, fromMs - lookback, toMs);
      for (const row of hourRows(points, fromMs, toMs, stale)) {
        rows.push({ siteId: site.id, name: site.name, district: site.district, lanes: site.lanes, ...row });
      }
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
