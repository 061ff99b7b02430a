// What an idle Socket.IO connection keeps alive that nothing needs once it is connected. An idle
// websocket client cost ~10.6 KB of heap (heap-snapshot diff over 2,000 connections), ~2 KB of it
// the HTTP upgrade request, its headers and listeners: engine.io keeps the request as
// `conn.request` and, through a response stand-in's `close` listener on the TCP socket, for the
// connection's whole life (what the upgrade leaves is dropped by engine-adapter.ts, the one place
// that reaches into engine.io and ws). Only the main namespace exists here, and its handshake is
// built by now.
import type { IncomingHttpHeaders } from 'node:http';
import type { ParsedUrlQuery } from 'node:querystring';
import type { Socket } from 'socket.io';
import { releaseUpgrade } from './engine-adapter.js';

const NO_HEADERS: IncomingHttpHeaders = Object.freeze({});
const NO_AUTH: Readonly<Record<string, never>> = Object.freeze({});
const NO_QUERY: ParsedUrlQuery = Object.freeze({});

/** Drops the connection's references to its upgrade request, its headers and its auth payload. */
export function releaseHandshake(socket: Socket): void {
  const conn = socket.conn as unknown as {
    request?: unknown;
    transport: unknown;
    once(ev: 'upgrade', fn: (t: unknown) => void): void;
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
  if (socket.conn.transport.name === 'websocket') releaseUpgrade(conn.transport);
  // A polling session that upgrades holds its upgrade request the same way.
  else conn.once('upgrade', releaseUpgrade);
}
