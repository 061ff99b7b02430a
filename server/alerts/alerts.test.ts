// The alert lifecycle against both stores (the embedded file and a real Redis), two instances on one
// Redis, and webhook delivery to a real local HTTP receiver.
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { Registry } from 'prom-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { LiveState } from '../../shared/schemas.js';
import { ManualClock } from '../clock.js';
import { silentLogger } from '../logger.js';
import { deletePrefix, redisForTests, TEST_REDIS_URL, uniquePrefix } from '../../testing/server/redis.js';
import { defaultAlertConfig, type AlertConfig } from './config.js';
import { AlertService, siteFacts } from './service.js';
import type { SiteFacts } from './rules.js';
import { createFileAlertStore, type AlertStore } from './store.js';
import { createRedisAlertStore } from './store-redis.js';

const MIN = 60_000;
const T0 = Date.UTC(2026, 11, 5, 2, 0);
const hasRedis = await redisForTests();

const live = (
  siteId: string,
  queue: number | null,
  wait: number | null,
  extra: Partial<LiveState> = {},
): LiveState => ({
  siteId,
  status: 'open',
  lanesOpen: 1,
  queue,
  waitMinutes: wait,
  level: wait === null ? 'unknown' : wait > 30 ? 'high' : 'low',
  source: queue === null ? 'none' : 'staff',
  updatedAt: null,
  confidence: null,
  pauseReason: null,
  ...extra,
});

/** A world the test edits: each site's facts as the service will see them. */
class World {
  facts = new Map<string, SiteFacts>();
  set(f: SiteFacts) {
    this.facts.set(f.live.siteId, f);
  }
}

function service(store: AlertStore, clock: ManualClock, world: World, cfg: Partial<AlertConfig> = {}) {
  const registry = new Registry();
  const s = new AlertService({
    config: { ...defaultAlertConfig, waitMinutes: 45, waitForMinutes: 10, ...cfg },
    store,
    clock,
    logger: silentLogger(),
    registry,
    facts: async () => world.facts.values(),
  });
  return { s, registry };
}

interface Received {
  id: string;
  body: string;
  ts: string;
  sig: string;
  status: number;
}

