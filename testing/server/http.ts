// A lean HTTP client for load and fuzz tests: keep-alive connections, raw bytes in, status, headers
// and text out. fetch normalises too much (it refuses odd headers and rewrites bodies) and costs
// more per request; hostile input has to reach the server as sent.
import { Agent, request } from 'node:http';

export interface RawRequest {
  method?: string;
  /** Path and query, sent as is (no normalisation, no re-encoding). */
  path: string;
  headers?: Record<string, string | string[]>;
  body?: Buffer | string;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** Parsed JSON body, or undefined when it is not JSON. */
  json: unknown;
}

export interface HttpClient {
  send(req: RawRequest): Promise<RawResponse>;
  close(): void;
}

/** A client for one origin; `maxSockets` bounds the connections it keeps open. */
export function httpClient(baseUrl: string, maxSockets = 32): HttpClient {
  // Idle sockets are dropped after 4 s, before the server's 5 s keep-alive timeout closes them:
  // otherwise a request sent on a socket the server is just closing fails with "socket hang up".
  const agent = new Agent({ keepAlive: true, maxSockets, timeout: 4000 });
  const u = new URL(baseUrl);
  return {
    send: (r) =>
      new Promise<RawResponse>((resolve, reject) => {
        const headers: Record<string, string | string[] | number> = { ...r.headers };
        if (r.body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-length')) {
          headers['content-length'] = Buffer.byteLength(r.body);
        }
        const req = request(
          { host: u.hostname, port: u.port, method: r.method ?? 'GET', path: r.path, headers, agent },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('error', reject);
            res.on('end', () => {
              const text = Buffer.concat(chunks).toString('utf8');
              let json: unknown;
              try {
                json = JSON.parse(text);
              } catch {
                json = undefined;
              }
              resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
            });
          },
        );
        req.on('error', reject);
        req.end(r.body);
      }),
    close: () => agent.destroy(),
  };
}

/** POSTs JSON with a bearer token. */
export function postJson(client: HttpClient, path: string, body: unknown, token?: string): Promise<RawResponse> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  return client.send({ method: 'POST', path, headers, body: JSON.stringify(body) });
}
