// POST /api/sites/:id/reports answered beneath Express (app.ts `handle`), like the hot GET bodies:
// Express's router, helmet, body-parser and res.json were a third of a report's CPU (scripts/bench:
// staff). The answers are those of the Express route (routes/staff.ts), which stays mounted:
// requests this path does not take as they are (a compressed body, a charset parameter other than
// utf-8, a path Express would only match after decoding or case folding) go on to it unchanged,
// so every rarely used behaviour stays body-parser's own.
import { hash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import express, { type Request, type Response } from 'express';
import { StaffReportSchema } from '../../shared/schemas.js';
import { recordFailureAt, refuseIfBlockedAt, staffUnauthorized } from '../auth/failures.js';
import { bearer, staffTokenHash } from '../auth/tokens.js';
import type { Config } from '../config.js';
import type { AppContext } from '../context.js';
import { AppError, answerFor, bodyNotJson, bodyTooLarge, errorBody, invalid } from '../errors.js';
import { securityHeaders } from '../pages.js';
import type { StaffTokenRecord } from '../store/types.js';
import { rateLimit, STAFF_BODY_LIMIT } from './staff.js';

export const STAFF_REPORTS_ROUTE = '/api/sites/:id/reports';

const PATH = /^\/api\/sites\/([A-Za-z0-9_-]+)\/reports(?:\?|$)/;
/** The one parameter body-parser would read: a charset, which must then be utf-8 to stay here. */
const UTF8_PARAM = /^[^;,"]*;[ \t]*charset=utf-8$/i;
const JSON_TYPE = 'application/json; charset=utf-8';

export interface StaffReportsBeneath {
  /** Answers the request and returns true, or returns false (nothing read) for Express to answer. */
  handle(req: IncomingMessage, res: ServerResponse): boolean;
}

export function staffReportsBeneath(ctx: AppContext): StaffReportsBeneath {
  const { engine, metrics, logger, staffTokens: tokens } = ctx;
  const security = securityHeaderList(ctx.config);
  const clientIp = clientIpOf(ctx.config);

  // Counted in plain numbers, merged into the HTTP metric families at scrape (metrics-tally.ts).
  const route = metrics.hotRoutes.cell(STAFF_REPORTS_ROUTE, 'POST');
  const writesApplied = metrics.writes.labels('staff', 'applied');
  const writesOutdated = metrics.writes.labels('staff', 'outdated');
  const writeDuration = metrics.writeDuration.labels('staff');

  function send(res: ServerResponse, started: number, status: number, json: string, retryAfter?: string): void {
    const body = Buffer.from(json);
    const headers = security.slice();
    if (retryAfter !== undefined) headers.push('Retry-After', retryAfter);
    headers.push('Content-Type', JSON_TYPE, 'Content-Length', String(body.length), 'ETag', weakEtag(body));
    res.writeHead(status, headers).end(body);
    route.observe(status, (performance.now() - started) / 1000);
  }

  function fail(req: IncomingMessage, res: ServerResponse, started: number, err: unknown): void {
    const answer = answerFor(err, logger, { method: req.method, path: pathOf(req) });
    if (res.headersSent) return;
    send(res, started, answer.status, JSON.stringify(errorBody(answer)), answer.extra.headers?.['Retry-After']);
  }

  /** Runs a step of the report; whatever it throws is answered as the Express route would. */
  function guarded(req: IncomingMessage, res: ServerResponse, started: number, step: () => void): void {
    try {
      step();
    } catch (err) {
      fail(req, res, started, err);
    }
  }

  /** routes/staff.ts's handler, in its order: limits, sign-in, site, body, write. */
  function report(req: IncomingMessage, res: ServerResponse, started: number, siteId: string, body: unknown): void {
    const t0 = performance.now();
    const ip = clientIp(req);
    rateLimit(ctx, 'ip', ip);
    refuseIfBlockedAt(ctx, ip);
    const hash = staffTokenHash(bearer(req));
    const staff = hash === null ? null : tokens.cached(hash);
    const next = (rec: StaffTokenRecord | null) => write(req, res, started, t0, ip, siteId, body, rec);
    if (staff !== undefined) return next(staff);
    tokens.load(hash!).then(
      (rec) => guarded(req, res, started, () => next(rec)),
      (err: unknown) => fail(req, res, started, err),
    );
  }

  function write(
    req: IncomingMessage, res: ServerResponse, started: number, t0: number, ip: string, siteId: string, body: unknown,
    staff: StaffTokenRecord | null,
  ): void {
    if (!staff) {
      recordFailureAt(ctx, req, ip);
      throw staffUnauthorized();
    }
    rateLimit(ctx, 'token', staff.tokenId);
    const site = engine.site(siteId);
    if (!site) throw new AppError(404, 'unknown_site', 'No such site.');
    if (staff.siteId !== site.id) throw new AppError(403, 'wrong_site', 'This token reports for another site.');
    const parsed = StaffReportSchema.safeParse(body);
    if (!parsed.success) throw invalid(parsed.error);
    ctx.writes.staffReport(site.id, parsed.data, ctx.clock.now()).then((outcome) => {
      (outcome.applied ? writesApplied : writesOutdated).inc();
      writeDuration.observe((performance.now() - t0) / 1000);
      send(res, started, 200, JSON.stringify(outcome));
    }).catch((err: unknown) => fail(req, res, started, err));
  }

  return {
    handle(req, res) {
      if (req.method !== 'POST') return false;
      const m = PATH.exec(req.url ?? '');
      if (!m) return false;
      const h = req.headers;
      if (h['content-encoding'] !== undefined) return false;
      const type = h['content-type'];
      if (type !== undefined && type.includes(';') && !UTF8_PARAM.test(type)) return false;
      const started = performance.now();
      const siteId = m[1]!;
      // type-is's hasBody: without either header body-parser leaves the body undefined.
      if (h['transfer-encoding'] === undefined && Number.isNaN(Number(h['content-length']))) {
        guarded(req, res, started, () => report(req, res, started, siteId, undefined));
        return true;
      }
      readBody(req, (buf) => {
        if (buf === null) return fail(req, res, started, bodyTooLarge());
        let body: unknown;
        try {
          body = parseJson(buf);
        } catch {
          return fail(req, res, started, bodyNotJson());
        }
        guarded(req, res, started, () => report(req, res, started, siteId, body));
      });
      return true;
    },
  };
}

/**
 * The whole body, or null once it is over the limit; like raw-body and body-parser, a body too
 * large is still read to its end (discarded) before the answer, so the connection stays usable.
 */
function readBody(req: IncomingMessage, done: (body: Buffer | null) => void): void {
  const declared = Number(req.headers['content-length']);
  let over = declared > STAFF_BODY_LIMIT;
  let first: Buffer | null = null;
  let rest: Buffer[] | null = null;
  let size = 0;
  req.on('data', (chunk: Buffer) => {
    if (over) return;
    size += chunk.length;
    if (size > STAFF_BODY_LIMIT) {
      over = true;
      first = rest = null;
    } else if (first === null) first = chunk;
    else (rest ??= [first]).push(chunk);
  });
  req.on('end', () => done(over ? null : rest ? Buffer.concat(rest) : first ?? Buffer.alloc(0)));
}

/** body-parser's strict JSON: utf-8 without its BOM, empty means {}, an object or array only. */
function parseJson(buf: Buffer): unknown {
  let s = buf.toString('utf8');
  if (s.charCodeAt(0) === 0xfeff) s = s.slice(1);
  if (s.length === 0) return {};
  const c = s[0];
  if (c !== '{' && c !== '[') {
    const first = /^[\x20\x09\x0a\x0d]*([^\x20\x09\x0a\x0d]|$)/.exec(s)![1];
    if (first !== '{' && first !== '[') throw new SyntaxError('strict violation');
  }
  return JSON.parse(s);
}

/** Express's default ETag (`etag` module, weak) over the bytes sent. */
function weakEtag(body: Buffer): string {
  if (body.length === 0) return 'W/"0-2jmj7l5rSw0yVb/vlWAYkK/YBwk"';
  return `W/"${body.length.toString(16)}-${hash('sha1', body, 'base64').substring(0, 27)}"`;
}

const pathOf = (req: IncomingMessage) => (req.url ?? '').split('?', 1)[0] ?? '';

/** What helmet sets on every Express answer, as name, value pairs: run once against a stub. */
export function securityHeaderList(config: Config): string[] {
  const out: string[] = [];
  const stub = {
    setHeader: (name: string, value: string | number | readonly string[]) => void out.push(name, String(value)),
    removeHeader: () => undefined,
  };
  let done = false;
  securityHeaders(config)({} as Request, stub as unknown as Response, (err?: unknown) => {
    if (err) throw err;
    done = true;
  });
  if (!done) throw new Error('helmet did not finish synchronously');
  return out;
}

/**
 * Express's req.ip: proxy-addr over the socket address and X-Forwarded-For, with the very trust
 * function Express compiles from the same `trust proxy` value.
 */
export function clientIpOf(config: Pick<Config, 'trustProxy'>): (req: IncomingMessage) => string {
  if (config.trustProxy === false) return (req) => req.socket.remoteAddress ?? 'unknown';
  const app = express();
  app.set('trust proxy', config.trustProxy);
  const trust = app.get('trust proxy fn') as (addr: string | undefined, i: number) => boolean;
  return (req) => {
    const addrs: Array<string | undefined> = [req.socket.remoteAddress];
    const xff = req.headers['x-forwarded-for'];
    // Node joins repeated X-Forwarded-For headers into one string.
    forwardedFor(typeof xff === 'string' ? xff : '', addrs);
    let i = 0;
    while (i < addrs.length - 1 && trust(addrs[i], i)) i += 1;
    return addrs[i] ?? req.socket.remoteAddress ?? 'unknown';
  };
}

/** The `forwarded` module's parse: addresses right to left, split on commas, spaces trimmed. */
function forwardedFor(header: string, into: Array<string | undefined>): void {
  let end = header.length;
  let start = header.length;
  for (let i = header.length - 1; i >= 0; i--) {
    const c = header.charCodeAt(i);
    if (c === 0x20) {
      if (start === end) start = end = i;
    } else if (c === 0x2c) {
      if (start !== end) into.push(header.substring(start, end));
      start = end = i;
    } else start = i;
  }
  if (start !== end) into.push(header.substring(start, end));
}
