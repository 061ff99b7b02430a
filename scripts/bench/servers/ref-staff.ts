// Reference for the staff report path, as lean as its kind allows (issue 19): node:http, one
// prebuilt writeHead, tokens in an in-process map (hash -> site), and ONE Redis round trip: a small
// script that checks the report id, stores the report when it is the newest and publishes the
// change. It writes under its own key prefix and publishes on its own channel, which no shortline
// process reads or subscribes to, so it never pays for shortline's subscribers.
import { createHash } from 'node:crypto';
import { createServer, type ServerResponse } from 'node:http';
import { Redis } from 'ioredis';
import { childOptions, serveParent } from '../lib/child.js';
import { REDIS_URL } from '../lib/redis-clean.js';
import { commonHandlers } from './common.js';

export interface RefStaffOptions {
  /** Its own prefix (not shortline's): keys and the change channel live under it. */
  prefix: string;
  /** The tablets' tokens and their sites, as issued by shortline's admin API. */
  tablets: Array<{ token: string; siteId: string }>;
}

const opts = childOptions<RefStaffOptions>();
const redis = new Redis(REDIS_URL);
const sha = (s: string) => createHash('sha256').update(s).digest('hex');
const tokens = new Map(opts.tablets.map((t) => [sha(t.token), t.siteId]));
const REPORT_ID_TTL_MS = 7 * 24 * 3600_000;

redis.defineCommand('report', {
  numberOfKeys: 3,
  // KEYS: site hash, report id, channel. ARGV: body hash, observedAt, record, ttl ms, message.
  lua: `
local prev = redis.call('GET', KEYS[2])
if prev then
  if prev == ARGV[1] then return 'replay' end
  return 'mismatch'
end
redis.call('SET', KEYS[2], ARGV[1], 'PX', ARGV[4])
local at = tonumber(redis.call('HGET', KEYS[1], 'staffAt') or '0')
if tonumber(ARGV[2]) < at then return 'outdated' end
redis.call('HSET', KEYS[1], 'staff', ARGV[3], 'staffAt', ARGV[2])
redis.call('PUBLISH', KEYS[3], ARGV[5])
return 'applied'`,
});
const report = (redis as unknown as { report(...args: string[]): Promise<string> }).report.bind(redis);

const JSON_HEADERS = ['Content-Type', 'application/json; charset=utf-8', 'Content-Length'];
const send = (res: ServerResponse, status: number, json: string) => {
  const body = Buffer.from(json);
  res.writeHead(status, [...JSON_HEADERS, String(body.length)]).end(body);
};
const fail = (res: ServerResponse, status: number, error: string) =>
  send(res, status, `{"error":"${error}","message":"${error}"}`);

const PATH = /^\/api\/sites\/([^/]+)\/reports$/;
let open = 0;
const server = createServer((req, res) => {
  const m = PATH.exec(req.url ?? '');
  if (req.method !== 'POST' || !m) return fail(res, 404, 'not_found');
  const siteId = m[1]!;
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const raw = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
    let body: { reportId?: unknown; queue?: unknown };
    try {
      body = JSON.parse(raw.toString('utf8')) as typeof body;
    } catch {
      return fail(res, 400, 'invalid_json');
    }
    if (typeof body.reportId !== 'string' || !Number.isInteger(body.queue)) return fail(res, 400, 'invalid_body');
    const token = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1];
    const site = token ? tokens.get(sha(token)) : undefined;
    if (site === undefined) return fail(res, 401, 'unauthorized');
    if (site !== siteId) return fail(res, 403, 'wrong_site');
    const now = Date.now();
    const record = JSON.stringify({ reportId: body.reportId, queue: body.queue, observedAt: now });
    const msg = `{"siteId":"${siteId}","staff":${record}}`;
    report(
      `${opts.prefix}site:${siteId}`,
      `${opts.prefix}rid:${siteId}:${body.reportId}`,
      `${opts.prefix}changes`,
      sha(raw.toString('latin1')),
      String(now),
      record,
      String(REPORT_ID_TTL_MS),
      msg,
    ).then(
      (outcome) => {
        if (outcome === 'mismatch') return fail(res, 422, 'idempotency_mismatch');
        const q = body.queue as number;
        send(
          res,
          200,
          JSON.stringify({
            applied: outcome !== 'outdated',
            live: {
              siteId,
              status: 'open',
              lanesOpen: 2,
              queue: q,
              waitMinutes: Math.round(q / 4),
              level: 'low',
              source: 'staff',
              updatedAt: new Date(now).toISOString(),
            },
          }),
        );
      },
      () => fail(res, 503, 'store_unavailable'),
    );
  });
});
server.on('connection', (s) => {
  open += 1;
  s.on('close', () => (open -= 1));
});
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));

serveParent(
  { ...commonHandlers(() => open) },
  { port: (server.address() as { port: number }).port, pid: process.pid },
  async () => {
    server.closeAllConnections();
    server.close();
    await redis.quit();
  },
);
