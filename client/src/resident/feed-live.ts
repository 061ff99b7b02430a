// The resident page's live feed: the compact encoding (shared/compact-feed.ts) on a plain
// websocket (`/feed`, server/live/plain-feed.ts), no Socket.IO. It starts from the `GET /api/live`
// body the page fetched compressed and asks at connect for the deltas since that version: a new
// page receives about the brotli body and a few small frames. After a reconnection it asks again
// from the version it holds. Frames are validated before use; a malformed one, or one that does not
// continue the version held, makes it ask for a snapshot. The server beats every few seconds; a
// link silent for longer than SILENT_MS is taken for dead and opened again (a half-open link would
// otherwise look connected for minutes). Where websockets never open at all (a proxy that refuses
// the upgrade), the feed polls `GET /api/live` meanwhile, as `/lite` pages do, and keeps trying.
import { decodeDelta, decodeSnapshot, receiveDelta, receiveSnapshot } from '../../../shared/compact-feed.js';
import { LIVE_EPOCH_HEADER } from '../../../shared/live-epoch.js';
import type { Notice, Snapshot } from '../../../shared/schemas.js';
import { FeedCore } from '../lib/feed-core.js';

/** Waits before opening again after a failed or lost connection, by attempt (with jitter). */
const RETRY_MS = [500, 1000, 2000, 5000];
/** No message (frame or heartbeat) for this long: the link is dead, open a new one. */
const SILENT_MS = 8000;
const RESYNC = '["live:compact-resync"]';
/** Opens failed in a row, never opened, before the feed polls `GET /api/live` as well. */
const POLL_AFTER_FAILURES = 3;
const POLL_MS = 5000;

/** A parsed `/api/live` body as the feed starts from it, or null when it is not a snapshot. */
export function asSnapshot(body: unknown): Snapshot | null {
  const snap = body as Partial<Snapshot> | null;
  return snap && Array.isArray(snap.sites) && Number.isInteger(snap.version) ? (snap as Snapshot) : null;
}

export interface FeedEvents {
  /** A server heartbeat arrived (the link is alive between frames). */
  heartbeat(): void;
  notices(list: Notice[]): void;
  /** An attempt to connect failed before it opened. */
  connectError(): void;
}

export class CompactLiveFeed extends FeedCore {
  /** The version sequence `version` belongs to (`X-Live-Epoch`, or the compact snapshot's). */
  private epoch: string | null = null;
  /** Server time of the last frame (ms), for the page's clock. */
  atMs: number | null = null;
  private ids: readonly string[] | null = null;
  /** Frames wait here until the registry (which names sites by position) is known. */
  private ready: Promise<unknown>;
  private ws: WebSocket | null = null;
  private attempt = 0;
  private retry: ReturnType<typeof setTimeout> | null = null;
  private heardAt = 0;
  private failures = 0;
  private polling: ReturnType<typeof setInterval> | null = null;

  constructor(
    ids: Promise<readonly string[]>,
    private readonly on: FeedEvents,
  ) {
    super();
    this.ready = ids.then((list) => (this.ids = list));
    setInterval(() => {
      if (this.ws?.readyState === WebSocket.OPEN && Date.now() - this.heardAt > SILENT_MS) this.ws.close();
    }, 1000);
    // Back online: try at once rather than at the end of a back-off.
    self.addEventListener('online', () => {
      if (!this.ws && this.retry) this.openNow();
    });
  }

  /**
   * Starts from a `GET /api/live` body (null when there was none) and connects. Without its epoch
   * the body is still shown, and the server is asked for a snapshot.
   */
  start(snapshot: Snapshot | null, epoch: string | null): void {
    if (snapshot && this.version < 0) {
      this.epoch = epoch;
      this.atMs = Date.parse(snapshot.at);
      this.applySnapshot(snapshot);
    }
    this.open();
  }

  /** Asks for a snapshot; while disconnected, connects at once instead of at the end of a back-off. */
  resync(): void {
    if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(RESYNC);
    else if (!this.ws && this.retry) this.openNow();
  }

  private url(): string {
    const u = new URL('/feed', self.location.href);
    u.protocol = u.protocol === 'https:' ? 'wss:' : 'ws:';
    if (this.version >= 0 && this.epoch) {
      u.searchParams.set('since', String(this.version));
      u.searchParams.set('epoch', this.epoch);
    }
    return u.href;
  }

