// The typed Socket.IO event maps, imported by `new Server<...>` and the client's `Socket<...>`.
// Broadcasts are named domain:past-tense or domain:noun, commands domain:verb.
import type { Delta, Notice, Snapshot, Summary } from './schemas.js';

export const EVENTS = {
  snapshot: 'live:snapshot',
  delta: 'live:delta',
  summary: 'summary:updated',
  resync: 'live:resync',
  staffRevoked: 'staff:revoked',
  notices: 'notices:updated',
} as const;

export interface ServerToClientEvents {
  'live:snapshot': (snapshot: Snapshot) => void;
  'live:delta': (delta: Delta) => void;
  'summary:updated': (summary: Summary) => void;
  /** Sent to the sockets of a staff token right before they are disconnected. */
  'staff:revoked': (info: { tokenId: string; siteId: string }) => void;
  /** All active notices, on connect and whenever one is posted, removed or expires. */
  'notices:updated': (notices: Notice[]) => void;
}

export interface ClientToServerEvents {
  /** Ask for a fresh Snapshot; the acknowledgement carries it. */
  'live:resync': (ack: (snapshot: Snapshot) => void) => void;
}

export type InterServerEvents = Record<string, never>;

export interface SocketData {
  /** Set when the handshake carried a valid staff token (`auth: { token }`). */
  staff: { tokenId: string; siteId: string; /** Stored hash, to re-check the token after a missed message. */ hash: string } | null;
}
