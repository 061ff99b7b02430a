// Many realtime clients in one process, on loopback, websocket transport only. They speak just
// enough of the Engine.IO v4 / Socket.IO v5 protocol (open, connect, ping/pong, events) to stand in
// for browsers; a reference server that sends the same bytes is read by the very same code, so the
// load generator costs the same on both sides of a ratio. Messages are classified from their
// first bytes, never parsed: the load generator must stay cheaper than the servers it measures.
import WebSocket from 'ws';
import { monoMs } from './child.js';
import { sleep } from './stats.js';

/**
 * 'socketio': Engine.IO handshake, then Socket.IO connect; 'plain': shortline's plain feed at
 * `/feed` (what the resident page uses); 'raw': plain websocket (reference servers). Either way a
 * client is ready once the snapshot sent on connect has arrived, as a page would be.
 */
export type ClientMode = 'socketio' | 'plain' | 'raw';

/** The events that mark a delta and the snapshot a client is ready with, per feed. */
const FEEDS = {
  json: {
    connect: '40',
    delta: Buffer.from('42["live:delta"'),
    snapshot: Buffer.from('42["live:snapshot"'),
    versionAt: Buffer.from('42["live:delta",{"version":').length,
  },
  // The compact feed over Socket.IO (shared/compact-feed.ts): a delta is [version, since, atMs, ...].
  compact: {
    connect: '40{"feed":"compact"}',
    delta: Buffer.from('42["live:compact-delta"'),
    snapshot: Buffer.from('42["live:compact-snapshot"'),
    versionAt: Buffer.from('42["live:compact-delta",[').length,
  },
} as const;
/** The plain feed's messages are the `[event, payload]` JSON without Socket.IO's "42". */
const PLAIN = {
  delta: Buffer.from('["live:compact-delta"'),
  snapshot: Buffer.from('["live:compact-snapshot"'),
  versionAt: Buffer.from('["live:compact-delta",[').length,
};

export interface PoolOptions {
  url: string;
  mode: ClientMode;
  /** Socket.IO clients: the documented JSON feed (default) or the compact one. */
  feed?: keyof typeof FEEDS;
  /** Connections being opened at once; more overflows the listen backlog and costs SYN retries. */
  concurrency?: number;
  /** Clients whose every message is kept (to replay the same bytes from a reference server). */
  capture?: number;
  /** Called on every delta with the client, the delta's version and the receipt time. */
  onDelta?: (client: number, version: number, atMs: number) => void;
}

export class ClientPool {
  readonly sockets: WebSocket[] = [];
  /** Per client: deltas received, and the CLOCK_MONOTONIC ms of the latest one. */
  deltas = new Int32Array(0);
  lastDeltaAt = new Float64Array(0);
  lastVersion = new Int32Array(0);
  snapshots = new Int32Array(0);
  /** Every event message (delta, summary, ...) and the bytes of all of them. */
  events = 0;
  bytes = 0;
  errors = 0;
  closedEarly = 0;
  captured: Buffer[] = [];
  private ready = 0;
  private closing = false;
  private readonly stalled = new Set<number>();

  constructor(private readonly opts: PoolOptions) {}

  get size(): number {
    return this.sockets.length;
  }

  /** Opens `n` more clients; resolves when all are ready, or throws after `timeoutMs`. */
  async connect(n: number, timeoutMs = 120_000): Promise<void> {
    const start = this.sockets.length;
    const total = start + n;
    this.grow(total);
    const concurrency = this.opts.concurrency ?? 200;
    let next = start;
    const end = Date.now() + timeoutMs;
    while (this.ready < total) {
      if (Date.now() > end)
        throw new Error(`only ${this.ready} of ${total} clients ready after ${timeoutMs} ms (${this.errors} errors)`);
      while (next < total && next - this.ready < concurrency) this.open(next++);
      await sleep(2);
    }
  }

  private grow(total: number): void {
    const g = <T extends Int32Array | Float64Array>(a: T, C: new (n: number) => T): T => {
      const b = new C(total);
      b.set(a);
      return b;
    };
    this.deltas = g(this.deltas, Int32Array);
    this.lastDeltaAt = g(this.lastDeltaAt, Float64Array);
    this.lastVersion = g(this.lastVersion, Int32Array);
    this.snapshots = g(this.snapshots, Int32Array);
  }

