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

/** Per-connection state, kept on the connection itself: two numbers and a flag. */
interface GuardState {
  ip: string;
  strikes: number;
  resyncBusy: boolean;
  /** Socket.IO has connected the main namespace: answers may be sent. */
  ready: boolean;
  cut: boolean;
}
const STATE = Symbol('shortline.connGuard');
type GuardedConn = EngineConnLike & { [STATE]?: GuardState; id: string };

export class ConnGuard {
  private readonly perConn: RateLimiter;
  private readonly perIp: RateLimiter;

  constructor(private readonly deps: ConnGuardDeps) {
    this.perConn = new RateLimiter(deps.connPacketsPerMin, burstOf(deps.connPacketsPerMin), deps.clock);
    this.perIp = new RateLimiter(deps.ipPacketsPerMin, burstOf(deps.ipPacketsPerMin), deps.clock);
  }

  attach(conn: GuardedConn, ip: string): void {
    conn[STATE] = { ip, strikes: 0, resyncBusy: false, ready: false, cut: false };
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
    const ok = this.perConn.take(conn.id).ok && this.perIp.take(st.ip).ok;
    if (ok) {
      st.strikes = 0;
      return true;
    }
    if (++st.strikes >= STRIKES_BEFORE_CUT) this.cut(conn, 'flood');
    return false;
  }

  /** False when the connection is over its budget (it is cut) or can take no more bytes. */
  withinBudget(conn: GuardedConn, adding = 0): boolean {
    if (backlogBytes(conn) + adding <= this.deps.budgetBytes()) return true;
    this.cut(conn, 'budget');
    return false;
  }

  /**
   * Writes a resync answer unless the previous one is still being written or the connection
   * would go over its budget. `packet` is shared by every answer of the same version.
   */
  answerResync(conn: GuardedConn, packet: string): boolean {
    const st = conn[STATE];
    if (!st || !st.ready || st.resyncBusy) return false;
    if (!this.withinBudget(conn, packet.length)) return false;
    st.resyncBusy = true;
    // engine.io calls back once the packet has been handed to the transport and flushed.
    conn.write(packet, {}, () => {
      st.resyncBusy = false;
    });
    return true;
  }

  private cut(conn: GuardedConn, reason: 'flood' | 'budget'): void {
    const st = conn[STATE];
    if (conn.readyState !== 'open' || st?.cut) return;
    if (st) st.cut = true;
    cutConnection(conn);
    this.deps.onCut?.(reason);
  }
}
