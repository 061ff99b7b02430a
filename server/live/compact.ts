// The compact feed's server side (shared/compact-feed.ts has the encoding): each frame's compact
// delta is encoded and framed once for every compact socket, and the most recent ones are kept so
// that a client connecting with a version it already holds (from `GET /api/live`, or from before a
// reconnect) is sent only the deltas since, not a snapshot.
import { encodeDelta, encodeSnapshot, type FeedRequest } from '../../shared/compact-feed.js';
import type { Snapshot } from '../../shared/schemas.js';
import { encodeEvent, type EncodedMessage } from './broadcast.js';
import type { Frame, LiveEngine } from './engine.js';

/**
 * Bytes of recent deltas kept for catching up, shared by every connection. At 1.5 KB a frame
 * (50 sites changed each second) that is nearly three minutes: a page load, or a phone
 * reconnecting after a tunnel, stays on deltas.
 */
export const CATCH_UP_BYTES = 256 * 1024;

interface Kept {
  since: number;
  message: EncodedMessage;
}

export class CompactFeed {
  private readonly kept: Kept[] = [];
  private keptBytes = 0;
  private snapshotOf: Snapshot | null = null;
  private snapshotMessage: (EncodedMessage & { json: string }) | null = null;

  constructor(private readonly engine: LiveEngine) {}

  /** Encodes a frame's compact delta (once, for every compact socket) and keeps it for catching up. */
  frame(frame: Frame): EncodedMessage {
    const { version, since } = frame.delta;
    const message = encodeEvent('live:compact-delta', encodeDelta(version, since, frame.atMs, frame.changes));
    this.kept.push({ since, message });
    this.keptBytes += message.bytes;
    while (this.kept.length > 1 && this.keptBytes > CATCH_UP_BYTES) this.keptBytes -= this.kept.shift()!.message.bytes;
    return message;
  }

  /**
   * The compact snapshot of the engine's current state, encoded once per snapshot: as an event,
   * and its payload's JSON for `live:compact-resync` acknowledgements.
   */
  snapshot(): EncodedMessage & { json: string } {
    const s = this.engine.snapshot();
    if (s !== this.snapshotOf || !this.snapshotMessage) {
      this.snapshotOf = s;
      const payload = encodeSnapshot(this.engine.epoch, s.version, Date.parse(s.at), s.sites);
      this.snapshotMessage = { ...encodeEvent('live:compact-snapshot', payload), json: JSON.stringify(payload) };
    }
    return this.snapshotMessage;
  }

  /** Bytes of the compact snapshot last encoded (0 before the first), without encoding a newer one. */
  lastSnapshotBytes(): number {
    return this.snapshotMessage?.bytes ?? 0;
  }

  /**
   * What a connecting compact client is sent: the deltas since the version it holds, when that
   * version is of this engine and still kept (and the deltas are fewer bytes than a snapshot would
   * be), else a snapshot.
   */
  forConnect(req: FeedRequest): EncodedMessage[] {
    const current = this.engine.currentVersion;
    const { since, epoch } = req;
    if (since === undefined || epoch !== this.engine.epoch || since > current) return [this.snapshot()];
    if (since === current) return [];
    const first = this.kept.findIndex((k) => k.since === since);
    if (first < 0) return [this.snapshot()];
    const deltas = this.kept.slice(first).map((k) => k.message);
    const bytes = deltas.reduce((a, m) => a + m.bytes, 0);
    // The last snapshot's size is a good enough bound, and encoding one per connect is not free.
    return bytes < (this.snapshotMessage?.bytes ?? Infinity) ? deltas : [this.snapshot()];
  }
}