  private open(i: number): void {
    const { url, mode } = this.opts;
    const feed = FEEDS[this.opts.feed ?? 'json'];
    const ws = new WebSocket(
      mode === 'socketio'
        ? `${url.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`
        : mode === 'plain'
          ? `${url.replace(/^http/, 'ws')}/feed`
          : url.replace(/^http/, 'ws'),
      {
        perMessageDeflate: false,
      },
    );
    this.sockets[i] = ws;
    let isReady = false;
    const markReady = () => {
      if (isReady) return;
      isReady = true;
      this.ready += 1;
    };
    ws.on('error', () => {
      this.errors += 1;
    });
    ws.on('close', () => {
      if (isReady) this.closedEarly += 1;
      // A refused or reset handshake (backlog overflow under a connection storm) is retried.
      else if (!this.closing) setTimeout(() => this.open(i), 20);
    });
    ws.on('message', (data: Buffer) => {
      const t = monoMs();
      const c0 = data[0];
      if (c0 === 0x5b /* [: a plain-feed message (ws answers its pings itself) */) {
        if (startsWith(data, PLAIN.delta)) {
          this.events += 1;
          this.bytes += data.length;
          this.deltas[i]! += 1;
          this.lastDeltaAt[i] = t;
          this.lastVersion[i] = readInt(data, PLAIN.versionAt);
          this.opts.onDelta?.(i, this.lastVersion[i]!, t);
        } else if (startsWith(data, PLAIN.snapshot)) {
          this.snapshots[i]! += 1;
          markReady();
        }
        if (i < (this.opts.capture ?? 0)) this.captured.push(Buffer.from(data));
        return;
      }
      if (c0 === 0x34 /* 4: message */) {
        const c1 = data[1];
        if (c1 === 0x32 /* 2: event */) {
          this.events += 1;
          this.bytes += data.length;
          if (i < (this.opts.capture ?? 0)) this.captured.push(Buffer.from(data));
          if (startsWith(data, feed.delta)) {
            this.deltas[i]! += 1;
            this.lastDeltaAt[i] = t;
            this.lastVersion[i] = readInt(data, feed.versionAt);
            this.opts.onDelta?.(i, this.lastVersion[i]!, t);
          } else if (startsWith(data, feed.snapshot)) {
            this.snapshots[i]! += 1;
            markReady();
          }
        }
        return;
      }
      if (c0 === 0x30 /* 0: open */) ws.send(feed.connect);
      else if (c0 === 0x32 /* 2: ping */) ws.send('3');
    });
  }

  /** Stops reading these clients' sockets: the kernel buffers fill, then the server's do. */
  stall(indices: Iterable<number>): void {
    for (const i of indices) {
      this.stalled.add(i);
      // ws's own pause: pausing the net.Socket alone is undone when ws's receiver drains.
      this.sockets[i]!.pause();
    }
  }

  /** Reads the stalled clients' sockets again; their backlog drains. */
  resume(): void {
    for (const i of this.stalled) this.sockets[i]!.resume();
    this.stalled.clear();
  }

  isStalled(i: number): boolean {
    return this.stalled.has(i);
  }

  /** Clients that received at least `count` deltas, not counting stalled ones. */
  countAtLeast(count: number): number {
    let n = 0;
    for (let i = 0; i < this.deltas.length; i++) if (!this.stalled.has(i) && this.deltas[i]! >= count) n += 1;
    return n;
  }

  activeCount(): number {
    return this.size - this.stalled.size;
  }

  resetCounts(): void {
    this.deltas.fill(0);
    this.lastDeltaAt.fill(0);
    this.events = 0;
    this.bytes = 0;
  }

  /** Resets instead of closing, so 10,000 ports do not sit in TIME_WAIT between runs. */
  async close(): Promise<void> {
    this.closing = true;
    for (const ws of this.sockets) {
      const s = rawSocket(ws);
      if (s && typeof s.resetAndDestroy === 'function') s.resetAndDestroy();
      else ws.terminate();
    }
    this.sockets.length = 0;
    await sleep(50);
  }
}

function rawSocket(ws: WebSocket): import('node:net').Socket | undefined {
  return (ws as unknown as { _socket?: import('node:net').Socket })._socket;
}

function startsWith(data: Buffer, prefix: Buffer): boolean {
  return data.length >= prefix.length && data.compare(prefix, 0, prefix.length, 0, prefix.length) === 0;
}

function readInt(data: Buffer, at: number): number {
  let n = 0;
  for (let j = at; j < data.length; j++) {
    const c = data[j]!;
    if (c < 0x30 || c > 0x39) break;
    n = n * 10 + (c - 0x30);
  }
  return n;
}
