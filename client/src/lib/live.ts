// The live feed the staff page, the wall and boards use: Socket.IO, a Snapshot on connect, Deltas
// after, a resync whenever the version chain breaks or the connection comes back. Pages subscribe
// to changes and to connection state (feed-core.ts). The resident page has its own feed on a plain
// websocket (resident/feed-live.ts).
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '../../../shared/events.js';
import type { Snapshot, Summary } from '../../../shared/schemas.js';
import { FeedCore } from './feed-core.js';

export type { ConnectionState } from './feed-core.js';
export type LiveSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface LiveFeedOptions {
  /** Staff pages pass their token to get staff events (revocation). */
  token?: string;
  onRevoked?: () => void;
  onAuthError?: (message: string) => void;
}

export class LiveFeed extends FeedCore {
  summary: Summary | null = null;
  readonly socket: LiveSocket;
  private readonly summaryListeners = new Set<(s: Summary) => void>();

  constructor(opts: LiveFeedOptions = {}) {
    super();
    const token = opts.token ? { token: opts.token } : {};
    this.socket = io({ transports: ['websocket', 'polling'], auth: token });
    this.socket.on('connect', () => this.setState({ connected: true, disconnectedAt: null }));
    this.socket.on('disconnect', () => this.setState({ connected: false, disconnectedAt: Date.now() }));
    this.socket.on('connect_error', (err) => {
      if (err.message === 'unauthorized') opts.onAuthError?.(err.message);
      if (this.state.disconnectedAt === null) this.setState({ connected: false, disconnectedAt: Date.now() });
    });
    this.socket.on('live:snapshot', (s) => this.applySnapshot(s));
    this.socket.on('live:delta', (d) => {
      if (d.since !== this.version) return this.resync();
      this.version = d.version;
      for (const l of d.sites) this.sites.set(l.siteId, l);
      this.touch();
      this.emit(d.sites, false);
    });
    this.socket.on('summary:updated', (s) => {
      this.summary = s;
      for (const l of this.summaryListeners) l(s);
    });
    this.socket.on('staff:revoked', () => opts.onRevoked?.());
  }

  resync(): void {
    this.socket.timeout(10_000).emit('live:resync', (err: Error | null, snap: Snapshot) => {
      if (!err && snap) this.applySnapshot(snap);
    });
  }

  onSummary(l: (s: Summary) => void): () => void {
    this.summaryListeners.add(l);
    if (this.summary) l(this.summary);
    return () => this.summaryListeners.delete(l);
  }

  close(): void {
    this.socket.close();
  }
}
