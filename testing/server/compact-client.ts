// A compact-feed client for tests and benchmarks: what the resident page does (start from the
// brotli `GET /api/live` body, ask the socket for the deltas since), decoding every frame with the
// shared decoder, and counting every byte the server sends it on the wire.
import { get } from 'node:http';
import { brotliDecompressSync } from 'node:zlib';
import { io as connect, type Socket } from 'socket.io-client';
import { decodeDelta, decodeSnapshot, receiveDelta, receiveSnapshot } from '../../shared/compact-feed.js';
import type { ClientToServerEvents, ServerToClientEvents } from '../../shared/events.js';
import { LIVE_EPOCH_HEADER } from '../../shared/live-epoch.js';
import { SnapshotSchema, type LiveState, type Snapshot } from '../../shared/schemas.js';

export interface LiveBody {
  snapshot: Snapshot;
  epoch: string | null;
  /** Bytes of the brotli body as sent. */
  brBytes: number;
}

/** `GET /api/live` as a browser asks for it (brotli), with the raw body size. */
export function fetchLiveBr(url: string): Promise<LiveBody> {
  return new Promise((resolve, reject) => {
    get(`${url}/api/live`, { headers: { 'accept-encoding': 'br' } }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (b: Buffer) => parts.push(b));
      res.on('end', () => {
        try {
          const raw = Buffer.concat(parts);
          if (res.statusCode !== 200 || res.headers['content-encoding'] !== 'br')
            throw new Error(`HTTP ${res.statusCode}`);
          const snapshot = SnapshotSchema.parse(JSON.parse(brotliDecompressSync(raw).toString()));
          const epoch = res.headers[LIVE_EPOCH_HEADER.toLowerCase()];
          resolve({ snapshot, epoch: typeof epoch === 'string' ? epoch : null, brBytes: raw.length });
        } catch (err) {
          reject(err instanceof Error ? err : new Error(String(err)));
        }
      });
      res.on('error', reject);
    }).on('error', reject);
  });
}

/** Websocket frame header bytes for a server-to-client (unmasked) message of this payload size. */
export const wsHeader = (n: number) => (n < 126 ? 2 : n < 65_536 ? 4 : 10);

/** What a compact-feed client holds, whichever transport brings the frames. */
export interface CompactHeld {
  sites: Map<string, LiveState>;
  version: number;
  epoch: string | null;
  snapshots: number;
  deltas: number;
  errors: string[];
}

/**
 * Applies compact frames to what a client holds, as the page does: a snapshot replaces it, a
 * delta must continue its version. Returns the sites a delta changed (null for anything else).
 */
export function applyCompact(
  got: CompactHeld,
  ids: readonly string[],
  event: 'live:compact-snapshot' | 'live:compact-delta',
  raw: unknown,
): LiveState[] | null {
  const fail = (why: string) => {
    got.errors.push(why);
    return null;
  };
  if (event === 'live:compact-snapshot') {
    const frame = receiveSnapshot(raw);
    if (!frame) return fail('malformed snapshot');
    const s = decodeSnapshot(frame, ids);
    got.sites = new Map(s.sites.map((l) => [l.siteId, l]));
    got.version = s.version;
    got.epoch = s.epoch;
    got.snapshots++;
    return null;
  }
  const frame = receiveDelta(raw);
  if (!frame) return fail('malformed delta');
  if (frame[1] !== got.version) return fail(`delta since ${frame[1]} on ${got.version}`);
  const d = decodeDelta(frame, ids, (id) => got.sites.get(id));
  for (const l of d.changed) got.sites.set(l.siteId, l);
  got.version = d.version;
  got.deltas++;
  return d.changed;
}

export interface CompactClient {
  socket: Socket<ServerToClientEvents, ClientToServerEvents>;
  got: CompactHeld & {
    /** JSON feed events received (a compact client should get none). */
    jsonEvents: number;
    /** Every byte received on the websocket, frame headers included. */
    wireBytes: number;
    /** Wire bytes of each compact delta. */
    deltaBytes: number[];
  };
}

/**
 * Connects a compact client; with `start` it holds that body's state and version first (as the
 * page does) and asks for the deltas since.
 */
export function compactClient(url: string, ids: readonly string[], start?: LiveBody): CompactClient {
  const got: CompactClient['got'] = {
    sites: new Map((start?.snapshot.sites ?? []).map((l) => [l.siteId, l])),
    version: start?.snapshot.version ?? -1,
    epoch: start?.epoch ?? null,
    snapshots: 0,
    deltas: 0,
    jsonEvents: 0,
    wireBytes: 0,
    deltaBytes: [],
    errors: [],
  };
  const resume = got.version >= 0 && got.epoch ? { since: got.version, epoch: got.epoch } : {};
  const socket: CompactClient['socket'] = connect(url, {
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    auth: { feed: 'compact', ...resume },
  });
  // The engine exists as soon as the manager opens (synchronously here): no frame is missed.
  socket.io.engine.on('packet', (p: { type: string; data?: unknown }) => {
    const text = typeof p.data === 'string' ? p.data : '';
    const n = 1 + Buffer.byteLength(text);
    got.wireBytes += n + wsHeader(n);
    if (text.startsWith('2["live:compact-delta"')) got.deltaBytes.push(n + wsHeader(n));
  });
  socket.on('live:compact-snapshot', (raw) => void applyCompact(got, ids, 'live:compact-snapshot', raw));
  socket.on('live:compact-delta', (raw) => void applyCompact(got, ids, 'live:compact-delta', raw));
  for (const ev of ['live:snapshot', 'live:delta', 'summary:updated'] as const) socket.on(ev, () => got.jsonEvents++);
  socket.on('connect_error', (e) => got.errors.push(e.message));
  return { socket, got };
}
