// Static files with their build-time compressed copies (scripts/build/precompress.ts): a request
// that accepts brotli gets `file.br`, else gzip gets `file.gz`, each with Content-Encoding, the
// original's Content-Type and `Vary: Accept-Encoding`; anything else is served as it is.
import { existsSync } from 'node:fs';
import { extname, resolve, sep } from 'node:path';
import type { Request, RequestHandler, Response } from 'express';
import express from 'express';

const ENCODINGS = [
  ['br', '.br'],
  ['gzip', '.gz'],
] as const;

/** Whether the Accept-Encoding header accepts `enc` (q=0 refuses it). */
export function accepts(header: string | undefined, enc: string): boolean {
  if (!header) return false;
  for (const part of header.split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (name !== enc && name !== '*') continue;
    const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find((x) => x !== undefined);
    return q === undefined || Number(q) > 0;
  }
  return false;
}

export interface StaticOptions {
  /** Cache-Control max-age in ms, and whether the files are immutable (hashed names). */
  maxAgeMs: number;
  immutable?: boolean;
  fallthrough?: boolean;
}

/** Sends `file` (an absolute path), its compressed copy when the request accepts one. */
export function sendWithEncoding(
  req: Request,
  res: Response,
  file: string,
  cacheControl: string,
  next: (err?: unknown) => void,
): void {
  const variants = ENCODINGS.filter(([, ext]) => existsSync(file + ext));
  if (variants.length) res.vary('Accept-Encoding');
  const pick = variants.find(([enc]) => accepts(req.headers['accept-encoding'], enc));
  const headers: Record<string, string> = { 'Cache-Control': cacheControl };
  if (pick) {
    headers['Content-Encoding'] = pick[0];
    // The original's type (with charset), not the type of ".br" or ".gz"; send keeps a set type.
    res.type(extname(file));
  }
  res.sendFile(
    pick ? file + pick[1] : file,
    { headers, cacheControl: false, lastModified: true, etag: true, dotfiles: 'deny' },
    (err) => {
      if (err) next(err);
    },
  );
}

/** Like express.static for the files under `root`, with the precompressed copies preferred. */
export function precompressedStatic(root: string, opts: StaticOptions): RequestHandler {
  const base = resolve(root);
  const cacheControl = `public, max-age=${Math.floor(opts.maxAgeMs / 1000)}${opts.immutable ? ', immutable' : ''}`;
  const plain = express.static(base, {
    index: false,
    maxAge: opts.maxAgeMs,
    immutable: opts.immutable ?? false,
    fallthrough: opts.fallthrough ?? true,
  });
  return (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return plain(req, res, next);
    let path: string;
    try {
      path = decodeURIComponent(req.path);
    } catch {
      return plain(req, res, next);
    }
    const file = resolve(base, `.${path}`);
    // Only files inside root, only originals (a request for x.js.br itself goes the plain way).
    if (
      !file.startsWith(base + sep) ||
      /\.(br|gz)$/.test(file) ||
      !existsSync(file) ||
      !ENCODINGS.some(([, ext]) => existsSync(file + ext))
    ) {
      return plain(req, res, next);
    }
    sendWithEncoding(req, res, file, cacheControl, next);
  };
}
