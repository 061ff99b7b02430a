// Row "property-based fuzzing", below HTTP clients: raw requests over TCP with broken request
// lines, header characters, sizes, lengths and chunking. Node's parser refuses most of them before
// Express runs; the answer must still be the contract's JSON error, never an empty 400 or a 5xx.
import { connect } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFuzzApp, type FuzzApp } from '../../testing/server/fuzz-app.js';

let f: FuzzApp;
let before: string;

beforeAll(async () => {
  f = await startFuzzApp();
  before = await f.liveBody();
});
afterAll(() => f.close());

/** Sends raw bytes, returns status, headers and body of the first answer (or null if none came). */
function rawExchange(port: number, bytes: Buffer): Promise<{ status: number; head: string; body: string } | null> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const done = () => {
      clearTimeout(timer);
      s.destroy();
      const text = Buffer.concat(chunks).toString('latin1');
      const m = /^HTTP\/1\.1 (\d{3})[^\r]*\r\n([\s\S]*?)\r\n\r\n([\s\S]*)$/.exec(text);
      resolve(m ? { status: Number(m[1]), head: m[2]!, body: m[3]! } : null);
    };
    // A request the server is still waiting on (e.g. a body shorter than its length) gets no answer.
    const timer = setTimeout(done, 400);
    s.on('data', (c: Buffer) => {
      chunks.push(c);
      if (/\r\n\r\n/.test(Buffer.concat(chunks).toString('latin1'))) setTimeout(done, 30);
    });
    s.on('error', done);
    s.on('close', done);
    s.write(bytes);
  });
}

const token = fc.constantFrom(
  'GET',
  'POST',
  'HEAD',
  'PUT',
  'DELETE',
  'OPTIONS',
  'G\u0000T',
  'get',
  '',
  'PRI',
  'CONNECT',
);
const target = fc.oneof(
  fc.constantFrom(
    '/api/live',
    '/api/sites/site-1/reports',
    '/api/feeds/carrier',
    '/api/admin/staff-tokens',
    '/api/sites/%ff',
    '*',
    '',
    'http://x/api/live',
    '/api/live#frag',
    '/api/\u00ff',
  ),
  fc.string({ unit: 'binary-ascii', maxLength: 30 }).map((s) => `/api/${s}`),
);
const version = fc.constantFrom('HTTP/1.1', 'HTTP/1.0', 'HTTP/2.0', 'HTTP/1.1 extra', 'HTTX/1.1', '');
const header = fc.oneof(
  fc.constantFrom(
    'Host: x',
    'Content-Length: 5',
    'Content-Length: -1',
    'Content-Length: 1e3',
    'Content-Length: 99999999999999999999',
    'Content-Length: 2\r\nContent-Length: 3',
    'Transfer-Encoding: chunked',
    'Transfer-Encoding: gzip, chunked',
    'Transfer-Encoding: chunked\r\nContent-Length: 3',
    'Content-Type: application/json',
    'Authorization: Bearer st_' + 'A'.repeat(43),
    'X-Big: ' + 'a'.repeat(20_000),
    'No-Colon',
    ': empty-name',
    'Bad Name: 1',
    'X-Ctl: a\u0001b',
    'X-Obs: a\r\n folded',
    'Expect: 100-continue',
    'Upgrade: websocket',
    'Connection: upgrade',
  ),
  fc
    .tuple(fc.string({ unit: 'binary-ascii', maxLength: 12 }), fc.string({ unit: 'binary-ascii', maxLength: 30 }))
    .map(([k, v]) => `${k}: ${v}`),
);
const body = fc.oneof(
  fc.constantFrom(
    '',
    'hello',
    '{"a":1}',
    'zz\r\nabc\r\n0\r\n\r\n',
    '5\r\nhello\r\n0\r\n\r\n',
    '0\r\n\r\n',
    'ffffffffffff\r\n',
  ),
  fc.string({ unit: 'binary-ascii', maxLength: 40 }),
);

describe('fuzzing HTTP itself', () => {
  it('when raw requests break the request line, headers, lengths or chunking, then every answer is a JSON error or a success, never 5xx', async () => {
    const statuses = new Map<number, number>();
    const runs = await f.run(
      'raw HTTP requests',
      [token, target, version, fc.array(header, { maxLength: 5 }), body] as const,
      async (method, path, ver, headers, payload) => {
        const raw = Buffer.from(
          `${method} ${path} ${ver}\r\n${['Host: 127.0.0.1', ...headers].join('\r\n')}\r\n\r\n${payload}`,
          'latin1',
        );
        const res = await rawExchange(f.t.port, raw);
        if (!res) return;
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        expect(res.status, res.head).toBeLessThan(500);
        const underApi = path.startsWith('/api') || res.status === 400 || res.status === 431;
        if (res.status >= 400 && underApi && method !== 'HEAD') {
          expect(res.head, `${method} ${path}`).toMatch(/content-type: application\/json/i);
          expect(JSON.parse(res.body.slice(0, res.body.lastIndexOf('}') + 1))).toMatchObject({
            error: expect.any(String),
            message: expect.any(String),
          });
        }
      },
      { batch: 16 },
    );
    expect(await f.liveBody()).toBe(before);
    console.log(
      `[figure] fuzz raw HTTP: ${runs} runs, 5xx=0, statuses ${[...statuses]
        .sort(([a], [b]) => a - b)
        .map(([s, c]) => `${s}x${c}`)
        .join(' ')}`,
    );
  });
});
