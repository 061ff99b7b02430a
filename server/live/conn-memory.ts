// What an idle Socket.IO connection keeps alive that nothing needs once it is connected. An idle
// websocket client cost ~10.6 KB of heap (heap-snapshot diff over 2,000 connections), ~2 KB of it
// the HTTP upgrade request, its headers and listeners: engine.io keeps the request as
// `conn.request` and, through a response stand-in's `close` listener on the TCP socket, for the
// connection's whole life. Only the main namespace exists here, and its handshake is built by now.
import type { IncomingHttpHeaders } from 'node:http';
import type { ParsedUrlQuery } from 'node:querystring';
import type { Socket } from 'socket.io';

type Listener = (...args: unknown[]) => void;
interface Emitter {
  rawListeners(event: string): Listener[];
  removeListener(event: string, fn: Listener): unknown;
}
type WsTransport = Emitter & { name: string; socket?: Emitter & { _socket?: Emitter | null } };

const NO_HEADERS: IncomingHttpHeaders = Object.freeze({});
const NO_AUTH: Readonly<Record<string, never>> = Object.freeze({});
const NO_QUERY: ParsedUrlQuery = Object.freeze({});

/**
 * engine.io's WebSocketResponse re-emits the socket's close to its own listeners (for HTTP
 * middlewares such as pino-http; none is installed on this engine) and so holds the request.
 * Recognised by shape, not source text: the only `once` listener of the TCP socket's close that is
 * an anonymous function of no arguments (ws's and Node's own are named; conn-memory.test.ts fails
 * should that change, and then the relay merely stays, as without this module).
 */
const isResponseCloseRelay = (fn: Listener): boolean => {
  const inner = (fn as { listener?: Listener }).listener;
  return inner !== undefined && inner.name === '' && inner.length === 0;
};

/** Drops the connection's references to its upgrade request, its headers and its auth payload. */
export function releaseHandshake(socket: Socket): void {
  const conn = socket.conn as unknown as {
    request?: unknown;
    transport: WsTransport;
    once(ev: 'upgrade', fn: (t: WsTransport) => void): void;
  };
  conn.request = undefined;
  // Headers and token are read by the middleware before this point; a staff token stays out of
  // the heap of a long-lived socket. The request's URL, query and date string are copies of the
  // same request (`issued` keeps the time): ~0.2 KB more per connection.
  const hs = socket.handshake;
  hs.headers = NO_HEADERS;
  hs.auth = NO_AUTH;
  hs.query = NO_QUERY;
  hs.url = '';
  hs.time = '';
  if (conn.transport.name === 'websocket') releaseUpgrade(conn.transport);
  // A polling session that upgrades holds its upgrade request the same way.
  else conn.once('upgrade', releaseUpgrade);
}

function releaseUpgrade(transport: WsTransport): void {
  if (transport.name !== 'websocket') return;
  // Per-request hooks of the polling transport; a websocket transport never emits them again.
  for (const fn of transport.rawListeners('headers')) transport.removeListener('headers', fn);
  const ws = transport.socket;
  // Only for errors before the upgrade completed; the transport's own handler stays.
  for (const fn of ws?.rawListeners('error') ?? []) if (fn.name === 'onUpgradeError') ws!.removeListener('error', fn);
  const tcp = ws?._socket;
  for (const fn of tcp?.rawListeners('close') ?? []) if (isResponseCloseRelay(fn)) tcp!.removeListener('close', fn);
}
