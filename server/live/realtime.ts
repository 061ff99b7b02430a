// Socket.IO: a Snapshot on connect, then at most one Delta and one Summary per frame, encoded and
// framed once and written to every client (broadcast.ts). A client that asks for the compact feed
// at connect gets the same content compactly instead (compact.ts), and no summary. Staff sockets
// authenticate with their token in the handshake and are cut off the moment it is revoked, and
// again checked against the store after any break of the store's subscription (a revocation may
// have been missed). What one connection may cost is bounded by conn-guard.ts.
import type { Server as HttpServer, IncomingMessage } from 'node:http';
import { Server } from 'socket.io';
import { FeedRequestSchema, type FeedRequest } from '../../shared/compact-feed.js';
import type { ClientToServerEvents, InterServerEvents, ServerToClientEvents, SocketData } from '../../shared/events.js';
import type { Notice, Snapshot } from '../../shared/schemas.js';
import { staffTokenHash } from '../auth/tokens.js';
import { issuesOf, rawHttpError } from '../errors.js';
import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';
import type { RateLimiter } from '../ratelimit.js';
import type { Store } from '../store/types.js';
import { releaseHandshake } from './conn-memory.js';
import { broadcastEncoded, connBudget, encodeEvent, type BroadcastResult, type EncodedMessage } from './broadcast.js';
import { CompactFeed } from './compact.js';
import { ConnGuard, ENGINE_OPS } from './conn-guard.js';
import { connHasPreFramedShape, type EngineConnLike } from './engine-adapter.js';
import type { LiveEngine, Frame } from './engine.js';
import type { NoticeBoard } from './notices.js';
import { FEED_PATH, PlainFeed } from './plain-feed.js';

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
  clock: Clock;
  logger: Logger;
  metrics: Metrics;
  allowedOrigins: readonly string[];
  notices: NoticeBoard;
  /** The client's address as Express works it out (same `trust proxy`). */
  clientIp: (req: IncomingMessage) => string;
  /** Failed sign-ins per IP, shared with HTTP (auth/failures.ts). */
  authFailures: RateLimiter;
  /** Socket.IO heartbeat (config.socketPingMs / socketPingTimeoutMs). */
  pingIntervalMs: number;
  pingTimeoutMs: number;
  /** Packet limits per connection and per IP (config.socketPacketsPerMin, socketIpPacketsPerMin). */
  packetsPerMin: { conn: number; ip: number };
  /** False: frames go through public engine.io writes only (tests of the fallback). */
  preFramed?: boolean;
}

export interface Realtime {
  io: IoServer;
  /** Sends a frame's delta and summary to every client, each encoded once. */
  broadcast(frame: Frame): BroadcastResult;
  /** Checks every staff socket's token against the store; cuts those whose token is gone. */
  recheckStaff(): Promise<number>;
  /** Whether frames are written pre-framed (false once the adapter's check failed). */
  readonly preFramed: boolean;
  /** Tells every client, on both feeds, the notices now in force. */
  notices(list: readonly Notice[]): void;
  /** The resident page's plain websocket feed (plain-feed.ts). */
  readonly plain: PlainFeed;
  /** Closes every connection of both kinds (the HTTP server too). */
  close(): Promise<void>;
}

