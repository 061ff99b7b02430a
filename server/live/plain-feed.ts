// The compact feed on a plain WebSocket (`/feed`), what the resident page uses. Residents are the
// crowd (a million open pages in a megacity), and a Socket.IO connection costs engine.io's and
// Socket.IO's objects, a heartbeat timer and a decoder each: 3.5x the heap of a bare websocket
// (docs/performance.md). Here a connection is ws's own object and one map entry; one timer beats
// for all of them. The content is the compact feed's (shared/compact-feed.ts), encoded once per
// frame for every socket; the messages are the same JSON arrays Socket.IO would carry,
// `[event, payload]`, so one decoder reads both (docs/realtime.md, "Plain feed"):
//   server -> client: live:compact-snapshot, live:compact-delta, notices:updated, live:heartbeat
//   client -> server: ["live:compact-resync"] (answered with a snapshot)
// Staff, the wall and outside tools keep Socket.IO (tokens, rooms, summaries, long-polling).
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket, type RawData } from 'ws';
import { FeedRequestSchema, type FeedRequest } from '../../shared/compact-feed.js';
import type { Notice } from '../../shared/schemas.js';
import { invalid, rawHttpError } from '../errors.js';
import type { EncodedMessage } from './broadcast.js';
import type { CompactFeed } from './compact.js';
import type { ConnGuard, ConnOps } from './conn-guard.js';
import { frameText, wsHasFramedShape, writeWsFramed } from './engine-adapter.js';

export const FEED_PATH = '/feed';
/** What a client asks for a snapshot with (the only message it may send). */
export const RESYNC_MESSAGE = '["live:compact-resync"]';
/** Heartbeats a client may leave unanswered (ws pongs) before it is dropped as dead. */
const MISSED_BEATS = 2;
/**
 * A heartbeat round is spread over this many ticks, each beating a share of the sockets: one loop
 * over 100,000 sockets would hold the event loop for hundreds of milliseconds every few seconds.
 */
const BEAT_SLICES = 10;
const WS_OPEN = 1;
/** Every message is JSON text (ws would send a Buffer as a binary message, a Blob to a page). */
const TEXT = { binary: false } as const;

/** A message as sent on this feed: its text, and its websocket frame built once (null: ws cannot frame). */
interface PlainMessage {
  data: Buffer;
  frame: Buffer[] | null;
}
function plainMessage(json: string): PlainMessage {
  const data = Buffer.from(json);
  return { data, frame: frameText(data) };
}
/** The Socket.IO packet minus its leading "2" (EVENT) is the `[event, payload]` JSON itself. */
const plainCache = new WeakMap<EncodedMessage, PlainMessage>();
function plainOf(m: EncodedMessage): PlainMessage {
  let p = plainCache.get(m);
  if (!p) plainCache.set(m, (p = plainMessage(m.packet.slice(1))));
  return p;
}

const PLAIN_OPS: ConnOps<WebSocket> = {
  backlog: (ws) => ws.bufferedAmount,
  open: (ws) => ws.readyState === WS_OPEN,
  cut: (ws) => ws.terminate(),
  write: (ws, data, done) => ws.send(data, TEXT, () => done()),
};

export interface PlainFeedDeps {
  compact: CompactFeed;
  /** The same guard (packet limits, byte budget, the cut metric) as Socket.IO connections. */
  guard: ConnGuard;
  originAllowed: (req: IncomingMessage) => boolean;
  clientIp: (req: IncomingMessage) => string;
  notices: () => readonly Notice[];
  heartbeatMs: number;
  maxMessageBytes: number;
  /** False: public ws writes only (a test of the fallback, or the adapter's check failed). */
  preFramed: boolean;
  onOpen: () => void;
  onClose: () => void;
}

export class PlainFeed {
  private readonly wss: WebSocketServer;
  /** Open sockets and the heartbeats each has left unanswered. */
  private readonly conns = new Map<WebSocket, number>();
  private readonly timer: NodeJS.Timeout;
  private readonly beat: PlainMessage = plainMessage('["live:heartbeat"]');
  /** The heartbeat and a ping, one write per socket: the ping's pong says the client still reads. */
  private readonly beatWire: Buffer | null;
  private preFramed: boolean;
  private shapeChecked = false;
  /** The notices message, encoded once per list (every connection is sent it). */
  private noticesOf: readonly Notice[] | null = null;
  private noticesMsg: PlainMessage | null = null;
  private nextKey = 0;
  /**
   * Listeners shared by every socket of this feed (`this` is the socket): per-socket closures
   * would be memory each idle connection keeps.
   */
  private readonly on: {
    message: (this: WebSocket, data: RawData, isBinary: boolean) => void;
    pong: (this: WebSocket) => void;
    close: (this: WebSocket) => void;
    error: (this: WebSocket) => void;
  };

