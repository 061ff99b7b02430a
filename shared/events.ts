// The typed Socket.IO event maps, imported by `new Server<...>` and the client's `Socket<...>`.
// Broadcasts are named domain:past-tense or domain:noun, commands domain:verb.
import type { CompactDelta, CompactSnapshot, FeedRequest } from './compact-feed.js';
import type { Delta, Notice, Snapshot, Summary } from './schemas.js';

export interface ServerToClientEvents {
  /** Every site's live state, on connect (and as the answer to `live:resync`). */
  'live:snapshot': (snapshot: Snapshot) => void;
  /** The sites whose live state changed, at most once per FRAME_MS; `since` is the version before. */
  'live:delta': (delta: Delta) => void;
  /** City and district totals, at most once per FRAME_MS, when they changed. */
  'summary:updated': (summary: Summary) => void;
  /**
   * Compact feed only (`auth: { feed: 'compact', since?, epoch? }` at connect, instead of the three
   * above): every site, sent on connect when the client holds no version deltas can continue from.
   */
  'live:compact-snapshot': (snapshot: CompactSnapshot) => void;
  /** Compact feed only: the fields that changed, at most once per FRAME_MS (shared/compact-feed.ts). */
  'live:compact-delta': (delta: CompactDelta) => void;
  /** Sent to the sockets of a staff token right before they are disconnected. */
  'staff:revoked': (info: { tokenId: string; siteId: string }) => void;
  /** All active notices, on connect and whenever one is posted, removed or expires. */
  'notices:updated': (notices: Notice[]) => void;
}

export interface ClientToServerEvents {
  /** Ask for a fresh Snapshot; the acknowledgement carries it. */
  'live:resync': (ack: (snapshot: Snapshot) => void) => void;
  /** The compact feed's resync: the acknowledgement carries a compact snapshot. */
  'live:compact-resync': (ack: (snapshot: CompactSnapshot) => void) => void;
}

export type InterServerEvents = Record<string, never>;

export interface SocketData {
  /** Which encoding of the live feed this socket asked for at connect. */
  feed: FeedRequest['feed'];
  /** Set when the handshake carried a valid staff token (`auth: { token }`). */
  staff: {
    tokenId: string;
    siteId: string;
    /** Stored hash, to re-check the token after a missed message. */ hash: string;
  } | null;
}
