// A client of the plain websocket feed (`/feed`, server/live/plain-feed.ts) for tests and
// benchmarks: what the resident page's worker does, decoding every frame with the shared decoder
// and counting every byte received on the wire.
import WebSocket from 'ws';
import type { LiveState, Notice } from '../../shared/schemas.js';
import { applyCompact, wsHeader, type CompactHeld, type LiveBody } from './compact-client.js';

export interface PlainClient {
  ws: WebSocket;
  got: CompactHeld & {
    heartbeats: number;
    notices: Notice[][];
    /** Every byte received on the websocket, frame headers included. */
    wireBytes: number;
    /** Wire bytes of each compact delta. */
    deltaBytes: number[];
    /** The HTTP status of a refused upgrade, and its body. */
    refused: { status: number; body: string } | null;
    closed: boolean;
  };
}

export interface PlainClientOptions {
  /** Start from this body's state and version (as the page does) and ask for the deltas since. */
  start?: LiveBody;
  /** Extra query text (tests of malformed requests). */
  query?: string;
  headers?: Record<string, string>;
  /** False: never answer the server's pings (a client that stopped reading). */
  autoPong?: boolean;
  /** Called with the sites each delta changed, once applied. */
  onDelta?: (changed: LiveState[]) => void;
}

export function plainClient(url: string, ids: readonly string[], opts: PlainClientOptions = {}): PlainClient {
  const { start } = opts;
  const got: PlainClient['got'] = {
    sites: new Map((start?.snapshot.sites ?? []).map((l) => [l.siteId, l])),
    version: start?.snapshot.version ?? -1,
    epoch: start?.epoch ?? null,
    snapshots: 0,
    deltas: 0,
    heartbeats: 0,
    notices: [],
    wireBytes: 0,
    deltaBytes: [],
    errors: [],
    refused: null,
    closed: false,
  };
  const query =
    opts.query ?? (got.version >= 0 && got.epoch ? `?since=${got.version}&epoch=${encodeURIComponent(got.epoch)}` : '');
  const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/feed${query}`, {
    headers: opts.headers ?? {},
    autoPong: opts.autoPong ?? true,
    perMessageDeflate: false,
  });
  ws.on('unexpected-response', (_req, res) => {
    const parts: Buffer[] = [];
    res.on('data', (b: Buffer) => parts.push(b));
    res.on('end', () => (got.refused = { status: res.statusCode ?? 0, body: Buffer.concat(parts).toString() }));
  });
  ws.on('error', (e) => got.errors.push(e.message));
  ws.on('close', () => (got.closed = true));
  ws.on('message', (data: Buffer, isBinary: boolean) => {
    const n = data.length;
    // A page gets a binary message as a Blob it does not read: every message must be text.
    if (isBinary) return void got.errors.push('binary message');
    got.wireBytes += n + wsHeader(n);
    let msg: unknown;
    try {
      msg = JSON.parse(data.toString());
    } catch {
      return void got.errors.push('not JSON');
    }
    if (!Array.isArray(msg)) return void got.errors.push('not an array');
    const [event, payload] = msg as [unknown, unknown];
    if (event === 'live:heartbeat') got.heartbeats++;
    else if (event === 'notices:updated') got.notices.push(payload as Notice[]);
    else if (event === 'live:compact-snapshot') applyCompact(got, ids, event, payload);
    else if (event === 'live:compact-delta') {
      got.deltaBytes.push(n + wsHeader(n));
      const changed = applyCompact(got, ids, event, payload);
      if (changed) opts.onDelta?.(changed);
    } else got.errors.push(`unknown event ${String(event)}`);
  });
  return { ws, got };
}