  constructor(private readonly deps: PlainFeedDeps) {
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the listeners' `this` is the socket
    const feed = this;
    this.on = {
      message(data, isBinary) {
        feed.message(this, data, isBinary);
      },
      pong() {
        if (feed.conns.has(this)) feed.conns.set(this, 0);
      },
      close() {
        if (feed.conns.delete(this)) feed.deps.onClose();
      },
      // ws closes the socket after an error (a message over maxPayload, a bad frame): 'close' follows.
      error() {},
    };
    this.preFramed = deps.preFramed;
    this.wss = new WebSocketServer({
      noServer: true,
      clientTracking: false,
      perMessageDeflate: false,
      maxPayload: deps.maxMessageBytes,
    });
    const ping = frameText(Buffer.alloc(0), 9);
    this.beatWire = this.beat.frame && ping ? Buffer.concat([...this.beat.frame, ...ping]) : null;
    this.timer = setInterval(() => this.heartbeat(), Math.max(1, Math.round(deps.heartbeatMs / BEAT_SLICES)));
    this.timer.unref();
  }

  get size(): number {
    return this.conns.size;
  }

  /** Takes an upgrade to FEED_PATH: refused with the contract's JSON error, or connected. */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    if (!this.deps.originAllowed(req)) return rawHttpError(socket, 403, 'forbidden', 'Origin not allowed.');
    const query = new URL(req.url ?? '/', 'http://x').searchParams;
    const since = query.get('since');
    const parsed = FeedRequestSchema.safeParse({
      feed: 'compact',
      ...(since === null ? {} : { since: /^\d{1,15}$/.test(since) ? Number(since) : since }),
      ...(query.has('epoch') ? { epoch: query.get('epoch') } : {}),
    });
    if (!parsed.success) {
      const err = invalid(parsed.error, 'feed request');
      return rawHttpError(socket, 400, err.code, err.message, err.extra.issues);
    }
    const ip = this.deps.clientIp(req);
    this.wss.handleUpgrade(req, socket, head, (ws) => this.connected(ws, ip, parsed.data));
  }

  private connected(ws: WebSocket, ip: string, request: FeedRequest): void {
    if (!this.shapeChecked) {
      this.shapeChecked = true;
      if (this.preFramed && !wsHasFramedShape(ws)) this.preFramed = false;
    }
    this.deps.guard.attach(ws, ip, `feed:${this.nextKey++}`, PLAIN_OPS);
    this.conns.set(ws, 0);
    ws.on('message', this.on.message);
    ws.on('pong', this.on.pong);
    ws.on('close', this.on.close);
    ws.on('error', this.on.error);
    this.deps.onOpen();
    for (const m of this.deps.compact.forConnect(request)) ws.send(plainOf(m).data, TEXT);
    ws.send(this.noticesMessage(this.deps.notices()).data, TEXT);
    this.deps.guard.ready(ws);
  }

  /**
   * Sends a frame's compact delta to every socket; returns how many were cut for not reading (the
   * guard has counted them in the metrics already).
   */
  broadcast(message: EncodedMessage): number {
    return this.send(plainOf(message));
  }

  notices(list: readonly Notice[]): void {
    this.send(this.noticesMessage(list));
  }

  private noticesMessage(list: readonly Notice[]): PlainMessage {
    if (list !== this.noticesOf || !this.noticesMsg) {
      this.noticesOf = list;
      this.noticesMsg = plainMessage(JSON.stringify(['notices:updated', list]));
    }
    return this.noticesMsg;
  }

  private send(m: PlainMessage): number {
    const wire = this.preFramed && m.frame ? Buffer.concat(m.frame) : null;
    let cut = 0;
    for (const ws of this.conns.keys()) {
      if (ws.readyState !== WS_OPEN) continue;
      if (!this.deps.guard.withinBudget(ws, m.data.length)) cut++;
      else if (wire) writeWsFramed(ws, wire);
      else ws.send(m.data, TEXT);
    }
    return cut;
  }

  /** Where the current heartbeat round is (Map iterators see later additions and deletions). */
  private round: Iterator<[WebSocket, number]> | null = null;
  private roundShare = 0;

  /** One tick: the next share of the sockets gets its heartbeat; a new round starts when all had one. */
  private heartbeat(): void {
    if (!this.round) {
      this.round = this.conns.entries();
      this.roundShare = Math.max(1, Math.ceil(this.conns.size / BEAT_SLICES));
    }
    for (let n = 0; n < this.roundShare; n++) {
      const next = this.round.next();
      if (next.done) {
        this.round = null;
        return;
      }
      const [ws, missed] = next.value;
      if (ws.readyState !== WS_OPEN) continue;
      if (missed >= MISSED_BEATS) {
        ws.terminate();
        continue;
      }
      this.conns.set(ws, missed + 1);
      if (this.preFramed && this.beatWire) writeWsFramed(ws, this.beatWire);
      else {
        ws.send(this.beat.data, TEXT);
        ws.ping();
      }
    }
  }

  private message(ws: WebSocket, data: RawData, isBinary: boolean): void {
    if (!this.deps.guard.admit(ws)) return;
    if (isBinary || data.toString() !== RESYNC_MESSAGE) return;
    const snap = this.deps.compact.snapshot();
    this.deps.guard.answerResync(ws, plainOf(snap).data);
  }

  close(): void {
    clearInterval(this.timer);
    for (const ws of this.conns.keys()) ws.terminate();
  }
}
