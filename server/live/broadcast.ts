// Pre-framed broadcast of a frame's messages (delta, then summary) to every Socket.IO client of
// the main namespace. Socket.IO's own broadcast already encodes once, but then every socket runs
// engine.io's per-packet path (packet object, events, write callbacks, and a second flush for the
// summary, which waits for the delta's callback): measured as a third of the fan-out CPU. Here
// each message is encoded and framed once, and a websocket client that engine.io has nothing
// pending for gets each message's bytes in one write. Everyone else (polling, a write in
// flight, packets queued) goes through engine.io's public `write`, so ordering with engine.io's own
// packets (connect, snapshot, pings) is kept. What this needs beyond public interfaces lives in
// engine-adapter.ts; when its start-up check fails, `preFramed` is false and every message goes
// through `conn.write` (public) with the same packets.
import type { ServerToClientEvents } from '../../shared/events.js';
import { backlogBytes, cutConnection, frameText, writePreFramed, type EngineConnLike } from './engine-adapter.js';

/**
 * A client whose unsent backlog (bytes ws holds because the kernel's buffers are full, plus
 * packets engine.io queues behind a write in flight or for the next poll) is above its budget
 * (`connBudget`) is not reading: its connection is cut instead of queueing more, and it
 * reconnects to a fresh snapshot once it reads again. The frames a backlog holds are shared
 * by every client, so stalled clients cost little more than a few frames in all; engine.io alone
 * would queue for every stalled client until the heartbeat gives up, then ws keeps the socket's
 * buffer up to 30 s more waiting for a close handshake.
 */
export const BACKLOG_MIN_BYTES = 1 << 20;
export const BACKLOG_FRAMES = 8;

/** One budget per connection for everything queued to it: frames, replies, notices alike. */
export const connBudget = (frameBytes: number, snapshotBytes: number) =>
  Math.max(BACKLOG_MIN_BYTES, BACKLOG_FRAMES * frameBytes, 2 * snapshotBytes);

export interface EncodedMessage {
  /** The Socket.IO packet, as `socket.emit` would encode it: EVENT on the main namespace. */
  packet: string;
  /** The websocket frame ("4" and the packet), built once; null when ws cannot frame. */
  frame: Buffer[] | null;
  /** Bytes of the websocket frame's payload ("4" and the packet). */
  bytes: number;
}

/** Encodes and frames one Socket.IO EVENT once for all receivers. */
export function encodeEvent<E extends keyof ServerToClientEvents>(
  event: E,
  payload: Parameters<ServerToClientEvents[E]>[0],
): EncodedMessage {
  const packet = `2${JSON.stringify([event, payload])}`;
  // "4": the Engine.IO message packet that carries a Socket.IO packet.
  const data = Buffer.from(`4${packet}`);
  return { packet, frame: frameText(data), bytes: data.length };
}

export interface BroadcastTarget {
  readonly conn: unknown;
}

export interface BroadcastResult {
  /** Clients written to directly, through engine.io, and cut off for not reading. */
  direct: number;
  queued: number;
  cut: number;
}

export interface BroadcastOptions {
  /** False: public writes only (the adapter's start-up check failed, or a test says so). */
  preFramed: boolean;
  /** Bytes a connection may have queued; default max(1 MiB, 8 of these frames). */
  budgetBytes?: number;
}

/**
 * Sends the messages, in order, to every target; see the file's header. One pass over the targets
 * per message: every client gets the delta before any client gets the summary, so the change a
 * page waits for is not queued behind ~1.2 KB of city summary per client ahead of it
 * (`npm run bench -- report-to-phone`, JSON feed). A client's messages keep their order: a
 * message that went through engine.io leaves the next one pending behind it there too.
 */
export function broadcastEncoded(
  targets: Iterable<BroadcastTarget>,
  messages: readonly EncodedMessage[],
  opts: BroadcastOptions = { preFramed: true },
): BroadcastResult {
  const result: BroadcastResult = { direct: 0, queued: 0, cut: 0 };
  if (messages.length === 0) return result;
  const all = messages.length > 1 && !Array.isArray(targets) ? [...targets] : targets;
  const total = messages.reduce((a, m) => a + m.bytes, 0);
  const budget = opts.budgetBytes ?? connBudget(total, 0);
  let after = total;
  messages.forEach((m, i) => {
    after -= m.bytes;
    // Room is left for the frame's later messages; the earlier ones are in the backlog by now.
    const r = sendOne(all, m, opts.preFramed, budget - after);
    // Clients are counted by how the first message reached them (later ones go the same way);
    // a client cut off on any message is counted.
    if (i === 0) Object.assign(result, r);
    else result.cut += r.cut;
  });
  return result;
}

/** One message to every target still open; `budget` leaves room for the frame's other messages. */
function sendOne(
  targets: Iterable<BroadcastTarget>,
  m: EncodedMessage,
  preFramed: boolean,
  budget: number,
): BroadcastResult {
  const result: BroadcastResult = { direct: 0, queued: 0, cut: 0 };
  // One buffer per message: one write, one syscall per client.
  const wire = preFramed && m.frame ? (m.frame.length === 1 ? m.frame[0]! : Buffer.concat(m.frame)) : null;
  for (const target of targets) {
    const conn = target.conn as EngineConnLike;
    // What Socket.IO does too: nothing is written to a connection that is closing or closed.
    if (conn.readyState !== 'open') continue;
    if (backlogBytes(conn) + m.bytes > budget) {
      cutConnection(conn);
      result.cut++;
      continue;
    }
    if (wire && writePreFramed(conn, wire)) {
      result.direct++;
      continue;
    }
    conn.write(m.packet);
    result.queued++;
  }
  return result;
}
