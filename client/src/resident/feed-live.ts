// The resident page's live feed: the shared LiveFeed (connection state, listeners) on the compact
// encoding (shared/compact-feed.ts). It starts from the `GET /api/live` body the page fetched
// compressed, and asks at connect for the deltas since that version: a new page receives about the
// brotli body and a few small frames, not an uncompressed snapshot. After a reconnection it asks
// again from the version it holds. Frames are validated before use; a malformed one, or one that
// does not continue the version held, makes it ask for a snapshot.
import {
  decodeDelta,
  decodeSnapshot,
  receiveDelta,
  receiveSnapshot,
  type CompactSnapshot,
} from '../../../shared/compact-feed.js';
import type { Snapshot } from '../../../shared/schemas.js';
import { LiveFeed } from '../lib/live.js';

export class CompactLiveFeed extends LiveFeed {
  /** The version sequence `version` belongs to (`X-Live-Epoch`, or the compact snapshot's). */
  private epoch: string | null = null;
  /** Server time of the last frame (ms), for the page's clock. */
  atMs: number | null = null;
  private ids: readonly string[] | null = null;
  /** Frames wait here until the registry (which names sites by position) is known. */
  private ready: Promise<unknown>;

  constructor(ids: Promise<readonly string[]>) {
    super({ autoConnect: false });
    this.ready = ids.then((list) => (this.ids = list));
    this.socket.on('live:compact-snapshot', (raw) => void this.ready.then(() => this.onSnapshot(raw)));
    this.socket.on('live:compact-delta', (raw) => void this.ready.then(() => this.onDelta(raw)));
  }

  protected override handshake(): Record<string, unknown> {
    if (this.version < 0 || !this.epoch) return { feed: 'compact' };
    return { feed: 'compact', since: this.version, epoch: this.epoch };
  }

  /**
   * Starts from a `GET /api/live` body (null when there was none) and connects. Without its epoch
   * the body is still shown, and the socket is asked for a snapshot.
   */
  start(snapshot: Snapshot | null, epoch: string | null): void {
    if (snapshot && this.version < 0) {
      this.epoch = epoch;
      this.atMs = Date.parse(snapshot.at);
      this.applySnapshot(snapshot);
    }
    this.socket.connect();
  }

  override resync(): void {
    this.socket.timeout(10_000).emit('live:compact-resync', (err: Error | null, raw: CompactSnapshot) => {
      if (!err) void this.ready.then(() => this.onSnapshot(raw));
    });
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
