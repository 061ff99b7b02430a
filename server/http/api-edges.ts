// The edges of /api, in one place: OPTIONS, methods a path does not take, and paths that only look
// like /api once decoded (/%61pi/live, /api%2flive, /api;/live). Each answers the contract's JSON,
// never Express's text or HTML. Which methods a path takes is read from the OpenAPI document, the
// one description of the API (server/openapi.ts), so there is no second route table.
import type { Request, RequestHandler, Response } from 'express';
import { AppError } from '../errors.js';

/**
 * Answers a CORS preflight (OPTIONS with Origin and Access-Control-Request-Method) for a path whose
 * documented methods are `allow`, and returns true; false leaves it to the JSON 405. No policy is
 * configured today; a CORS policy for the public GETs plugs in here.
 */
export type Preflight = (req: Request, res: Response, allow: readonly string[]) => boolean;

interface Doc {
  paths: Record<string, Record<string, unknown>>;
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

/** Documented paths as matchers: `{id}` is one path segment. */
export function methodTable(doc: Doc): Array<{ re: RegExp; allow: string[]; route: string }> {
  return Object.entries(doc.paths).map(([path, ops]) => {
    const re = new RegExp(`^${path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}/?$`, 'i');
    const allow = METHODS.filter((m) => m in ops).map((m) => m.toUpperCase());
    if (allow.includes('GET')) allow.splice(allow.indexOf('GET') + 1, 0, 'HEAD');
    // Metric labels use Express's form, as the routes answered beneath Express do (/api/sites/:id).
    return { re, allow, route: path.replace(/\{([^}]+)\}/g, ':$1') };
  });
}

/**
 * The path as the API sees it once matrix parameters are dropped and percent-escapes decoded, when
 * it is under /api; else null.
 */
export function apiLookingPath(path: string): string | null {
  let p = path.replace(/;[^/]*/g, '');
  try {
    p = decodeURIComponent(p);
  } catch {
    // Broken escapes: judge the path as sent.
  }
  return /^\/api(\/|$)/i.test(p) ? p : null;
}

export interface ApiEdges {
  front: RequestHandler;
  notFound: RequestHandler;
  /** The documented route of a request URL (`/api/sites/:id`), or null. */
  routeOf(url: string): string | null;
}

export function apiEdges(doc: Doc, preflight?: Preflight): ApiEdges {
  const table = methodTable(doc);
  const allowOf = (path: string) => table.find((t) => t.re.test(path))?.allow ?? null;
  const refuse = (req: Request, path: string): AppError => {
    const allow = allowOf(path);
    // A method the path takes, on a form Express does not route (/%61pi/live): not found as written.
    if (!allow || allow.includes(req.method)) return new AppError(404, 'not_found', `No route ${req.method} ${path}.`);
    return new AppError(405, 'method_not_allowed', `${path} takes ${allow.join(', ')}.`, {
      headers: { Allow: allow.join(', ') },
    });
  };
  return {
    routeOf: (url) => {
      const path = apiLookingPath(url.split('?', 1)[0]!);
      return path === null ? null : (table.find((t) => t.re.test(path))?.route ?? null);
    },
    /** Before the API router: OPTIONS, and /api paths written so that Express would not route them. */
    front: (req, res, next) => {
      const path = apiLookingPath(req.path);
      if (path === null) return next();
      if (req.method === 'OPTIONS') {
        const allow = allowOf(path);
        if (allow && preflight?.(req, res, allow)) return;
        return next(refuse(req, path));
      }
      // Express routes /api/... itself; these are the forms it would hand to the pages.
      if (!/^\/api(\/|$)/i.test(req.path)) return next(refuse(req, path));
      next();
    },
    /** The last handler of the API router: a 405 with Allow for a known path, else a 404. */
    notFound: (req, _res, next) =>
      next(refuse(req, apiLookingPath(req.originalUrl.split('?', 1)[0]!) ?? req.originalUrl)),
  };
}
