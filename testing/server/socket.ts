// A Socket.IO client for tests that records everything it receives.
import { io as connect, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '../../shared/events.js';
import type { Delta, Snapshot, Summary } from '../../shared/schemas.js';

export type Client = Socket<ServerToClientEvents, ClientToServerEvents>;

/** A client that records everything it receives. */
export function recorder(url: string, opts: { token?: string; extraHeaders?: Record<string, string> } = {}) {
  const socket: Client = connect(url, {
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    auth: opts.token ? { token: opts.token } : {},
    extraHeaders: opts.extraHeaders,
  });
  const got = {
    snapshots: [] as Snapshot[],
    deltas: [] as Delta[],
    summaries: [] as Summary[],
    revoked: 0,
    errors: [] as string[],
    disconnects: 0,
  };
  socket.on('live:snapshot', (s) => got.snapshots.push(s));
  socket.on('live:delta', (d) => got.deltas.push(d));
  socket.on('summary:updated', (s) => got.summaries.push(s));
  socket.on('staff:revoked', () => got.revoked++);
  socket.on('connect_error', (e) => got.errors.push(e.message));
  socket.on('disconnect', () => got.disconnects++);
  return { socket, got };
}
