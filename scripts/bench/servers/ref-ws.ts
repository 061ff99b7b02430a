// Reference for the realtime benchmarks: a bare `ws` server doing the same work as shortline's
// Socket.IO and nothing else. It sends the snapshot bytes shortline sent on connect, and for a
// frame the very bytes of shortline's frame (delta, summary), framed once with ws's Sender.frame
// and written to every socket as is: the floor of a broadcast, per websocket issue 617.
import { createServer } from 'node:http';
import { Sender, WebSocketServer } from 'ws';
import { childOptions, monoMs, serveParent } from '../lib/child.js';
import { commonHandlers } from './common.js';

export interface RefWsOptions {
  /** The messages of one shortline connection: [snapshot, ...one frame's messages]. */
  snapshot: string;
  frame: string[];
}

const opts = childOptions<RefWsOptions>();
const snapshot = Buffer.from(opts.snapshot);
const frames = opts.frame.map((m) =>
  Sender.frame(Buffer.from(m), { readOnly: false, mask: false, rsv1: false, opcode: 1, fin: true }),
);
const http = createServer((_req, res) => res.writeHead(404).end());
const wss = new WebSocketServer({ server: http, perMessageDeflate: false });
wss.on('connection', (ws) => ws.send(snapshot));
await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));

type RawSender = { sendFrame(list: Buffer[], cb?: () => void): void };
function broadcast(): { version: number; at: number } {
  const at = monoMs();
  for (const ws of wss.clients) {
    const sender = (ws as unknown as { _sender: RawSender })._sender;
    for (const f of frames) sender.sendFrame(f);
  }
  return { version: 0, at };
}

serveParent(
  {
    ...commonHandlers(() => wss.clients.size),
    frame: () => broadcast(),
    frames: async ({ count, intervalMs }: { count: number; intervalMs: number }) => {
      const out: Array<{ version: number; at: number }> = [];
      for (let i = 0; i < count; i++) {
        out.push(broadcast());
        await new Promise((r) => (intervalMs > 0 ? setTimeout(r, intervalMs) : setImmediate(r)));
      }
      return out;
    },
  },
  { port: (http.address() as { port: number }).port, pid: process.pid },
  () => {
    for (const ws of wss.clients) ws.terminate();
    http.close();
  },
);