/** A receiver on port 0 that fails the first `failFirst` deliveries with 503. */
async function receiver(failFirst: number): Promise<{ url: string; got: Received[]; close(): Promise<void> }> {
  const got: Received[] = [];
  let n = 0;
  const server: Server = createServer((req: IncomingMessage, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      const status = n++ < failFirst ? 503 : 200;
      got.push({
        id: String(req.headers['x-shortline-event-id']),
        body,
        ts: String(req.headers['x-shortline-timestamp']),
        sig: String(req.headers['x-shortline-signature']),
        status,
      });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    got,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

type Factory = {
  name: string;
  make(): Promise<{ a: AlertStore; b: AlertStore; reopen(): Promise<AlertStore>; done(): Promise<void> }>;
};

const factories: Factory[] = [
  {
    name: 'embedded file',
    async make() {
      const dir = mkdtempSync(join(tmpdir(), 'alerts-'));
      const file = join(dir, 'alerts.json');
      const a = createFileAlertStore(file);
      return {
        a,
        b: a,
        reopen: async () => createFileAlertStore(file),
        done: async () => rmSync(dir, { recursive: true, force: true }),
      };
    },
  },
  ...(hasRedis
    ? [
        {
          name: 'redis',
          async make() {
            const prefix = uniquePrefix('alerts');
            const clients = [new Redis(TEST_REDIS_URL), new Redis(TEST_REDIS_URL)];
            return {
              a: createRedisAlertStore(clients[0]!, prefix),
              b: createRedisAlertStore(clients[1]!, prefix),
              reopen: async () => {
                const c = new Redis(TEST_REDIS_URL);
                clients.push(c);
                return createRedisAlertStore(c, prefix);
              },
              done: async () => {
                await deletePrefix(TEST_REDIS_URL, prefix);
                for (const c of clients) c.disconnect();
              },
            };
          },
        },
      ]
    : []),
];

for (const f of factories) {
  describe(`alert lifecycle (${f.name} store)`, () => {
    let env: Awaited<ReturnType<Factory['make']>>;
    beforeAll(async () => {
      env = await f.make();
    });
    afterAll(async () => env.done());

    it('when a wait stays over N for M minutes, then one alert opens; acknowledged it keeps who and when; it resolves by itself and survives a restart', async () => {
      const clock = new ManualClock(T0);
      const world = new World();
      const { s, registry } = service(env.a, clock, world);
      world.set(siteFacts(live('w1', 120, 60), null, T0, undefined));
      await s.tick();
      expect((await s.list()).filter((a) => a.siteId === 'w1')).toEqual([]); // not for long enough yet
      clock.advance(10 * MIN);
      await s.tick();
      const [opened] = (await s.list()).filter((a) => a.siteId === 'w1');
      expect(opened).toMatchObject({ rule: 'wait', siteId: 'w1', value: 60, acknowledgedAt: null, resolvedAt: null });
      expect(await registry.getSingleMetricAsString('shortline_alerts_open')).toContain(
        'shortline_alerts_open{rule="wait"} 1',
      );

      clock.advance(MIN);
      const acked = await s.acknowledge(opened!.id, '值班员 Li');
      expect(acked).toMatchObject({
        acknowledgedBy: '值班员 Li',
        acknowledgedAt: new Date(T0 + 11 * MIN).toISOString(),
      });
      // A second acknowledgement keeps the first.
      clock.advance(MIN);
      expect(await s.acknowledge(opened!.id, 'someone else')).toMatchObject({ acknowledgedBy: '值班员 Li' });
      await s.tick();
      expect((await s.list()).filter((a) => a.siteId === 'w1')).toHaveLength(1); // still one, not reopened

      // A restart: a new store over the same file / Redis sees the same alert.
      const again = await env.reopen();
      expect((await again.list(clock.now())).find((a) => a.id === opened!.id)).toMatchObject({
        ackBy: '值班员 Li',
        resolvedAtMs: null,
      });

      world.set(siteFacts(live('w1', 20, 10), null, clock.now(), undefined));
      await s.tick();
      const [resolved] = (await s.list()).filter((a) => a.siteId === 'w1');
      expect(resolved).toMatchObject({ id: opened!.id, resolvedAt: new Date(clock.now()).toISOString() });
      expect(await registry.getSingleMetricAsString('shortline_alerts_open')).toContain(
        'shortline_alerts_open{rule="wait"} 0',
      );
      await s.close();
    });

    it('when two instances see the same condition at once, then one alert exists and one "opened" event is sent', async () => {
      const rx = await receiver(0);
      const clock = new ManualClock(T0);
      const world = new World();
      world.set(siteFacts(live('r1', 90, 20), 10, T0, undefined)); // +80 people in 15 min
      const cfg = { webhooks: [{ url: rx.url, secret: 'webhook-secret-0123456789' }], webhookRetryMs: 5 };
      const one = service(env.a, clock, world, cfg).s;
      const two = service(env.b, clock, world, cfg).s;
      await Promise.all([one.tick(), two.tick(), one.tick(), two.tick()]);
      const alerts = (await one.list()).filter((a) => a.siteId === 'r1');
      expect(alerts).toHaveLength(1);
      expect(alerts[0]).toMatchObject({ rule: 'rise', value: 80 });
      await expect.poll(() => rx.got.length).toBe(1);
      expect(rx.got[0]!.id).toBe(`${alerts[0]!.id}:opened`);
      // Resolving from both instances: one "resolved" event.
      world.set(siteFacts(live('r1', 12, 3), 10, T0, undefined));
      await Promise.all([one.tick(), two.tick()]);
      await expect
        .poll(() => rx.got.map((g) => g.id))
        .toEqual([`${alerts[0]!.id}:opened`, `${alerts[0]!.id}:resolved`]);
      await one.close();
      await two.close();
      await rx.close();
    });
  });
}

describe('alert webhooks', () => {
  let env: Awaited<ReturnType<Factory['make']>>;
  beforeAll(async () => {
    env = await factories[0]!.make();
  });
  afterAll(async () => env.done());
  let rx: Awaited<ReturnType<typeof receiver>> | undefined;
  afterEach(async () => rx?.close());

  it('when the receiver fails twice, then the same event id is retried with a valid signature until it is taken', async () => {
    rx = await receiver(2);
    const secret = 'webhook-secret-0123456789';
    const clock = new ManualClock(T0);
    const world = new World();
    world.set(siteFacts(live('s1', null, null), null, T0 - 30 * MIN, undefined)); // dark for 30 min
    const { s } = service(env.a, clock, world, {
      webhooks: [{ url: rx.url, secret }],
      webhookRetryMs: 5,
      staleMinutes: 20,
    });
    await s.tick();
    await expect.poll(() => rx!.got.length).toBe(3);
    expect(rx.got.map((g) => g.status)).toEqual([503, 503, 200]);
    const ids = new Set(rx.got.map((g) => g.id));
    expect(ids.size).toBe(1);
    for (const g of rx.got) {
      const expected = `sha256=${createHmac('sha256', secret).update(`${g.ts}.${g.body}`).digest('hex')}`;
      expect(g.sig).toBe(expected);
      expect(JSON.parse(g.body)).toMatchObject({
        id: [...ids][0],
        state: 'opened',
        alert: { rule: 'stale', siteId: 's1', value: 30 },
      });
    }
    expect(Number(rx.got[0]!.ts)).toBe(Math.floor(T0 / 1000));
    await expect.poll(() => s.deliveriesPending).toBe(0);
    await s.close();
  });
});
