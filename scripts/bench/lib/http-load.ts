// A tiny keep-alive HTTP/1.1 load generator: N connections, each sending its next request as soon
// as the previous answer is complete (no pipelining), for a fixed time. Answers are framed by
// Content-Length and counted, never parsed or copied, so one core of load outruns one core of
// server. (autocannon would do, but is not a dependency and none may be added.)
import { connect, type Socket } from 'node:net';
import { percentile } from './stats.js';

export interface HttpLoadOptions {
  port: number;
  host?: string;
  connections: number;
  durationMs: number;
  /** The bytes of request `n` on connection `c`. */
  request(c: number, n: number): Buffer;
  /** Stop after this many requests in all (for bounded write benchmarks). */
  maxRequests?: number;
}

export interface HttpLoadResult {
  requests: number;
  rps: number;
  statuses: Record<string, number>;
  p50Ms: number;
  p99Ms: number;
  bytes: number;
  errors: number;
  lastError?: string;
}

const HEADER_END = Buffer.from('\r\n\r\n');

export async function httpLoad(o: HttpLoadOptions): Promise<HttpLoadResult> {
  const statuses: Record<string, number> = {};
  const latencies: number[] = [];
  let requests = 0;
  let bytes = 0;
  let errors = 0;
  let lastError: string | undefined;
  let sent = 0;
  const t0 = performance.now();
  const deadline = t0 + o.durationMs;
  let tEnd = t0;

  const run = (c: number) =>
    new Promise<void>((resolve) => {
      const sock: Socket = connect({ port: o.port, host: o.host ?? '127.0.0.1', noDelay: true });
      let n = 0;
      let head: Buffer | null = null;
      let bodyLeft = -1;
      let started = 0;
      const next = () => {
        const now = performance.now();
        if (now >= deadline || (o.maxRequests !== undefined && sent >= o.maxRequests)) {
          sock.destroy();
          return;
        }
        sent += 1;
        started = now;
        sock.write(o.request(c, n++));
      };
      const finish = () => {
        const now = performance.now();
        latencies.push(now - started);
        requests += 1;
        tEnd = Math.max(tEnd, now);
        head = null;
        bodyLeft = -1;
        next();
      };
      const fail = (why: string) => {
        errors += 1;
        lastError = why;
        sock.destroy();
      };
      sock.on('connect', next);
      sock.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        let data = chunk;
        while (data.length > 0) {
          if (bodyLeft < 0) {
            head = head ? Buffer.concat([head, data]) : data;
            const end = head.indexOf(HEADER_END);
            if (end < 0) return;
            const text = head.subarray(0, end).toString('latin1');
            const status = text.slice(9, 12);
            statuses[status] = (statuses[status] ?? 0) + 1;
            const m = /\r\ncontent-length:\s*(\d+)/i.exec(text);
            if (!m && /\r\ntransfer-encoding:\s*chunked/i.test(text))
              return fail('chunked answers are not supported by the load generator');
            bodyLeft = status === '304' || status === '204' ? 0 : Number(m?.[1] ?? 0);
            data = head.subarray(end + 4);
            head = null;
          }
          const take = Math.min(bodyLeft, data.length);
          bodyLeft -= take;
          data = data.subarray(take);
          if (bodyLeft === 0) {
            if (data.length > 0) return fail('answer bytes after the body: the framing is off');
            finish();
            return;
          }
        }
      });
      sock.on('error', (err) => {
        errors += 1;
        lastError = err.message;
      });
      sock.on('close', () => resolve());
    });

  await Promise.all(Array.from({ length: o.connections }, (_, c) => run(c)));
  const secs = (tEnd - t0) / 1000;
  return {
    requests,
    rps: requests / secs,
    statuses,
    bytes,
    errors,
    lastError,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
  };
}

/** A GET request's bytes. */
export function getRequest(path: string, headers: Record<string, string> = {}): Buffer {
  const lines = [`GET ${path} HTTP/1.1`, 'Host: 127.0.0.1', ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)];
  return Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1');
}

/** A POST request with a JSON body. */
export function postRequest(path: string, body: string, headers: Record<string, string> = {}): Buffer {
  const b = Buffer.from(body);
  const lines = [
    `POST ${path} HTTP/1.1`,
    'Host: 127.0.0.1',
    'Content-Type: application/json',
    `Content-Length: ${b.length}`,
    ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
  ];
  return Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'), b]);
}