export function createRealtime(httpServer: HttpServer, deps: RealtimeDeps): Realtime {
  const { engine, store, logger, metrics } = deps;
  const io: IoServer = new Server(httpServer, {
    serveClient: false,
    maxHttpBufferSize: MAX_MESSAGE_BYTES,
    pingInterval: deps.pingIntervalMs,
    pingTimeout: deps.pingTimeoutMs,
    // With compression, ws queues messages while it deflates, and the pre-framed writes
    // (broadcast.ts) could overtake them.
    perMessageDeflate: false,
    // Upgrades to other paths are answered below (the plain feed, or a JSON 404), not left to
    // engine.io's timer.
    destroyUpgrade: false,
    allowRequest: (req, cb) =>
      cb(
        originAllowed(req, deps.allowedOrigins) ? null : 'origin not allowed',
        originAllowed(req, deps.allowedOrigins),
      ),
    cors: { origin: false },
  });

  const snap = encodedSnapshot(engine);
  const compact = new CompactFeed(engine);
  /** The feed request of a socket between its handshake and its connection. */
  const requests = new WeakMap<object, FeedRequest>();
  let lastFrameBytes = 0;
  // The snapshot sizes last encoded, not a fresh encoding: after every frame the snapshot is
  // stale, and re-serialising it only to weigh it was a third of a 50,000-site frame's task
  // (scripts/bench: carrier). A size one frame old bounds a backlog just as well.
  const budget = () => connBudget(lastFrameBytes, Math.max(snap.lastBytes(), compact.lastSnapshotBytes()));
  const guard = new ConnGuard({
    clock: deps.clock,
    budgetBytes: budget,
    connPacketsPerMin: deps.packetsPerMin.conn,
    ipPacketsPerMin: deps.packetsPerMin.ip,
    onCut: (reason) => metrics.socketsCut.inc({ reason }),
  });
  let preFramed = deps.preFramed ?? true;
  let shapeChecked = false;
  const plain = new PlainFeed({
    compact,
    guard,
    originAllowed: (req) => originAllowed(req, deps.allowedOrigins),
    clientIp: deps.clientIp,
    notices: () => deps.notices.list(),
    heartbeatMs: deps.pingIntervalMs,
    maxMessageBytes: MAX_MESSAGE_BYTES,
    preFramed,
    onOpen: () => metrics.sockets.inc(),
    onClose: () => metrics.sockets.dec(),
  });
  httpServer.on('upgrade', (req: IncomingMessage, socket: import('node:stream').Duplex, head: Buffer) => {
    const path = (req.url ?? '/').split('?', 1)[0];
    if (path === FEED_PATH) plain.upgrade(req, socket, head);
    else if (!path!.startsWith('/socket.io/')) rawHttpError(socket, 404, 'not_found', 'No websocket here.');
  });

  io.use(async (socket, next) => {
    socket.data.staff = null;
    // An auth that is no object at all is an anonymous JSON viewer, as with none.
    const auth: unknown = socket.handshake.auth;
    const feed = FeedRequestSchema.safeParse(auth !== null && typeof auth === 'object' ? auth : {});
    if (!feed.success) return next(invalidFeedRequest(feed.error));
    socket.data.feed = feed.data.feed;
    requests.set(socket, feed.data);
    const token = (auth as { token?: unknown } | undefined)?.token;
    if (token === undefined || token === null || token === '') return next();
    // A staff token in a handshake is a sign-in, judged as on HTTP (auth/failures.ts): a valid
    // token is never refused for its address's failures (tablets share carrier NAT addresses); an
    // unknown one counts as a failure, and an address with none left is told `rate_limited`.
    const ip = deps.clientIp(socket.request);
    try {
      const hash = typeof token === 'string' ? staffTokenHash(token) : null;
      const rec = hash === null ? null : await store.findStaffToken(hash);
      if (!rec) {
        if (deps.authFailures.blocked(ip)) return next(new Error('rate_limited'));
        deps.authFailures.take(ip);
        return next(new Error('unauthorized'));
      }
      socket.data.staff = { tokenId: rec.tokenId, siteId: rec.siteId, hash: rec.hash };
      next();
    } catch {
      next(new Error('store_unavailable'));
    }
  });

  // Shared by every connection (`this` is the engine.io connection): per-socket closures are
  // memory each idle connection keeps. Runs before Socket.IO decodes the packet.
  function onPacket(this: EngineConnLike & { id: string }, packet: { type: string; data?: unknown }) {
    if (packet.type !== 'message') return;
    if (!guard.admit(this)) return;
    // `live:resync` (or `live:compact-resync`) with an acknowledgement id: "2<id>[\"live:resync\"...".
    // The answer is the ACK packet around the snapshot JSON (or compact JSON) encoded once per version.
    const m = typeof packet.data === 'string' ? RESYNC.exec(packet.data) : null;
    if (!m) return;
    const json = m[2] ? compact.snapshot().json : snap().json;
    guard.answerResync(this, `3${m[1]}[${json}]`);
  }
  // At the engine's connection, before Socket.IO's: packets sent right behind the handshake (before
  // the namespace is connected) are counted too.
  type Conn = EngineConnLike & { id: string; request: IncomingMessage; on(ev: 'packet', fn: typeof onPacket): void };
  io.engine.on('connection', (conn: Conn) => {
    guard.attach(conn, deps.clientIp(conn.request), conn.id, ENGINE_OPS);
    conn.on('packet', onPacket);
  });
  /** JSON sockets connected: with none, a frame's JSON delta and summary are not encoded at all. */
  let jsonSockets = 0;
  const onDisconnect = () => metrics.sockets.dec();
  const onJsonDisconnect = () => {
    jsonSockets--;
    metrics.sockets.dec();
  };
  io.on('connection', (socket) => {
    metrics.sockets.inc();
    const request = requests.get(socket);
    requests.delete(socket);
    const conn = socket.conn as unknown as Conn;
    if (!shapeChecked && conn.transport.name === 'websocket') {
      shapeChecked = true;
      if (preFramed && !connHasPreFramedShape(conn)) {
        preFramed = false;
        logger.warn('engine.io/ws internals changed: broadcasting through public writes');
      }
    }
    const staff = socket.data.staff;
    if (staff) void socket.join([`token:${staff.tokenId}`, `site:${staff.siteId}`]);
    if (socket.data.feed === 'compact') {
      for (const m of compact.forConnect(request ?? { feed: 'compact' })) conn.write(m.packet);
      socket.on('disconnect', onDisconnect);
    } else {
      conn.write(snap().packet);
      jsonSockets++;
      socket.on('disconnect', onJsonDisconnect);
    }
    guard.ready(conn);
    socket.emit('notices:updated', deps.notices.list());
    releaseHandshake(socket);
  });

  const broadcast = (frame: Frame): BroadcastResult => {
    // Always encoded: it is kept for compact clients that connect later with an older version.
    const compactMessages = [compact.frame(frame)];
    let jsonMessages: EncodedMessage[] = [];
    if (jsonSockets > 0) {
      const delta = encodeEvent('live:delta', frame.delta);
      jsonMessages = frame.summary ? [delta, encodeEvent('summary:updated', frame.summary)] : [delta];
    }
    const bytes = (ms: EncodedMessage[]) => ms.reduce((a, x) => a + x.bytes, 0);
    lastFrameBytes = Math.max(bytes(jsonMessages), bytes(compactMessages));
    const opts = { preFramed, budgetBytes: budget() };
    const result = broadcastEncoded(sockets('json'), jsonMessages, opts);
    const more = broadcastEncoded(sockets('compact'), compactMessages, opts);
    result.direct += more.direct;
    result.queued += more.queued;
    result.cut += more.cut;
    if (result.cut) metrics.socketsCut.inc({ reason: 'budget' }, result.cut);
    // Counted in the metrics by the guard, which judges the plain feed's sockets.
    result.cut += plain.broadcast(compactMessages[0]!);
    metrics.frames.inc();
    metrics.frameSites.observe(frame.delta.sites.length);
    metrics.frameBytes.observe(jsonMessages[0]?.bytes ?? compactMessages[0]!.bytes);
    return result;
  };
  function* sockets(feed: FeedRequest['feed']) {
    for (const s of io.sockets.sockets.values()) if (s.data.feed === feed) yield s;
  }

  const recheckStaff = async (): Promise<number> => {
    let cut = 0;
    for (const socket of io.sockets.sockets.values()) {
      const staff = socket.data.staff;
      if (!staff) continue;
      const rec = await store.findStaffToken(staff.hash);
      if (!rec) {
        cutOffToken(io, staff.tokenId, staff.siteId);
        cut++;
      }
    }
    return cut;
  };

  logger.debug('realtime ready');
  return {
    io,
    broadcast,
    recheckStaff,
    get preFramed() {
      return preFramed;
    },
    notices(list) {
      io.emit('notices:updated', [...list]);
      plain.notices(list);
    },
    plain,
    close: () =>
      new Promise<void>((resolve) => {
        plain.close();
        // io.close() also closes the HTTP server; connections still open are ended.
        void io.close(() => resolve());
        httpServer.closeAllConnections();
      }),
  };
}

