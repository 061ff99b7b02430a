// The one place that knows more of engine.io and ws than their public interfaces (issue 18.3).
// Public: engine.io's `conn.write(data, options, cb)`, `conn.close()`, `conn.transport.name`,
// ws's `bufferedAmount`, `readyState`, `terminate()`. Not public, and checked here at start-up
// (`preFramedSupported`): ws's `Sender.frame` (to frame a broadcast once for every socket), the
// websocket's `_sender.sendFrame` (to write that frame, under engine.io and on the plain feed),
// engine.io's `writeBuffer` (packets it holds behind a write in flight). When a check fails,
// broadcasts go through public emits and the backlog counts only what ws reports. Also not
// public, checked on every use: the websocket transport's `socket` and ws's `_socket` (the TCP
// socket), which `releaseUpgrade` reaches to drop what the upgrade left behind; when either is not
// as expected, nothing is dropped.
import ws from 'ws';

const WS_OPEN = 1;

type FrameFn = (
  data: Buffer,
  o: { readOnly: boolean; mask: boolean; rsv1: boolean; opcode: number; fin: boolean },
) => Buffer[];

interface WsSocketLike {
  readonly readyState: number;
  readonly bufferedAmount: number;
  terminate(): void;
}
interface WsInternals {
  _sender?: { sendFrame?: (list: Buffer[], cb?: () => void) => void };
}
export interface EngineConnLike {
  readonly readyState: string;
  readonly transport: {
    readonly name: string;
    readonly writable?: boolean;
    readonly readyState?: string;
    readonly socket?: WsSocketLike;
  };
  write(data: string, options?: object, cb?: () => void): void;
  close(discard?: boolean): void;
}
interface EngineInternals {
  writeBuffer?: ReadonlyArray<{ data?: unknown }>;
}

const frameFn = (ws as unknown as { Sender?: { frame?: unknown } }).Sender?.frame;

/** ws still exports a static `Sender.frame` (checked once, when this module loads). */
export const canFrame = typeof frameFn === 'function';

/**
 * Frames a payload as one unmasked, final websocket frame (opcode 1: text; 9: ping); null without
 * `Sender.frame`.
 */
export function frameText(data: Buffer, opcode: 1 | 9 = 1): Buffer[] | null {
  if (!canFrame) return null;
  return (frameFn as FrameFn)(data, { readOnly: false, mask: false, rsv1: false, opcode, fin: true });
}

/** A plain ws socket (the plain feed) has the sender the pre-framed path writes through. */
export function wsHasFramedShape(socket: object): boolean {
  return canFrame && typeof (socket as WsInternals)._sender?.sendFrame === 'function';
}

/**
 * Writes pre-framed bytes to a plain ws socket (checked once with wsHasFramedShape). Without
 * permessage-deflate ws's own `send` frames and writes at once, so ordering with it is kept.
 */
export function writeWsFramed(socket: object, wire: Buffer): void {
  (socket as Required<WsInternals>)._sender.sendFrame!([wire]);
}

/** The websocket under an engine.io connection, or undefined while polling. */
const wsOf = (conn: EngineConnLike): WsSocketLike | undefined =>
  conn.transport.name === 'websocket' ? conn.transport.socket : undefined;

/**
 * Checks one live connection for the internals the pre-framed path writes through. Called on the
 * first websocket connection; false makes every broadcast use public emits from then on.
 */
export function connHasPreFramedShape(conn: EngineConnLike): boolean {
  const socket = wsOf(conn) as (WsSocketLike & WsInternals) | undefined;
  if (!socket) return true; // nothing to judge yet; polling never uses the fast path
  return (
    canFrame &&
    Array.isArray((conn as EngineInternals).writeBuffer) &&
    typeof socket._sender?.sendFrame === 'function' &&
    typeof socket.bufferedAmount === 'number'
  );
}

