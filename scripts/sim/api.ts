// The simulator's only way into shortline: the public HTTP API, as tablets, carriers and pages use
// it. Nothing here reaches into the server's memory.
import { Agent, request } from 'node:http';
import { sign } from '../../server/auth/hmac.js';
import type {
  CarrierAnswer,
  CarrierBatch,
  IntentCounts,
  Meta,
  Snapshot,
  StaffReport,
  StaffReportAnswer,
  StaffTokenCreated,
} from '../../shared/schemas.js';

export interface CarrierKey {
  id: string;
  secret: string;
}

export interface Answer<T> {
  status: number;
  /** The parsed body of a 2xx answer; null otherwise. */
  body: T | null;
}

interface RequestOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
}

const RETRIES = 3;

export class ApiError extends Error {
  override name = 'ApiError';
}

export class ShortlineApi {
  private readonly url: URL;
  // node:http with kept-alive sockets rather than fetch: a simulated day is a few hundred thousand
  // small requests, and fetch's streams cost more CPU than the server spends answering them.
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 64 });

  constructor(readonly baseUrl: string) {
    this.url = new URL(baseUrl);
    if (this.url.protocol !== 'http:')
      throw new ApiError(`the simulator speaks plain http to a local server, not ${baseUrl}`);
  }

  /**
   * Every call the simulator makes is safe to repeat (reads, reports with a reportId, batches with
   * a batchId), so a kept-alive socket the server closed just as it was reused is simply retried.
   */
  private async call<T>(path: string, init: RequestOptions = {}): Promise<Answer<T>> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.once<T>(path, init);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (attempt >= RETRIES || (code !== 'ECONNRESET' && code !== 'EPIPE')) throw err;
      }
    }
  }

  private once<T>(path: string, init: RequestOptions): Promise<Answer<T>> {
    return new Promise((resolve, reject) => {
      const headers: Record<string, string | number> = { ...init.headers };
      if (init.body !== undefined) headers['content-length'] = Buffer.byteLength(init.body);
      const req = request(
        {
          host: this.url.hostname,
          port: this.url.port,
          path,
          method: init.method ?? 'GET',
          headers,
          agent: this.agent,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', reject);
          res.on('end', () => {
            const status = res.statusCode ?? 0;
            const text = Buffer.concat(chunks).toString('utf8');
            try {
              resolve({ status, body: status >= 200 && status < 300 && text ? (JSON.parse(text) as T) : null });
            } catch (err) {
              reject(err);
            }
          });
        },
      );
      req.on('error', reject);
      req.end(init.body);
    });
  }

  private async get<T>(path: string): Promise<T> {
    // Uncompressed: the simulator reads the city every simulated minute on the same machine,
    // where compressing costs the server more than the bytes cost the loopback.
    const a = await this.call<T>(path, { headers: { 'accept-encoding': 'identity' } });
    if (!a.body) throw new ApiError(`GET ${path}: ${a.status}`);
    return a.body;
  }

  /** Lets the process exit: kept-alive sockets would hold it open. */
  close(): void {
    this.agent.destroy();
  }

  live = (): Promise<Snapshot> => this.get('/api/live');
  intents = (): Promise<IntentCounts> => this.get('/api/intents');

  /**
   * "I'm going", as the resident page sends it when someone taps go. `clientAddress` stands for the
   * phone's own address (X-Forwarded-For, trusted from loopback by the fast app), so the per-client
   * rate limit applies per resident as it would behind the real proxy.
   */
  intent(siteId: string, etaMinutes: number, clientAddress: string): Promise<Answer<{ expiresAt: string }>> {
    return this.call('/api/intents', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': clientAddress },
      body: JSON.stringify({ siteId, etaMinutes }),
    });
  }
  meta = (): Promise<Meta> => this.get('/api/meta');

  async issueStaffToken(adminToken: string, siteId: string, label?: string): Promise<StaffTokenCreated> {
    const a = await this.call<StaffTokenCreated>('/api/admin/staff-tokens', {
      method: 'POST',
      headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ siteId, label }),
    });
    if (a.status !== 201 || !a.body) throw new ApiError(`issue staff token for ${siteId}: ${a.status}`);
    return a.body;
  }

  report(token: string, siteId: string, report: StaffReport): Promise<Answer<StaffReportAnswer>> {
    return this.call(`/api/sites/${encodeURIComponent(siteId)}/reports`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(report),
    });
  }

  /** Signs with the carrier's secret at `nowMs`, the sender's clock (the server allows 300 s skew). */
  carrier(key: CarrierKey, batch: CarrierBatch, nowMs: number): Promise<Answer<CarrierAnswer>> {
    const body = JSON.stringify(batch);
    const ts = Math.floor(nowMs / 1000);
    return this.call('/api/feeds/carrier', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-feed-key': key.id,
        'x-feed-timestamp': String(ts),
        'x-feed-signature': `sha256=${sign(key.secret, ts, body)}`,
      },
      body,
    });
  }
}
