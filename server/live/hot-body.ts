// Prebuilt, precompressed bodies for the hot public reads (/api/live, /api/sites), served beneath
// Express: a request costs a header write and a buffer write, not a JSON.stringify and a gzip.
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { promisify } from 'node:util';
import { brotliCompress, constants as zc, gzip } from 'node:zlib';

const gzipAsync = promisify(gzip);
const brotliAsync = promisify(brotliCompress);

type Encoding = 'br' | 'gzip' | 'identity';

interface Built {
  key: string;
  etag: string;
  identity: Buffer;
  builtAt: number;
  /** Compressed variants are made on first demand, off the event loop (zlib's thread pool). */
  variants: Partial<Record<'br' | 'gzip', Promise<Buffer>>>;
}

export interface HotBodySource {
  /** Changes whenever the body would change. */
  key(): string;
  json(): string;
}

/** A larger body than this is rebuilt at most once per `minRebuildMs`, the realtime frame. */
const SLOW_BUILD_MS = 20;

export class HotBody {
  private current: Built | null = null;
  private lastBuildMs = 0;

  constructor(private readonly source: HotBodySource, private readonly minRebuildMs: number) {}

  private get(): Built {
    const key = this.source.key();
    const cur = this.current;
    if (cur && cur.key === key) return cur;
    // Big registries: serving a body one frame old beats re-serialising megabytes per request.
    if (cur && this.lastBuildMs > SLOW_BUILD_MS && Date.now() - cur.builtAt < this.minRebuildMs) return cur;
    const t0 = performance.now();
    const identity = Buffer.from(this.source.json());
    const etag = `"${createHash('sha1').update(identity).digest('base64url')}"`;
    this.current = { key, etag, identity, builtAt: Date.now(), variants: {} };
    this.lastBuildMs = performance.now() - t0;
    return this.current;
  }

  private variant(b: Built, enc: Encoding): Promise<Buffer> | Buffer {
    if (enc === 'identity') return b.identity;
    let p = b.variants[enc];
    if (!p) {
      p = enc === 'br'
        ? brotliAsync(b.identity, { params: { [zc.BROTLI_PARAM_QUALITY]: 5, [zc.BROTLI_PARAM_SIZE_HINT]: b.identity.length } })
        : gzipAsync(b.identity, { level: 6 });
      b.variants[enc] = p;
    }
    return p;
  }

  /** Answers the request fully (200 or 304). */
  async serve(req: IncomingMessage, res: ServerResponse, headers: Record<string, string>): Promise<void> {
    const b = this.get();
    for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
    res.setHeader('ETag', b.etag);
    res.setHeader('Vary', 'Accept-Encoding');
    res.setHeader('Cache-Control', 'no-cache');
    if (matchesEtag(req.headers['if-none-match'], b.etag)) {
      res.statusCode = 304;
      res.end();
      return;
    }
    const enc = pickEncoding(req.headers['accept-encoding']);
    const body = await this.variant(b, enc);
    res.statusCode = 200;
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    if (enc !== 'identity') res.setHeader('Content-Encoding', enc);
    res.setHeader('Content-Length', body.length);
    res.end(req.method === 'HEAD' ? undefined : body);
  }
}

export function matchesEtag(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  // What browsers send: the ETag they were given, as is.
  if (header === etag) return true;
  if (header.trim() === '*') return true;
  return header.split(',').some((t) => t.trim().replace(/^W\//, '') === etag);
}

/**
 * Accept-Encoding values seen, and the choice for each: browsers send a handful of distinct
 * values, and parsing one per request was ~7% of the server's CPU on /api/live (scripts/bench:
 * snapshot). Bounded, so that clients sending endless variants cannot grow it.
 */
const encodingChoices = new Map<string, Encoding>();
const MAX_ENCODING_CHOICES = 64;

export function pickEncoding(header: string | undefined): Encoding {
  if (!header) return 'identity';
  let choice = encodingChoices.get(header);
  if (choice === undefined) {
    choice = parseEncoding(header);
    if (encodingChoices.size >= MAX_ENCODING_CHOICES) encodingChoices.clear();
    encodingChoices.set(header, choice);
  }
  return choice;
}

function parseEncoding(header: string): Encoding {
  const accepted = new Map<string, number>();
  for (const part of header.split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    accepted.set(name ?? '', q ? Number(q.slice(2)) : 1);
  }
  const ok = (e: string) => (accepted.get(e) ?? accepted.get('*') ?? 0) > 0;
  if (ok('br')) return 'br';
  if (ok('gzip')) return 'gzip';
  return 'identity';
}