/** Bytes queued to a connection and not yet handed to the kernel: ws's own count plus engine.io's queue. */
export function backlogBytes(conn: EngineConnLike): number {
  let bytes = wsOf(conn)?.bufferedAmount ?? 0;
  const queue = (conn as EngineInternals).writeBuffer;
  if (queue) for (const p of queue) if (typeof p.data === 'string') bytes += p.data.length;
  return bytes;
}

/** Packets engine.io holds for this connection (0 when its queue cannot be seen). */
export const queuedPackets = (conn: EngineConnLike): number => (conn as EngineInternals).writeBuffer?.length ?? 0;

/**
 * Destroys the connection at once: a close handshake would wait behind the backlog (ws: 30 s).
 * engine.io is told first (public `close(true)`), so the packets still in the chunk ws is parsing
 * are dropped as they come out instead of each going on to Socket.IO: with ten flooding clients,
 * that tail of their chunks held the loop for 100-150 ms.
 */
export function cutConnection(conn: EngineConnLike): void {
  const socket = wsOf(conn);
  conn.close(true);
  socket?.terminate();
}

/**
 * Writes a pre-framed buffer straight to the websocket when engine.io has nothing pending for it
 * (so ordering with engine.io's own packets is kept); false when the caller must go through
 * engine.io instead.
 */
export function writePreFramed(conn: EngineConnLike, wire: Buffer): boolean {
  const t = conn.transport;
  const socket = wsOf(conn) as (WsSocketLike & WsInternals) | undefined;
  if (!socket || queuedPackets(conn) !== 0 || !t.writable || t.readyState !== 'open' || socket.readyState !== WS_OPEN)
    return false;
  socket._sender!.sendFrame!([wire]);
  return true;
}

type Listener = (...args: unknown[]) => void;
interface Emitter {
  rawListeners(event: string): Listener[];
  removeListener(event: string, fn: Listener): unknown;
}
const isEmitter = (x: unknown): x is Emitter =>
  typeof (x as Emitter | null)?.rawListeners === 'function' &&
  typeof (x as Emitter | null)?.removeListener === 'function';

/**
 * engine.io's WebSocketResponse re-emits the TCP socket's close to its own listeners (for HTTP
 * middlewares such as pino-http; none is installed on this engine) and so holds the upgrade
 * request. Recognised by shape, not source text: the only `once` listener of the TCP socket's close
 * that is an anonymous function of no arguments (ws's and Node's own are named; conn-memory.test.ts
 * fails should that change, and then the relay merely stays).
 */
const isResponseCloseRelay = (fn: Listener): boolean => {
  const inner = (fn as { listener?: Listener }).listener;
  return inner !== undefined && inner.name === '' && inner.length === 0;
};

/**
 * Drops what a completed websocket upgrade no longer needs (conn-memory.ts): the polling
 * transport's per-request `headers` hooks, the websocket's pre-upgrade error handler and the
 * response relay on its TCP socket. Returns how many listeners went; internals that are not as
 * expected are left alone (the connection then only keeps a little more memory).
 */
export function releaseUpgrade(transport: unknown): number {
  if (!isEmitter(transport) || (transport as { name?: unknown }).name !== 'websocket') return 0;
  let dropped = 0;
  const drop = (on: Emitter, event: string, which: (fn: Listener) => boolean) => {
    for (const fn of on.rawListeners(event))
      if (which(fn)) {
        on.removeListener(event, fn);
        dropped++;
      }
  };
  // Per-request hooks of the polling transport; a websocket transport never emits them again.
  drop(transport, 'headers', () => true);
  const ws: unknown = (transport as { socket?: unknown }).socket;
  if (!isEmitter(ws)) return dropped;
  // Only for errors before the upgrade completed; the transport's own handler stays.
  drop(ws, 'error', (fn) => fn.name === 'onUpgradeError');
  const tcp: unknown = (ws as { _socket?: unknown })._socket;
  if (isEmitter(tcp)) drop(tcp, 'close', isResponseCloseRelay);
  return dropped;
}
