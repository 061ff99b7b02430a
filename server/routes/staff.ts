// POST /api/sites/:id/reports: a staff tablet's absolute count for its own site.
//
// The report is one transport-free function (submitStaffReport) with one adapter (staffReportRoute),
// which app.ts's `handle` runs before Express: Express's router, body-parser and res.json were a
// third of a report's CPU (scripts/bench: staff). This is the only path of this endpoint.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { StaffReportSchema } from '../../shared/schemas.js';
import { staffSignIn } from '../auth/failures.js';
import type { AppContext } from '../context.js';
import { AppError, answerFor, bodyNotJson, bodyTooLarge, errorBody, invalid } from '../errors.js';
import { hasBody, parseStrictJson, readBody, sendJson } from '../http/raw.js';
import { rateLimit } from '../ratelimit.js';
import type { StaffOutcome } from '../live/writes.js';
import type { StaffTokenRecord } from '../store/types.js';

export const STAFF_REPORTS_ROUTE = '/api/sites/:id/reports';
/** Bytes: a report is well under 1 KB. */
export const STAFF_BODY_LIMIT = 4096;

/** What the report needs of an HTTP request, whatever carried it. */
export interface ReportRequest {
  siteId: string;
  /** The client address (proxy trust applied). */
  ip: string;
  authorization: string | undefined;
  /** Parsed JSON, not yet validated. */
  body: unknown;
}

/**
 * Limits, sign-in, site, body, write, in that order. Throws (or rejects with) an AppError or a
 * store error; resolves once the report is stored.
 */
export function submitStaffReport(
  ctx: AppContext,
  r: ReportRequest,
): Promise<{ answer: StaffOutcome; replayed: boolean }> {
  rateLimit(ctx.limits.ip, r.ip);
  const staff = staffSignIn(ctx, r.ip, r.authorization);
  return staff instanceof Promise ? staff.then((s) => write(ctx, r, s)) : write(ctx, r, staff);
}

function write(
  ctx: AppContext,
  r: ReportRequest,
  staff: StaffTokenRecord,
): Promise<{ answer: StaffOutcome; replayed: boolean }> {
  rateLimit(ctx.limits.token, staff.tokenId);
  const site = ctx.engine.site(r.siteId);
  if (!site) throw new AppError(404, 'unknown_site', 'No such site.');
  if (staff.siteId !== site.id) throw new AppError(403, 'wrong_site', 'This token reports for another site.');
  const parsed = StaffReportSchema.safeParse(r.body);
  if (!parsed.success) throw invalid(parsed.error);
  return ctx.writes.staffReport(site.id, parsed.data, ctx.clock.now());
}

/** Express's matching: case-insensitive, an optional trailing slash, the id percent-decoded. */
const PATH = /^\/api\/sites\/([^/]+)\/reports\/?$/i;
/** A charset parameter must be utf-8 (body-parser's rule for JSON). */
const CHARSET = /;\s*charset\s*=\s*"?([^";\s]+)/i;

/** Answers the request and returns true, or returns false (nothing read) when it is not a report. */
export type RawRoute = (req: IncomingMessage, res: ServerResponse) => boolean;

export function staffReportRoute(ctx: AppContext): RawRoute {
  const { metrics, logger } = ctx;
  const security = ctx.securityHeaders;
  // Counted in plain numbers, merged into the HTTP metric families at scrape (metrics-tally.ts).
  const route = metrics.hotRoutes.cell(STAFF_REPORTS_ROUTE, 'POST');
  const writesApplied = metrics.writes.labels('staff', 'applied');
  const writesOutdated = metrics.writes.labels('staff', 'outdated');
  const writesReplayed = metrics.writes.labels('staff', 'replayed');
  const writeDuration = metrics.writeDuration.labels('staff');

  return (req, res) => {
    if (req.method !== 'POST') return false;
    const url = req.url ?? '';
    const q = url.indexOf('?');
    const m = PATH.exec(q < 0 ? url : url.slice(0, q));
    if (!m) return false;
    const started = performance.now();
    const fail = (err: unknown) => {
      const answer = answerFor(err, logger, { method: req.method, path: url }, metrics);
      if (res.headersSent) return;
      sendJson(res, security, answer.status, JSON.stringify(errorBody(answer)), answer.extra.headers);
      route.observe(answer.status, (performance.now() - started) / 1000);
    };
    const run = (body: unknown) => {
      try {
        const siteId = decodeURIComponent(m[1]!);
        submitStaffReport(ctx, { siteId, ip: ctx.clientIp(req), authorization: req.headers.authorization, body }).then(
          ({ answer, replayed }) => {
            (replayed ? writesReplayed : answer.applied ? writesApplied : writesOutdated).inc();
            writeDuration.observe((performance.now() - started) / 1000);
            sendJson(res, security, 200, JSON.stringify(answer));
            route.observe(200, (performance.now() - started) / 1000);
          },
          fail,
        );
      } catch (err) {
        fail(err instanceof URIError ? new AppError(400, 'bad_request', 'Malformed site id in the path.') : err);
      }
    };
    const h = req.headers;
    const enc = h['content-encoding'];
    const charset = CHARSET.exec(h['content-type'] ?? '')?.[1]?.toLowerCase();
    if ((enc !== undefined && enc.toLowerCase() !== 'identity') || (charset !== undefined && charset !== 'utf-8')) {
      // A tablet sends plain utf-8 JSON; the body is drained so the connection stays usable.
      req.resume();
      fail(new AppError(415, 'unsupported_encoding', 'Send the report as uncompressed utf-8 JSON.'));
      return true;
    }
    if (!hasBody(req)) {
      run(undefined);
      return true;
    }
    readBody(req, STAFF_BODY_LIMIT, (buf) => {
      if (buf === null) return fail(bodyTooLarge());
      let body: unknown;
      try {
        body = parseStrictJson(buf);
      } catch {
        return fail(bodyNotJson());
      }
      run(body);
    });
    return true;
  };
}
