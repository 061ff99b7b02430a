// Does this page still receive data? Three witnesses, whichever speaks first: the browser's own
// network flag (navigator.onLine and its events: instant when the device drops off), the socket's
// connection state, and silence — no frame and no server ping for longer than the server's own
// rhythm allows (a half-open link where the socket still believes it is connected).
// The verdict goes on <html data-connection> (the contract's hook) and to the banner.
import type { ConnectionState } from '../lib/live.js';

export type Connection = 'live' | 'connecting' | 'stale' | 'offline';

/** The page must own up to lost data within this long (issue 16). */
export const LIVENESS_MS = 5000;
/** How often the verdict is re-checked; silence is only noticed on a check. */
export const CHECK_MS = 1000;
/** Silence allowed relative to the longest gap seen between pings or frames. */
const GAP_SLACK = 1.5;

export interface Witnesses {
  online: boolean;
  conn: ConnectionState;
  /** Last server ping seen by the socket (client clock, ms), or null. */
  lastPingAt: number | null;
  /** When the socket last connected (client clock), or null. */
  connectedAt: number | null;
  /** The usual gap between pings (ms): silence is judged against it; null until two pings. */
  pingGapMs: number | null;
  /** The time of an offline snapshot shown from the cache, or null. */
  cachedAt: number | null;
  now: number;
}

/** The data this page shows is this old (ms); null: none at all. */
export function dataTime(w: Pick<Witnesses, 'conn' | 'cachedAt'>): number | null {
  const times = [w.conn.lastDataAt, w.cachedAt].filter((x): x is number => x !== null);
  return times.length ? Math.max(...times) : null;
}

/**
 * The verdict. `offline`: the browser has no network; `connecting`: no live data yet;
 * `stale`: data is shown but it no longer arrives (socket down, or silent for too long);
 * `live`: connected and heard from recently.
 */
export function connectionOf(w: Witnesses): Connection {
  if (!w.online) return 'offline';
  const hasData = dataTime(w) !== null;
  if (!w.conn.connected) return hasData ? 'stale' : 'connecting';
  if (w.conn.lastDataAt === null) return 'connecting';
  // Until two pings have shown the server's rhythm, the socket's own state is the witness.
  if (w.pingGapMs === null) return 'live';
  const heard = Math.max(w.conn.lastDataAt, w.lastPingAt ?? 0, w.connectedAt ?? 0);
  // With the server's pings every few seconds, silence past LIVENESS_MS means the link is dead;
  // with slower pings the allowance follows their rhythm, so a quiet but healthy link stays live.
  const allowed = Math.max(LIVENESS_MS, w.pingGapMs * GAP_SLACK);
  return w.now - heard > allowed ? 'stale' : 'live';
}

/** Seconds-resolution "how long ago" for the banner; minutes and hours past a minute. */
export function ageParts(ms: number): { unit: 's' | 'min' | 'h'; n: number } {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return { unit: 's', n: s };
  if (s < 3600) return { unit: 'min', n: Math.floor(s / 60) };
  return { unit: 'h', n: Math.floor(s / 3600) };
}

/** Watches the witnesses in the page and reports each change of verdict. */
export class Liveness {
  private conn: ConnectionState = { connected: false, lastDataAt: null, disconnectedAt: null };
  private lastPingAt: number | null = null;
  private pingGapMs: number | null = null;
  private connectedAt: number | null = null;
  private cachedAt: number | null = null;
  state: Connection = 'connecting';

  constructor(
    private readonly onChange: (c: Connection) => void,
    private readonly onTick: () => void,
  ) {
    const recheck = () => this.check();
    window.addEventListener('online', recheck);
    window.addEventListener('offline', recheck);
    setInterval(() => {
      this.check();
      // While data does not arrive, its age is shown to the second.
      if (this.state !== 'live') this.onTick();
    }, CHECK_MS);
    this.publish();
  }

  setConn(c: ConnectionState): void {
    if (c.connected && !this.conn.connected) this.connectedAt = Date.now();
    this.conn = c;
    this.check();
  }

  ping(at: number): void {
    if (this.lastPingAt !== null) this.pingGapMs = Math.max(this.pingGapMs ?? 0, at - this.lastPingAt);
    this.lastPingAt = at;
    this.check();
  }

  /** An offline snapshot from the cache is shown: its time is the data's time. */
  cached(at: number): void {
    this.cachedAt = at;
    this.check();
  }

  /** When the data shown was current (client clock), or null. */
  dataAt(): number | null {
    return dataTime({ conn: this.conn, cachedAt: this.cachedAt });
  }

  check(): void {
    const next = connectionOf({
      online: navigator.onLine,
      conn: this.conn,
      lastPingAt: this.lastPingAt,
      connectedAt: this.connectedAt,
      pingGapMs: this.pingGapMs,
      cachedAt: this.cachedAt,
      now: Date.now(),
    });
    if (next === this.state) return;
    this.state = next;
    this.publish();
    this.onChange(next);
  }

  private publish(): void {
    document.documentElement.dataset.connection = this.state;
  }
}
