// Pre-framed broadcast of a frame's messages (delta, then summary) to every Socket.IO client of
// the main namespace. Socket.IO's own broadcast already encodes once, but then every socket runs
// engine.io's per-packet path (packet object, events, write callbacks, and a second flush for the
// summary, which waits for the delta's callback): measured as a third of the fan-out CPU. Here
// each message is encoded and framed once, and a websocket client that engine.io has nothing
// pending for gets all of the frame's bytes in one write. Everyone else (polling, a write in
// flight, packets queued) goes through engine.io as before, so ordering with engine.io's own
// packets (connect, snapshot, pings) is kept.
import ws from 'ws';

/** ws's framing, typed here: @types/ws leaves Sender out (websockets/ws#617). */
const { Sender } = ws as unknown as {
  Sender: { frame(data: Buffer, o: { readOnly: boolean; mask: boolean; rsv1: boolean; opcode: number; fin: boolean }): Buffer[] };
};

/** The parts of engine.io's Socket, its websocket transport and ws that the fast path reads. */
interface RawTcp {
  readonly writableLength: number;
}
interface WsSocket {
  readonly readyState: number;
  readonly _socket: RawTcp | null;
  readonly _sender: { sendFrame(list: Buffer[], cb?: () => void): void };
  terminate(): void;
}
interface EngineConn {
  readonly readyState: string;
  readonly writeBuffer: readonly unknown[];
  readonly transport: { readonly name: string; readonly writable: boolean; readonly readyState: string; readonly socket?: WsSocket };
  write(data: string, options?: object): void;
  close(discard: boolean): void;
}
export interface BroadcastTarget {
  readonly conn: unknown;
}

const WS_OPEN = 1;

/**
 * A client whose unsent backlog (bytes Node holds because the kernel's buffers are full, plus
 * packets engine.io queues behind a write in flight or for the next poll) is above
 * max(this, BACKLOG_FRAMES frames) is not reading: its connection is cut instead of queueing more,
 * and it reconnects to a fresh snapshot once it reads again. The frames a backlog holds are shared
 * by every client, so stalled clients cost little more than a few frames in all; engine.io alone
 * would queue for every stalled client until the heartbeat gives up (up to 45 s of frames), then
 * ws keeps the socket's buffer up to 30 s more waiting for a close handshake.
 */
export const BACKLOG_MIN_BYTES = 1 << 20;
export const BACKLOG_FRAMES = 8;

export interface EncodedMessage {
  /** The Socket.IO packet, as `socket.emit` would encode it: EVENT on the main namespace. */
  packet: string;
  /** Options for engine.io: its websocket transport sends the pre-built frame as is. */
  options: { wsPreEncodedFrame: Buffer[] };
  /** Bytes of the websocket frame's payload ("4" and the packet). */
  bytes: number;
}

/** Encodes and frames one event once for all receivers. */
export function encodeEvent(event: string, payload: unknown): EncodedMessage {
  const packet = `2${JSON.stringify([event, payload])}`;
  // "4": the Engine.IO message packet that carries a Socket.IO packet.
  const data = Buffer.from(`4${packet}`);
  const wsPreEncodedFrame = Sender.frame(data, { readOnly: false, mask: false, rsv1: false, opcode: 1, fin: true });
  return { packet, options: { wsPreEncodedFrame }, bytes: data.length };
}

export interface BroadcastResult {
  /** Clients written to directly, through engine.io, and cut off for not reading. */
  direct: number;
  queued: number;
  cut: number;
}

/** Sends the messages, in order, to every target; see the file's header. */
export function broadcastEncoded(targets: Iterable<BroadcastTarget>, messages: readonly EncodedMessage[]): BroadcastResult {
  const result: BroadcastResult = { direct: 0, queued: 0, cut: 0 };
  if (messages.length === 0) return result;
  // Every frame of the broadcast in one buffer: one write, one syscall per client.
  const wire = Buffer.concat(messages.flatMap((m) => m.options.wsPreEncodedFrame));
  const backlogLimit = Math.max(BACKLOG_MIN_BYTES, BACKLOG_FRAMES * wire.length);
  // Packets engine.io still queues for a client count at the frame's average message size.
  const messageBytes = wire.length / messages.length;
  for (const target of targets) {
    const conn = target.conn as EngineConn;
    // What Socket.IO does too: nothing is written to a connection that is closing or closed.
    if (conn.readyState !== 'open') continue;
    const transport = conn.transport;
    const socket = transport.name === 'websocket' ? transport.socket : undefined;
    const tcp = socket?._socket;
    const queued = conn.writeBuffer.length;
    if ((tcp?.writableLength ?? 0) + queued * messageBytes > backlogLimit) {
      // Destroyed at once: a close handshake would wait behind the backlog (ws: 30 s).
      if (socket) socket.terminate();
      else conn.close(true);
      result.cut++;
      continue;
    }
    if (queued === 0 && tcp && transport.writable && transport.readyState === 'open' && socket!.readyState === WS_OPEN) {
      socket!._sender.sendFrame([wire]);
      result.direct++;
      continue;
    }
    for (const m of messages) conn.write(m.packet, m.options);
    result.queued++;
  }
  return result;
}