/**
 * A Socket.IO EVENT `live:resync` on the main namespace that asks for an acknowledgement and
 * carries no arguments (the event map's only form; with arguments the request is ignored).
 */
const RESYNC = /^2(\d{1,15})\["live:(compact-)?resync"\s*\]$/;

/** A handshake whose feed request is malformed is refused with the contract's error body. */
function invalidFeedRequest(error: import('zod').ZodError): Error {
  const err = new Error('invalid_request') as Error & { data: unknown };
  err.data = { error: 'invalid_request', message: 'Invalid feed request.', issues: issuesOf(error) };
  return err;
}

/**
 * The snapshot as JSON and as the Socket.IO EVENT packet sent on connect, encoded once per
 * snapshot: emitting stringifies every site and scans it for binary data per connection (~0.7 ms
 * at 986 sites), seconds of CPU when 10,000 clients reconnect after a restart, and a resync
 * answer would cost a fresh serialisation per request (issue 15.1).
 */
function encodedSnapshot(engine: LiveEngine): {
  (): { json: string; packet: string; bytes: number };
  /** Bytes of the snapshot last encoded (0 before the first), without encoding a newer one. */
  lastBytes(): number;
} {
  let snapshot: Snapshot | null = null;
  let cur = { json: '', packet: '', bytes: 0 };
  const get = () => {
    const s = engine.snapshot();
    if (s !== snapshot) {
      snapshot = s;
      const json = JSON.stringify(s);
      const packet = `2["live:snapshot",${json}]`;
      cur = { json, packet, bytes: Buffer.byteLength(packet) };
    }
    return cur;
  };
  return Object.assign(get, { lastBytes: () => cur.bytes });
}

/** Revocation takes effect on open sockets at once, on this instance; others get the store message. */
export function cutOffToken(io: IoServer, tokenId: string, siteId: string): void {
  const room = `token:${tokenId}`;
  io.to(room).emit('staff:revoked', { tokenId, siteId });
  io.in(room).disconnectSockets(true);
}