  private openNow(): void {
    if (this.retry) clearTimeout(this.retry);
    this.retry = null;
    this.open();
  }

  private open(): void {
    let opened = false;
    const ws = new WebSocket(this.url());
    this.ws = ws;
    ws.onopen = () => {
      opened = true;
      this.attempt = 0;
      this.failures = 0;
      this.stopPolling();
      this.heardAt = Date.now();
      this.setState({ connected: true, disconnectedAt: null });
    };
    ws.onmessage = (e: MessageEvent) => {
      this.heardAt = Date.now();
      if (typeof e.data === 'string') this.message(e.data);
    };
    ws.onclose = () => {
      if (this.ws !== ws) return;
      this.ws = null;
      if (opened) this.setState({ connected: false, disconnectedAt: Date.now() });
      else {
        if (!this.polling && this.state.disconnectedAt === null)
          this.setState({ connected: false, disconnectedAt: Date.now() });
        this.on.connectError();
        if (++this.failures >= POLL_AFTER_FAILURES) this.startPolling();
      }
      const wait = RETRY_MS[Math.min(this.attempt++, RETRY_MS.length - 1)]!;
      this.retry = setTimeout(() => this.openNow(), wait * (0.75 + Math.random() / 2));
    };
  }

  private startPolling(): void {
    if (this.polling) return;
    this.polling = setInterval(() => void this.poll(), POLL_MS);
    void this.poll();
  }

  private stopPolling(): void {
    if (this.polling) clearInterval(this.polling);
    this.polling = null;
  }

  /** One `GET /api/live` (revalidated by the browser with its ETag): the whole state, when it moved. */
  private async poll(): Promise<void> {
    try {
      const res = await fetch('/api/live', { headers: { accept: 'application/json' } });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      const snap = asSnapshot(await res.json());
      if (!this.polling || this.ws?.readyState === WebSocket.OPEN) return;
      if (!snap) throw new Error('not a snapshot');
      const epoch = res.headers.get(LIVE_EPOCH_HEADER);
      this.atMs = Date.parse(snap.at);
      if (snap.version !== this.version || epoch !== this.epoch) {
        this.epoch = epoch;
        this.applySnapshot(snap);
      } else this.touch();
      if (!this.state.connected) this.setState({ connected: true, disconnectedAt: null });
      this.on.heartbeat();
    } catch {
      if (this.polling && this.state.connected && this.ws?.readyState !== WebSocket.OPEN)
        this.setState({ connected: false, disconnectedAt: Date.now() });
    }
  }

  private message(text: string): void {
    let msg: unknown;
    try {
      msg = JSON.parse(text);
    } catch {
      return;
    }
    if (!Array.isArray(msg)) return;
    const [event, payload] = msg as [unknown, unknown];
    if (event === 'live:compact-delta') void this.ready.then(() => this.onDelta(payload));
    else if (event === 'live:compact-snapshot') void this.ready.then(() => this.onSnapshot(payload));
    else if (event === 'live:heartbeat') this.on.heartbeat();
    else if (event === 'notices:updated' && Array.isArray(payload)) this.on.notices(payload as Notice[]);
  }

  private onSnapshot(raw: unknown): void {
    const frame = receiveSnapshot(raw);
    if (!frame) return console.warn('compact snapshot rejected');
    try {
      const s = decodeSnapshot(frame, this.ids!);
      this.epoch = s.epoch;
      this.atMs = s.atMs;
      this.applySnapshot({ version: s.version, at: new Date(s.atMs).toISOString(), sites: s.sites });
    } catch (err) {
      console.warn(err);
    }
  }

  private onDelta(raw: unknown): void {
    const frame = receiveDelta(raw);
    if (!frame || frame[1] !== this.version) return this.resync();
    let d: ReturnType<typeof decodeDelta>;
    try {
      d = decodeDelta(frame, this.ids!, (id) => this.sites.get(id));
    } catch {
      return this.resync();
    }
    this.version = d.version;
    this.atMs = d.atMs;
    for (const l of d.changed) this.sites.set(l.siteId, l);
    this.touch();
    this.emit(d.changed, false);
  }
}
