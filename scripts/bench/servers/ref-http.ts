// Reference for the snapshot endpoint: bare node:http answering every GET with one prebuilt
// buffer and the very headers shortline sent with it (taken from a real shortline answer), as one
// prebuilt header list in one writeHead, or 304 when If-None-Match carries its ETag. Nothing
// else: the floor of serving that body.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { childOptions, serveParent } from '../lib/child.js';
import { commonHandlers } from './common.js';

export interface RefHttpOptions {
  /** File holding the body bytes. */
  bodyFile: string;
  headers: Record<string, string>;
}

const opts = childOptions<RefHttpOptions>();
const body = readFileSync(opts.bodyFile);
const etag = opts.headers.etag ?? '';
const { 'content-length': _len, ...headers } = opts.headers;
const notModified = Object.entries(headers).flat();
const ok = [...notModified, 'Content-Length', String(body.length)];
let open = 0;
const server = createServer((req, res) => {
  if (req.headers['if-none-match'] === etag) res.writeHead(304, notModified).end();
  else res.writeHead(200, ok).end(body);
});
server.on('connection', (s) => {
  open += 1;
  s.on('close', () => (open -= 1));
});
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));

serveParent(
  { ...commonHandlers(() => open) },
  { port: (server.address() as { port: number }).port, pid: process.pid },
  () => {
    server.closeAllConnections();
    server.close();
  },
);
