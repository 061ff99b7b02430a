// What every live feed keeps, whatever carries it (Socket.IO in lib/live.ts, the resident page's
// plain websocket in resident/feed-live.ts): the sites by id, the version held, the connection
// state, and the listeners to changes of either.
import type { LiveState, Snapshot } from '../../../shared/schemas.js';

export interface ConnectionState {
  connected: boolean;
  /** When the last snapshot or delta arrived (client clock, ms). */
  lastDataAt: number | null;
  /** When the connection was lost, while it is. */
  disconnectedAt: number | null;
}

type ChangeListener = (changed: LiveState[], all: ReadonlyMap<string, LiveState>, full: boolean) => void;

export class FeedCore {
  readonly sites = new Map<string, LiveState>();
  version = -1;
  state: ConnectionState = { connected: false, lastDataAt: null, disconnectedAt: null };
  private readonly changeListeners = new Set<ChangeListener>();
  private readonly stateListeners = new Set<(s: ConnectionState) => void>();

  protected applySnapshot(s: Snapshot): void {
    this.version = s.version;
    this.sites.clear();
    for (const l of s.sites) this.sites.set(l.siteId, l);
    this.touch();
    this.emit(s.sites, true);
  }

  protected touch(): void {
    this.setState({ lastDataAt: Date.now() });
  }

  protected setState(patch: Partial<ConnectionState>): void {
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
}
