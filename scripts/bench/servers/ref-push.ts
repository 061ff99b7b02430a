// Reference for "a staff report reaches every phone" (issue 19, item 6): a bare HTTP POST, one
// Redis PUBLISH on its own channel, its own subscriber, and one pre-serialised `ws` send per
// client. Nothing else: no validation, no store, no frame window. The message is serialised and
// framed once (Sender.frame) and written to every socket as is, like ref-ws.ts, and it starts
// like shortline's delta so the load generator reads both sides with the same code.
import { createServer } from 'node:http';
import { Redis } from 'ioredis';
import { Sender, WebSocketServer } from 'ws';
import { childOptions, serveParent } from '../lib/child.js';
import { REDIS_URL } from '../lib/redis-clean.js';
import { commonHandlers } from './common.js';

export interface RefPushOptions {
  /** Its own channel prefix: no shortline process subscribes to it. */
  prefix: string;
}

const opts = childOptions<RefPushOptions>();
const channel = `${opts.prefix}changes`;
const pub = new Redis(REDIS_URL);
const sub = new Redis(REDIS_URL);
await sub.subscribe(channel);

const HELLO = Buffer.from('42["live:snapshot",{}]');
let version = 0;
type RawSender = { sendFrame(list: Buffer[], cb?: () => void): void };
sub.on('messageBuffer', (_ch: Buffer, body: Buffer) => {
  version += 1;
  const msg = Buffer.from(
    `42["live:delta",{"version":${version},"at":"${new Date().toISOString()}","changed":[${body}]}]`,
  );
  const frame = Sender.frame(msg, { readOnly: false, mask: false, rsv1: false, opcode: 1, fin: true });
  for (const ws of wss.clients) (ws as unknown as { _sender: RawSender })._sender.sendFrame(frame);
});

const http = createServer((req, res) => {
  if (req.method !== 'POST') return void res.writeHead(404).end();
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    pub.publish(channel, Buffer.concat(chunks)).then(
      () => res.writeHead(200, ['Content-Type', 'application/json', 'Content-Length', '2']).end('{}'),
      () => res.writeHead(503).end(),
    );
  });
});
const wss = new WebSocketServer({ server: http, perMessageDeflate: false });
wss.on('connection', (ws) => ws.send(HELLO));
await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));

serveParent(
  commonHandlers(() => wss.clients.size),
  { port: (http.address() as { port: number }).port, pid: process.pid },
  async () => {
    for (const ws of wss.clients) ws.terminate();
    http.close();
    sub.disconnect();
    pub.disconnect();
  },
);
