// Bounded cost per connection (issue 15.1). A client can make the server do work in two ways:
// by sending packets (each parsed, some answered) and by not reading (everything written to it
// waits in memory). Both are bounded here:
// - every message packet a client sends takes from a bucket of its connection and one of its IP;
//   a connection that keeps sending once its bucket is empty is cut;
// - `live:resync` is answered from the snapshot packet already encoded for the current version,
//   and not at all while the previous answer is still being written (asking again before reading
//   the last answer gets nothing new);
// - every byte queued to a connection (frames, replies, notices alike) counts against one budget,
//   `connBudgetBytes`; a connection over it is cut (broadcast.ts checks at each frame, this file at
//   each reply).
import type { Clock } from '../clock.js';
import { RateLimiter } from '../ratelimit.js';
import { backlogBytes, cutConnection, type EngineConnLike } from './engine-adapter.js';

/**
 * What the guard needs of a connection of one kind: Socket.IO's engine.io connections
 * (ENGINE_OPS) and the plain feed's websockets (plain-feed.ts) are guarded by the same rules.
 */
export interface ConnOps<C> {
  /** Bytes queued to the connection and not yet handed to the kernel. */
  backlog(conn: C): number;
  open(conn: C): boolean;
  /** Destroys the connection at once (no close handshake behind a backlog). */
  cut(conn: C): void;
  /** Writes an answer; `done` once it has been handed on (the next may then be written). */
  write(conn: C, data: string | Buffer, done: () => void): void;
}

export const ENGINE_OPS: ConnOps<EngineConnLike> = {
  backlog: backlogBytes,
  open: (conn) => conn.readyState === 'open',
  cut: cutConnection,
  // engine.io calls back once the packet has been handed to the transport and flushed.
  write: (conn, data, done) => conn.write(String(data), {}, done),
};

/** A burst of a sixth of the per-minute rate (10 of the default 60 per connection). */
const burstOf = (perMin: number) => Math.max(1, Math.round(perMin / 6));
/** Packets refused in a row before the connection is cut: a reading client retries far less. */
export const STRIKES_BEFORE_CUT = 20;

export interface ConnGuardDeps {
  clock: Clock;
  /** The bytes a connection may have queued before it is cut (backlog of any kind). */
  budgetBytes: () => number;
  /** Message packets per minute on one connection (config.socketPacketsPerMin). */
  connPacketsPerMin: number;
  /** Message packets per minute from one client IP, all its connections together. */
  ipPacketsPerMin: number;
  onCut?: (reason: 'flood' | 'budget') => void;
}

/** Per-connection state, kept on the connection itself: two numbers and a few flags. */
interface GuardState {
  ip: string;
  /** The connection's own rate-limit key (engine.io's id; the plain feed numbers its sockets). */
  key: string;
  ops: ConnOps<never>;
  strikes: number;
  resyncBusy: boolean;
  /** Socket.IO has connected the main namespace: answers may be sent. */
  ready: boolean;
  cut: boolean;
}
const STATE = Symbol('shortline.connGuard');
type GuardedConn = object & { [STATE]?: GuardState };

export class ConnGuard {
  private readonly perConn: RateLimiter;
  private readonly perIp: RateLimiter;

  constructor(private readonly deps: ConnGuardDeps) {
    this.perConn = new RateLimiter(deps.connPacketsPerMin, burstOf(deps.connPacketsPerMin), deps.clock);
    this.perIp = new RateLimiter(deps.ipPacketsPerMin, burstOf(deps.ipPacketsPerMin), deps.clock);
  }

  attach<C extends object>(conn: C, ip: string, key: string, ops: ConnOps<C>): void {
    (conn as GuardedConn)[STATE] = {
      ip,
      key,
      ops: ops as ConnOps<never>,
      strikes: 0,
      resyncBusy: false,
      ready: false,
      cut: false,
    };
  }

  /** The namespace is connected; from now on a resync is answered. */
  ready(conn: GuardedConn): void {
    const st = conn[STATE];
    if (st) st.ready = true;
  }

  /**
   * Takes one packet's worth from the connection's and the IP's buckets. False: drop the packet;
   * the connection is cut once it has been refused STRIKES_BEFORE_CUT times in a row.
   */
  admit(conn: GuardedConn): boolean {
    const st = conn[STATE];
    if (!st) return false;
    const ok = this.perConn.take(st.key).ok && this.perIp.take(st.ip).ok;
    if (ok) {
      st.strikes = 0;
      return true;
    }
    if (++st.strikes >= STRIKES_BEFORE_CUT) this.cut(conn, 'flood');
    return false;
  }

  /** False when the connection is over its budget (it is cut) or can take no more bytes. */
  withinBudget(conn: GuardedConn, adding = 0): boolean {
    const st = conn[STATE];
    if (!st) return false;
    if (st.ops.backlog(conn as never) + adding <= this.deps.budgetBytes()) return true;
    this.cut(conn, 'budget');
    return false;
  }

  /**
   * Writes a resync answer unless the previous one is still being written or the connection
   * would go over its budget. `packet` is shared by every answer of the same version.
   */
  answerResync(conn: GuardedConn, packet: string | Buffer): boolean {
    const st = conn[STATE];
    if (!st || !st.ready || st.resyncBusy) return false;
    if (!this.withinBudget(conn, packet.length)) return false;
    st.resyncBusy = true;
    st.ops.write(conn as never, packet, () => {
      st.resyncBusy = false;
    });
    return true;
  }

  private cut(conn: GuardedConn, reason: 'flood' | 'budget'): void {
    const st = conn[STATE];
    if (!st || st.cut || !st.ops.open(conn as never)) return;
    st.cut = true;
    st.ops.cut(conn as never);
    this.deps.onCut?.(reason);
  }
}
