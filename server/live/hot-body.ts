// Prebuilt, precompressed bodies for the hot public reads (/api/live, /api/sites), served beneath
// Express: a request costs a header write and a buffer write, not a JSON.stringify and a gzip.
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { promisify } from 'node:util';
import { brotliCompress, constants as zc, gzip } from 'node:zlib';

const gzipAsync = promisify(gzip);
const brotliAsync = promisify(brotliCompress);

type Encoding = 'br' | 'gzip' | 'identity';

/** Header lists as `writeHead` takes them flat ([name, value, name, value, ...]): no per-request header objects. */
type RawHeaders = Array<string | number>;

interface Built {
  key: string | number;
  etag: string;
  identity: Buffer;
  builtAt: number;
  /** Compressed variants are made on first demand, off the event loop (zlib's thread pool). */
  pending: Partial<Record<'br' | 'gzip', Promise<Buffer>>>;
  /** Once made, a variant is answered synchronously: no promise hop per request. */
  ready: Partial<Record<Encoding, { body: Buffer; headers: RawHeaders }>>;
  notModified: RawHeaders;
}

export interface HotBodySource {
  /** Changes whenever the body would change. */
  key(): string | number;
  json(): string;
}

/**
 * A body larger than this (registries of tens of thousands of sites; the bundled 986-site city is
 * ~0.2 MB) is rebuilt at most once per `minRebuildMs`, the realtime frame. Decided by size, not by
 * how long the last build took: a build timed on a busy machine must not make a small city serve a
 * stale body after an acknowledged write.
 */
const LARGE_BODY_BYTES = 1024 * 1024;

export class HotBody {
  private current: Built | null = null;
  private readonly common: RawHeaders;

  constructor(
    private readonly source: HotBodySource,
    private readonly minRebuildMs: number,
    headers: readonly string[] = [],
  ) {
    this.common = [...headers];
  }

  private get(): Built {
    const key = this.source.key();
    const cur = this.current;
    if (cur && cur.key === key) return cur;
    // Big registries: serving a body one frame old beats re-serialising megabytes per request.
    if (cur && cur.identity.length > LARGE_BODY_BYTES && Date.now() - cur.builtAt < this.minRebuildMs) return cur;
    const identity = Buffer.from(this.source.json());
    const etag = `"${createHash('sha1').update(identity).digest('base64url')}"`;
    const notModified = [...this.common, 'ETag', etag, 'Vary', 'Accept-Encoding', 'Cache-Control', 'no-cache'];
    const built: Built = { key, etag, identity, builtAt: Date.now(), pending: {}, ready: {}, notModified };
    this.ready(built, 'identity', identity);
    this.current = built;
    return built;
  }

  private ready(b: Built, enc: Encoding, body: Buffer) {
    const headers = [...b.notModified, 'Content-Type', 'application/json; charset=utf-8'];
    if (enc !== 'identity') headers.push('Content-Encoding', enc);
    headers.push('Content-Length', body.length);
    return (b.ready[enc] = { body, headers });
  }

  private compress(b: Built, enc: 'br' | 'gzip') {
    let p = b.pending[enc];
    if (!p) {
      p =
        enc === 'br'
          ? brotliAsync(b.identity, {
              params: { [zc.BROTLI_PARAM_QUALITY]: 5, [zc.BROTLI_PARAM_SIZE_HINT]: b.identity.length },
            })
          : gzipAsync(b.identity, { level: 6 });
      b.pending[enc] = p;
    }
    return p.then((body) => b.ready[enc] ?? this.ready(b, enc, body));
  }

  /**
   * Answers the request fully (200 or 304): synchronously once the variant exists, which is every
   * request but the first few after a change.
   */
  serve(req: IncomingMessage, res: ServerResponse): void | Promise<void> {
    const b = this.get();
    if (matchesEtag(req.headers['if-none-match'], b.etag)) {
      res.writeHead(304, b.notModified).end();
      return;
    }
    const enc = pickEncoding(req.headers['accept-encoding']);
    const variant = b.ready[enc];
    const head = req.method === 'HEAD';
    if (variant) {
      res.writeHead(200, variant.headers).end(head ? undefined : variant.body);
      return;
    }
    return this.compress(b, enc as 'br' | 'gzip').then((v) => {
      res.writeHead(200, v.headers).end(head ? undefined : v.body);
    });
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
