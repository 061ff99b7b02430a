// The small pieces an answer beneath Express needs (app.ts `handle`): the whole body up to a limit,
// strict JSON as body-parser reads it, and one writeHead with the security headers. Used by the
// routes that are answered only here (routes/staff.ts, live/hot-reads.ts).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RawHeaders } from './security-headers.js';

export const JSON_TYPE = 'application/json; charset=utf-8';

/**
 * The whole body, or null once it is over `limit` bytes; like raw-body, a body too large is still
 * read to its end (discarded) before the answer, so the connection stays usable.
 */
export function readBody(req: IncomingMessage, limit: number, done: (body: Buffer | null) => void): void {
  let over = Number(req.headers['content-length']) > limit;
  let first: Buffer | null = null;
  let rest: Buffer[] | null = null;
  let size = 0;
  req.on('data', (chunk: Buffer) => {
    if (over) return;
    size += chunk.length;
    if (size > limit) {
      over = true;
      first = rest = null;
    } else if (first === null) first = chunk;
    else (rest ??= [first]).push(chunk);
  });
  req.on('end', () => done(over ? null : rest ? Buffer.concat(rest) : (first ?? Buffer.alloc(0))));
}

/** type-is's hasBody: without either header there is no body at all. */
export const hasBody = (req: IncomingMessage) =>
  req.headers['transfer-encoding'] !== undefined || !Number.isNaN(Number(req.headers['content-length']));

/** body-parser's strict JSON: utf-8 without its BOM, empty means {}, an object or array only. */
export function parseStrictJson(buf: Buffer): unknown {
  let s = buf.toString('utf8');
  if (s.charCodeAt(0) === 0xfeff) s = s.slice(1);
  if (s.length === 0) return {};
  // JSON's own whitespace (RFC 8259): space, tab, line feed, carriage return.
  // eslint-disable-next-line no-control-regex
  const first = /^[\x20\x09\x0a\x0d]*([^\x20\x09\x0a\x0d]|$)/.exec(s)![1];
  if (first !== '{' && first !== '[') throw new SyntaxError('strict violation');
  return JSON.parse(s);
}

/**
 * A JSON answer in one writeHead: the security headers, `extra` (e.g. Retry-After), type, length.
 * No ETag: these answer POSTs and errors, which nobody revalidates, and hashing every answer was
 * ~5 µs of a staff report's CPU (scripts/bench/profile-staff.ts).
 */
export function sendJson(
  res: ServerResponse,
  security: RawHeaders,
  status: number,
  json: string,
  extra?: Record<string, string>,
): void {
  const body = Buffer.from(json);
  const headers = security.slice();
  if (extra) for (const k in extra) headers.push(k, extra[k]!);
  headers.push('Content-Type', JSON_TYPE, 'Content-Length', String(body.length));
  res.writeHead(status, headers).end(body);
}
