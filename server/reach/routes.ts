// The pages that reach people without the map: /lite, /embed, /s/<code>, and the open data
// (/api/sites.geojson, /api/sites.csv). Their CORS policy lives in cors.ts.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Router, type Request } from 'express';
import type { Site } from '../../shared/schemas.js';
import { normaliseCode, shortCodes } from '../../shared/short-code.js';
import type { AppContext } from '../context.js';
import { AppError } from '../errors.js';
import { esc, sendPage } from './html.js';
import { EMBED_STYLE_HASH, embedPage, LITE_STYLE_HASH, litePage } from './lite-page.js';
import { PlainQuery, selectSites } from './select.js';
import { langOf } from '../../shared/plain-words.js';

/** Codes of a registry, computed once per registry array (restarts compute the same). */
const codeCache = new WeakMap<readonly Site[], Map<string, string>>();
export function codesOf(sites: readonly Site[]): Map<string, string> {
  let c = codeCache.get(sites);
  if (!c) codeCache.set(sites, (c = shortCodes(sites.map((s) => s.id))));
  return c;
}

function areasOf(sites: readonly Site[]): Map<string, string[]> {
  const m = new Map<string, Set<string>>();
  for (const s of sites) {
    const set = m.get(s.district) ?? new Set<string>();
    if (s.street) set.add(s.street);
    m.set(s.district, set);
  }
  return new Map([...m].map(([d, t]) => [d, [...t]]));
}

const LITE_REFRESH_S = 60;

/** CSP frame-ancestors of /embed: EMBED_ORIGINS, else any origin. */
export const embedAncestors = (origins: string[] | null): string => (origins?.length ? origins.join(' ') : '*');

export function reachPages(ctx: AppContext, clientDir: string): Router {
  const r = Router();
  const { engine, sites } = ctx;
  const codes = codesOf(sites);
  const byCode = new Map([...codes].map(([id, code]) => [code, id]));
  const areas = areasOf(sites);
  const query = (req: Request) => PlainQuery.parse(req.query);
  const liveOf = (id: string) => engine.liveOf(id);

  r.get('/lite', (req, res) => {
    const q = query(req);
    const lang = langOf(q.lang);
    const sel = selectSites(q, sites, liveOf, codes);
    sendPage(
      req,
      res,
      litePage({
        q,
        lang,
        sel,
        now: ctx.clock.now(),
        notices: ctx.notices.list(),
        areas,
        refreshSeconds: LITE_REFRESH_S,
      }),
      { styleHash: LITE_STYLE_HASH },
    );
  });

  r.get('/embed', (req, res) => {
    const q = query(req);
    const lang = langOf(q.lang);
    const sel = selectSites({ site: q.site, area: q.area, sites: q.sites }, sites, liveOf, codes);
    const full = q.site
      ? `/?site=${encodeURIComponent(q.site)}`
      : q.area
        ? `/lite?area=${encodeURIComponent(q.area)}`
        : '/';
    const origin = ctx.config.publicUrl ?? `${req.protocol}://${req.get('host') ?? ''}`;
    sendPage(
      req,
      res,
      embedPage(lang, sel, ctx.clock.now(), ctx.notices.list(), `${origin}${full}`, q.auto ? LITE_REFRESH_S : null),
      { styleHash: EMBED_STYLE_HASH, frameAncestors: embedAncestors(ctx.config.embedOrigins) },
    );
  });

  r.get('/s/:code', (req, res) => {
    const code = normaliseCode(String(req.params.code));
    const id = code ? byCode.get(code) : undefined;
    if (!id) {
      res.redirect(302, `/lite?q=${encodeURIComponent(String(req.params.code).slice(0, 20))}`);
      return;
    }
    res.setHeader('Cache-Control', 'no-cache');
    res.redirect(302, `/?site=${encodeURIComponent(id)}`);
  });

  // `/?site=<id>` (where /s/<code> lands) and `/?code=`: the map page whose no-script fallback
  // goes to the same site on /lite. Without these parameters mountPages serves `/` as it is.
  let index: Promise<string> | undefined;
  r.get('/', async (req, res, next) => {
    const site = typeof req.query.site === 'string' ? req.query.site : null;
    const typed = typeof req.query.code === 'string' ? normaliseCode(req.query.code) : null;
    const id = site && engine.site(site) ? site : typed ? byCode.get(typed) : undefined;
    if (!id) return next();
    if (!site) return res.redirect(302, `/?site=${encodeURIComponent(id)}`);
    let html: string;
    try {
      html = await (index ??= readFile(resolve(clientDir, 'index.html'), 'utf8'));
    } catch {
      index = undefined;
      return next();
    }
    res.setHeader('Cache-Control', 'no-cache');
    res
      .type('html')
      .send(
        html
          .replaceAll('"/lite"', `"/lite?site=${esc(encodeURIComponent(id))}"`)
          .replaceAll('url=/lite"', `url=/lite?site=${esc(encodeURIComponent(id))}"`),
      );
  });

  return r;
}

const csvCell = (v: unknown): string => {
  if (v === undefined || v === null) return '';
  let s = String(v);
  // A cell a spreadsheet would run as a formula is made plain text.
  if (/^[=+\-@\t\r]/.test(s) && typeof v === 'string') s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

export const CSV_COLUMNS = [
  'id',
  'code',
  'name',
  'district',
  'street',
  'community',
  'address',
  'lat',
  'lng',
  'lanes',
  'tags',
  'status',
  'level',
  'waitMinutes',
  'queue',
  'source',
  'updatedAt',
] as const;

/** Open data: the registry with live fields, for other map tools. */
export function reachApi(ctx: AppContext): Router {
  const r = Router();
  const codes = codesOf(ctx.sites);
  r.get('/sites.geojson', (_req, res) => {
    res.type('application/geo+json').json({
      type: 'FeatureCollection',
      features: ctx.sites.map((s) => {
        const l = ctx.engine.liveOf(s.id);
        return {
          type: 'Feature',
          id: s.id,
          geometry: { type: 'Point', coordinates: [s.lng, s.lat] },
          properties: { ...s, lat: undefined, lng: undefined, code: codes.get(s.id), live: l ?? null },
        };
      }),
    });
  });
  r.get('/sites.csv', (_req, res) => {
    const rows = ctx.sites.map((s) => {
      const l = ctx.engine.liveOf(s.id);
      const v: Partial<Record<(typeof CSV_COLUMNS)[number], unknown>> = {
        ...s,
        code: codes.get(s.id),
        tags: s.tags?.join(';'),
        status: l?.status,
        level: l?.level,
        waitMinutes: l?.waitMinutes,
        queue: l?.queue,
        source: l?.source,
        updatedAt: l?.updatedAt,
      };
      return CSV_COLUMNS.map((c) => csvCell(v[c])).join(',');
    });
    res.type('text/csv; charset=utf-8').setHeader('Content-Disposition', 'inline; filename="sites.csv"');
    // A BOM so spreadsheet programs read the Chinese names as UTF-8.
    res.send(`\uFEFF${CSV_COLUMNS.join(',')}\r\n${rows.join('\r\n')}\r\n`);
  });
  r.get('/codes/:code', (req, res) => {
    const code = normaliseCode(String(req.params.code));
    const id = code ? [...codes].find(([, c]) => c === code)?.[0] : undefined;
    if (!id) throw new AppError(404, 'unknown_code', 'No site has that code.');
    res.json({ code, siteId: id });
  });
  return r;
}
