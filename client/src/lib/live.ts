// The live feed every page uses: a Snapshot on connect, Deltas after, a resync whenever the version
// chain breaks or the connection comes back. Pages subscribe to changes and to connection state.
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '../../../shared/events.js';
import type { LiveState, Snapshot, Summary } from '../../../shared/schemas.js';

export type LiveSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface ConnectionState {
  connected: boolean;
  /** When the last snapshot or delta arrived (client clock, ms). */
  lastDataAt: number | null;
  /** When the connection was lost, while it is. */
  disconnectedAt: number | null;
}

export interface LiveFeedOptions {
  /** Staff pages pass their token to get staff events (revocation). */
  token?: string;
  onRevoked?: () => void;
  onAuthError?: (message: string) => void;
  /** False: the caller connects (`socket.connect()`) once it knows what to ask for. */
  autoConnect?: boolean;
}

type ChangeListener = (changed: LiveState[], all: ReadonlyMap<string, LiveState>, full: boolean) => void;

export class LiveFeed {
  readonly sites = new Map<string, LiveState>();
  version = -1;
  summary: Summary | null = null;
  state: ConnectionState = { connected: false, lastDataAt: null, disconnectedAt: null };
  readonly socket: LiveSocket;
  private readonly changeListeners = new Set<ChangeListener>();
  private readonly stateListeners = new Set<(s: ConnectionState) => void>();
  private readonly summaryListeners = new Set<(s: Summary) => void>();

  constructor(opts: LiveFeedOptions = {}) {
    const token = opts.token ? { token: opts.token } : {};
    // A function: asked again at every reconnection, so what it says may change (live/compact).
    this.socket = io({
      transports: ['websocket', 'polling'],
      autoConnect: opts.autoConnect ?? true,
      auth: (cb) => cb({ ...token, ...this.handshake() }),
    });
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

  /** What the handshake asks for besides the token (the JSON feed: nothing). */
  protected handshake(): Record<string, unknown> {
    return {};
  }

  protected applySnapshot(s: Snapshot): void {
    this.version = s.version;
    this.sites.clear();
    for (const l of s.sites) this.sites.set(l.siteId, l);
    this.touch();
    this.emit(s.sites, true);
  }

  resync(): void {
    this.socket.timeout(10_000).emit('live:resync', (err: Error | null, snap: Snapshot) => {
      if (!err && snap) this.applySnapshot(snap);
    });
  }

  protected touch(): void {
    this.setState({ lastDataAt: Date.now() });
  }

  private setState(patch: Partial<ConnectionState>): void {
    this.state = { ...this.state, ...patch };
    for (const l of this.stateListeners) l(this.state);
  }

  protected emit(changed: LiveState[], full: boolean): void {
    for (const l of this.changeListeners) l(changed, this.sites, full);
  }

  onChange(l: ChangeListener): () => void {
    this.changeListeners.add(l);
    if (this.version >= 0) l([...this.sites.values()], this.sites, true);
    return () => this.changeListeners.delete(l);
  }

  onState(l: (s: ConnectionState) => void): () => void {
    this.stateListeners.add(l);
    l(this.state);
    return () => this.stateListeners.delete(l);
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
