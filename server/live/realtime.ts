// Socket.IO: a Snapshot on connect, then at most one Delta and one Summary per frame, encoded and
// framed once and written to every client (broadcast.ts). Staff sockets authenticate with their
// token in the handshake and are cut off the moment it is revoked.
import type { Server as HttpServer, IncomingMessage } from 'node:http';
import { Server } from 'socket.io';
import type { ClientToServerEvents, InterServerEvents, ServerToClientEvents, SocketData } from '../../shared/events.js';
import type { Snapshot } from '../../shared/schemas.js';
import { staffFromToken } from '../auth/tokens.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';
import type { Store } from '../store/types.js';
import { releaseHandshake } from './conn-memory.js';
import { broadcastEncoded, encodeEvent, type BroadcastResult } from './broadcast.js';
import type { LiveEngine, Frame } from './engine.js';
import type { NoticeBoard } from './notices.js';

export type IoServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

/** Clients only send tiny commands; anything bigger is hostile and closes the connection. */
const MAX_MESSAGE_BYTES = 16 * 1024;

/**
 * Browsers send Origin; a page of another site must not open a socket here (it could read nothing
 * secret, but it could use a visitor's bandwidth and our connections). Non-browser clients send none.
 */
export function originAllowed(req: IncomingMessage, allowed: readonly string[]): boolean {
  const origin = req.headers.origin;
  if (!origin) return true;
  if (allowed.includes(origin)) return true;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}

export interface RealtimeDeps {
  engine: LiveEngine;
  store: Store;
  logger: Logger;
  metrics: Metrics;
  allowedOrigins: readonly string[];
  notices: NoticeBoard;
}

export function createRealtime(httpServer: HttpServer, deps: RealtimeDeps): IoServer {
  const { engine, store, logger, metrics } = deps;
  const io: IoServer = new Server(httpServer, {
    serveClient: false,
    maxHttpBufferSize: MAX_MESSAGE_BYTES,
    // ws's default, spelt out: with compression, ws queues messages while it deflates, and the
    // frames broadcast.ts writes straight to the socket could overtake them.
    perMessageDeflate: false,
    allowRequest: (req, cb) => cb(originAllowed(req, deps.allowedOrigins) ? null : 'origin not allowed', originAllowed(req, deps.allowedOrigins)),
    cors: { origin: false },
  });

  const snapshotPacket = encodedSnapshot(engine);

  io.use(async (socket, next) => {
    socket.data.staff = null;
    const token = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
    if (token === undefined || token === null || token === '') return next();
    try {
      const rec = typeof token === 'string' ? await staffFromToken(store, token) : null;
      if (!rec) return next(new Error('unauthorized'));
      socket.data.staff = { tokenId: rec.tokenId, siteId: rec.siteId };
      next();
    } catch {
      next(new Error('store_unavailable'));
    }
  });

  // Shared by every socket: per-socket closures are memory each idle connection keeps.
  const onResync = (ack: unknown) => {
    if (typeof ack !== 'function') return;
    (ack as (s: Snapshot) => void)(engine.snapshot());
  };
  const onDisconnect = () => metrics.sockets.dec();
  io.on('connection', (socket) => {
    metrics.sockets.inc();
    const staff = socket.data.staff;
    if (staff) void socket.join([`token:${staff.tokenId}`, `site:${staff.siteId}`]);
    socket.conn.write(snapshotPacket());
    socket.emit('notices:updated', deps.notices.list());
    socket.on('live:resync', onResync);
    socket.on('disconnect', onDisconnect);
    releaseHandshake(socket);
  });

  logger.debug('realtime ready');
  return io;
}

/**
 * The snapshot sent on connect as a ready Socket.IO packet: an EVENT ("2" and the JSON array of
 * event name and payload, main namespace), exactly what `socket.emit('live:snapshot', ...)`
 * would encode, but encoded once per snapshot instead of once per socket. Emitting stringifies
 * every site and scans it for binary data per connection (~0.7 ms at 986 sites): seconds of CPU
 * when 10,000 clients reconnect after a restart (scripts/bench: memory, fan-out).
 */
function encodedSnapshot(engine: LiveEngine): () => string {
  let snapshot: Snapshot | null = null;
  let packet = '';
  return () => {
    const s = engine.snapshot();
    if (s !== snapshot) {
      snapshot = s;
      packet = `2${JSON.stringify(['live:snapshot', s])}`;
    }
    return packet;
  };
}

/** The frame's delta, then its summary if any, to every client of the main namespace, in order. */
export function broadcastFrame(io: IoServer, frame: Frame, metrics: Metrics): BroadcastResult {
  const delta = encodeEvent('live:delta', frame.delta);
  const messages = frame.summary ? [delta, encodeEvent('summary:updated', frame.summary)] : [delta];
  const result = broadcastEncoded(io.sockets.sockets.values(), messages);
  metrics.frames.inc();
  metrics.frameSites.observe(frame.delta.sites.length);
  metrics.frameBytes.observe(delta.bytes);
  return result;
}

/** Revocation takes effect on open sockets at once, on this instance; others get the store message. */
export function cutOffToken(io: IoServer, tokenId: string, siteId: string): void {
  const room = `token:${tokenId}`;
  io.to(room).emit('staff:revoked', { tokenId, siteId });
  io.in(room).disconnectSockets(true);
}
