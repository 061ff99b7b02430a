// Reference for the staff report path: node:http and ioredis doing what a report needs and no
// more: read the body, JSON.parse and check it, hash the bearer token, look it up (HGET), hash the
// body for idempotency, and run the same atomic script shortline runs (same keys, same storage
// format, PUBLISH included, so Redis does identical work), then answer JSON.
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import { Redis } from 'ioredis';
import { redisKeys } from '../../../server/store/redis-keys.js';
import { defineScripts } from '../../../server/store/redis-scripts.js';
import { childOptions, serveParent } from '../lib/child.js';
import { REDIS_URL } from '../lib/redis-clean.js';
import { commonHandlers } from './common.js';

export interface RefStaffOptions {
  prefix: string;
}

const opts = childOptions<RefStaffOptions>();
const keys = redisKeys(opts.prefix);
const redis = new Redis(REDIS_URL);
const scripts = defineScripts(redis, keys);
const sha = (s: string) => createHash('sha256').update(s).digest('hex');
const ORIGIN = 'ref-staff';

const send = (res: import('node:http').ServerResponse, status: number, value: unknown) => {
  const body = Buffer.from(JSON.stringify(value));
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': body.length }).end(body);
};
const fail = (res: import('node:http').ServerResponse, status: number, error: string) => send(res, status, { error, message: error });

let open = 0;
const server = createServer((req, res) => {
  const m = /^\/api\/sites\/([^/]+)\/reports$/.exec(req.url ?? '');
  if (req.method !== 'POST' || !m) return fail(res, 404, 'not_found');
  const siteId = m[1]!;
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    void (async () => {
      let body: { reportId?: unknown; queue?: unknown };
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as typeof body;
      } catch {
        return fail(res, 400, 'invalid_json');
      }
      if (typeof body.reportId !== 'string' || !Number.isInteger(body.queue)) return fail(res, 400, 'invalid_body');
      const token = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1];
      const rec = token ? await redis.hget(keys.tokensByHash(), sha(token)) : null;
      if (!rec) return fail(res, 401, 'unauthorized');
      if ((JSON.parse(rec) as { siteId: string }).siteId !== siteId) return fail(res, 403, 'wrong_site');
      const now = Date.now();
      const record = { reportId: body.reportId, queue: body.queue as number, lanesOpen: null, status: 'open' as const, pauseReason: null, note: null, observedAt: now };
      const msg = JSON.stringify({ kind: 'sites', origin: ORIGIN, sites: [{ siteId, raw: { staff: record } }] });
      const [outcome] = await scripts.applyStaff({
        siteId, record, bodyHash: sha(JSON.stringify(body)), origin: ORIGIN, nowMs: now,
        historyPoint: { atMs: now, queue: record.queue, waitMinutes: Math.round(record.queue / 4), source: 'staff' },
      }, msg, now + 1_500);
      send(res, 200, {
        applied: outcome === 'applied',
        live: { siteId, status: 'open', lanesOpen: 2, queue: record.queue, waitMinutes: Math.round(record.queue / 4), level: 'low', source: 'staff', updatedAt: new Date(now).toISOString() },
      });
    })().catch(() => fail(res, 503, 'store_unavailable'));
  });
});
server.on('connection', (s) => {
  open += 1;
  s.on('close', () => (open -= 1));
});
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));

serveParent({ ...commonHandlers(() => open) }, { port: (server.address() as { port: number }).port, pid: process.pid }, async () => {
  server.closeAllConnections();
  server.close();
  await redis.quit();
});
