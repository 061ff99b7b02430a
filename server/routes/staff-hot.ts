// POST /api/sites/:id/reports answered beneath Express (app.ts `handle`), like the hot GET bodies:
// Express's router, helmet, body-parser and res.json were a third of a report's CPU (scripts/bench:
// staff). The answers are those of the Express route (routes/staff.ts), which stays mounted:
// requests this path does not take as they are (a compressed body, a charset parameter other than
// utf-8, a path Express would only match after decoding or case folding) go on to it unchanged,
// so every rarely used behaviour stays body-parser's own.
import { hash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import express, { type Request, type Response } from 'express';
import { StaffReportSchema, type ErrorBody } from '../../shared/schemas.js';
import { hashToken } from '../auth/tokens.js';
import { StaffTokenCache } from '../auth/token-cache.js';
import type { Config } from '../config.js';
import type { AppContext } from '../context.js';
import { AppError, invalid, toAppError } from '../errors.js';
import { securityHeaders } from '../pages.js';
import type { StaffTokenRecord } from '../store/types.js';

export const STAFF_REPORTS_ROUTE = '/api/sites/:id/reports';
/** routes/staff.ts STAFF_BODY_LIMIT ('4kb' to body-parser). */
const BODY_LIMIT = 4096;

const PATH = /^\/api\/sites\/([A-Za-z0-9_-]+)\/reports(?:\?|$)/;
/** The one parameter body-parser would read: a charset, which must then be utf-8 to stay here. */
const UTF8_PARAM = /^[^;,"]*;[ \t]*charset=utf-8$/i;
const TOKEN_SHAPE = /^st_[A-Za-z0-9_-]{43}$/;
const BEARER = /^Bearer\s+(\S{1,512})\s*$/i;
const JSON_TYPE = 'application/json; charset=utf-8';

// The messages of routes/staff.ts, auth/failures.ts and errors.ts, word for word.
const UNAUTHORIZED = 'Missing, unknown or revoked staff token. Ask your coordinator for a new enrolment link.';
const TOO_LARGE = new AppError(413, 'payload_too_large', 'Request body too large.');
const NOT_JSON = new AppError(400, 'invalid_json', 'Request body is not valid JSON.');
const INTERNAL = new AppError(500, 'internal', 'Internal error.');

export interface StaffReportsBeneath {
  /** Answers the request and returns true, or returns false (nothing read) for Express to answer. */
  handle(req: IncomingMessage, res: ServerResponse): boolean;
  close(): void;
}

export function staffReportsBeneath(ctx: AppContext): StaffReportsBeneath {
  const { engine, limits, metrics, logger } = ctx;
  const security = securityHeaderList(ctx.config);
  const clientIp = clientIpOf(ctx.config);
  const tokens = new StaffTokenCache(ctx.store);
  // Own revocations arrive through onRevoked below, before the store's message could.
  const unsubscribe = ctx.store.subscribe((msg) => tokens.onChange(msg), { ignoreOrigin: ctx.instanceId });
  // The admin route revokes through ctx.onRevoked before answering: forget the token first.
  const cutOff = ctx.onRevoked;
  ctx.onRevoked = (tokenId, siteId) => {
    tokens.revoked(tokenId);
    cutOff(tokenId, siteId);
  };

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
    let known = toAppError(err);
    if (!known) {
      logger.error({ err, method: req.method, path: pathOf(req) }, 'unhandled error');
      known = INTERNAL;
    } else if (known.status >= 500) {
      logger.warn({ code: known.code, path: pathOf(req) }, known.message);
    }
    if (res.headersSent) return;
    const body: ErrorBody = { error: known.code, message: known.message };
    if (known.extra.issues) body.issues = known.extra.issues;
    send(res, started, known.status, JSON.stringify(body), known.extra.headers?.['Retry-After']);
  }

  function limited(kind: 'ip' | 'token', key: string): AppError | null {
    const r = limits[kind].take(key);
    return r.ok ? null : new AppError(429, 'rate_limited', `Too many requests; retry in ${r.retryAfterS} s.`, {
      headers: { 'Retry-After': String(r.retryAfterS) },
    });
  }

  function guarded(req: IncomingMessage, res: ServerResponse, started: number, siteId: string, body: unknown): void {
    try {
      report(req, res, started, siteId, body);
    } catch (err) {
      fail(req, res, started, err);
    }
  }

  /** routes/staff.ts's handler, in its order: limits, sign-in, site, body, write. */
  function report(req: IncomingMessage, res: ServerResponse, started: number, siteId: string, body: unknown): void {
    const t0 = performance.now();
    const ip = clientIp(req);
    const tooMany = limited('ip', ip);
    if (tooMany) return fail(req, res, started, tooMany);
    const blocked = limits.authFailures.blocked(ip);
    if (blocked) {
      return fail(req, res, started, new AppError(429, 'rate_limited', `Too many failed sign-ins from this address; retry in ${blocked.retryAfterS} s.`, {
        headers: { 'Retry-After': String(blocked.retryAfterS) },
      }));
    }
    const authorization = req.headers.authorization;
    const token = authorization ? BEARER.exec(authorization)?.[1] : undefined;
    const hash = token !== undefined && TOKEN_SHAPE.test(token) ? hashToken(token) : null;
    const staff = hash === null ? null : tokens.cached(hash);
    if (staff !== undefined) return signedIn(req, res, started, t0, ip, siteId, body, staff);
    tokens.load(hash!).then(
      (rec) => signedIn(req, res, started, t0, ip, siteId, body, rec),
      (err: unknown) => fail(req, res, started, err),
    );
  }

  function signedIn(
    req: IncomingMessage, res: ServerResponse, started: number, t0: number, ip: string, siteId: string, body: unknown,
    staff: StaffTokenRecord | null,
  ): void {
    try {
      write(req, res, started, t0, ip, siteId, body, staff);
    } catch (err) {
      fail(req, res, started, err);
    }
  }

  function write(
    req: IncomingMessage, res: ServerResponse, started: number, t0: number, ip: string, siteId: string, body: unknown,
    staff: StaffTokenRecord | null,
  ): void {
    if (!staff) {
      if (req.headers.authorization) limits.authFailures.take(ip);
      return fail(req, res, started, new AppError(401, 'unauthorized', UNAUTHORIZED));
    }
    const tooMany = limited('token', staff.tokenId);
    if (tooMany) return fail(req, res, started, tooMany);
    const site = engine.site(siteId);
    if (!site) return fail(req, res, started, new AppError(404, 'unknown_site', 'No such site.'));
    if (staff.siteId !== site.id) return fail(req, res, started, new AppError(403, 'wrong_site', 'This token reports for another site.'));
    const parsed = StaffReportSchema.safeParse(body);
    if (!parsed.success) return fail(req, res, started, invalid(parsed.error));
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
        guarded(req, res, started, siteId, undefined);
        return true;
      }
      readBody(req, (buf) => {
        if (buf === null) return fail(req, res, started, TOO_LARGE);
        let body: unknown;
        try {
          body = parseJson(buf);
        } catch {
          return fail(req, res, started, NOT_JSON);
        }
        guarded(req, res, started, siteId, body);
      });
      return true;
    },
    close: unsubscribe,
  };
}

/**
 * The whole body, or null once it is over the limit; like raw-body and body-parser, a body too
 * large is still read to its end (discarded) before the answer, so the connection stays usable.
 */
function readBody(req: IncomingMessage, done: (body: Buffer | null) => void): void {
  const declared = Number(req.headers['content-length']);
  let over = declared > BODY_LIMIT;
  let first: Buffer | null = null;
  let rest: Buffer[] | null = null;
  let size = 0;
  req.on('data', (chunk: Buffer) => {
    if (over) return;
    size += chunk.length;
    if (size > BODY_LIMIT) {
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

const pathOf = (req: IncomingMessage) => (req.url ?? '').split('?', 1)[0];

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
