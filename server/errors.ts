// One error type carrying the contract's machine code and HTTP status, and one handler that turns
// any error into the contract's JSON body. Unknown errors become a logged 500 that leaks nothing.
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ErrorRequestHandler } from 'express';
import type { z } from 'zod';
import type { ErrorBody } from '../shared/schemas.js';
import type { Logger } from './logger.js';
import { StoreUnavailableError } from './store/types.js';

export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: { issues?: ErrorBody['issues']; headers?: Record<string, string> } = {},
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const issuesOf = (error: z.ZodError): NonNullable<ErrorBody['issues']> =>
  error.issues.slice(0, 50).map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));

export const invalid = (error: z.ZodError, what = 'request body') =>
  new AppError(400, 'invalid_request', `Invalid ${what}.`, { issues: issuesOf(error) });

/** Retry-After for 503s: Redis reconnects within a couple of seconds when it comes back. */
export const STORE_RETRY_AFTER_S = 2;

/** What body-parser's errors become; the report path beneath Express answers the same. */
export const bodyTooLarge = () => new AppError(413, 'payload_too_large', 'Request body too large.');
export const bodyNotJson = () => new AppError(400, 'invalid_json', 'Request body is not valid JSON.');

/** Errors raised by Express's body parser and friends carry a status and a type. */
interface HttpishError {
  status?: number;
  statusCode?: number;
  type?: string;
  expose?: boolean;
}

export function toAppError(err: unknown): AppError | null {
  if (err instanceof AppError) return err;
  if (err instanceof StoreUnavailableError) {
    return new AppError(503, 'store_unavailable', 'The data store is unavailable; nothing was stored. Retry shortly.', {
      headers: { 'Retry-After': String(STORE_RETRY_AFTER_S) },
    });
  }
  const e = err as HttpishError | null;
  const status = e?.status ?? e?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    if (e?.type === 'entity.too.large') return bodyTooLarge();
    if (e?.type === 'entity.parse.failed') return bodyNotJson();
    if (e?.type === 'encoding.unsupported' || e?.type === 'charset.unsupported') {
      return new AppError(415, 'unsupported_encoding', 'Unsupported body encoding.');
    }
    return new AppError(status, 'bad_request', 'Bad request.');
  }
  return null;
}

/** The contract's JSON body of an error. */
export function errorBody(err: AppError): ErrorBody {
  const body: ErrorBody = { error: err.code, message: err.message };
  if (err.extra.issues) body.issues = err.extra.issues;
  return body;
}

export function sendError(res: import('express').Response, err: AppError): void {
  for (const [k, v] of Object.entries(err.extra.headers ?? {})) res.setHeader(k, v);
  res.status(err.status).json(errorBody(err));
}

/**
 * The answer to any error, logged as every error is: a 5xx of ours as a warning, anything unknown
 * as an error, answered as a 500 that leaks nothing.
 */
export function answerFor(
  err: unknown,
  logger: Logger,
  where: { method?: string | undefined; path: string },
  counts?: StoreErrorCount,
): AppError {
  const known = toAppError(err);
  if (known) {
    if (err instanceof StoreUnavailableError) counts?.storeErrors.inc();
    if (known.status >= 500) logger.warn({ code: known.code, path: where.path }, known.message);
    return known;
  }
  logger.error({ err, method: where.method, path: where.path }, 'unhandled error');
  return new AppError(500, 'internal', 'Internal error.');
}

/** The counter of requests answered 503 because the store was unavailable (metrics.ts). */
export interface StoreErrorCount {
  storeErrors: { inc(): void };
}

export function errorHandler(logger: Logger, counts?: StoreErrorCount): ErrorRequestHandler {
  return (err, req, res, _next) => {
    if (res.headersSent) {
      logger.error({ err, path: req.path }, 'error after headers were sent');
      return;
    }
    sendError(res, answerFor(err, logger, req, counts));
  };
}

/**
 * Requests Node's HTTP parser refuses (headers over 16 KB, bad header characters, broken chunked
 * bodies, conflicting lengths) never reach Express; Node's own answer has no body at all. This one
 * is the contract's JSON, like every other error. The request line may not have been read, so
 * every path gets it; the connection is closed, as the parser cannot find the next request.
 */
export function answerClientError(err: Error & { code?: string }, socket: Duplex): void {
  const headersSent = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent;
  if (err.code === 'ECONNRESET' || !socket.writable || headersSent) {
    socket.destroy();
    return;
  }
  const [status, error, message] =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'headers_too_large', 'Request headers too large.']
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'request_timeout', 'The request took too long to arrive.']
        : [400, 'bad_request', 'Malformed HTTP request.'];
  rawHttpError(socket, status, error, message);
}

/**
 * The contract's JSON error written on a raw socket, for requests answered before (or instead of)
 * an HTTP response object: parser errors, refused websocket upgrades. The connection is closed.
 */
export function rawHttpError(
  socket: Duplex,
  status: number,
  error: string,
  message: string,
  issues?: ErrorBody['issues'],
): void {
  const body = JSON.stringify({ error, message, ...(issues ? { issues } : {}) } satisfies ErrorBody);
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
