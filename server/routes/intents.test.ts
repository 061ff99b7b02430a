import { Redis } from 'ioredis';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../clock.js';
import { createRedisIntents, intentsKey } from '../intents/redis.js';
import { createMemoryIntents, INTENT_BURST, INTENT_GRACE_MIN, type IntentCounter } from '../intents/types.js';
import { issueToken, report, startTestApp, type TestApp } from '../../testing/server/app.js';
import { deletePrefix, redisForTests, TEST_REDIS_URL, uniquePrefix } from '../../testing/server/redis.js';

const T0 = Date.parse('2026-11-23T09:00:00Z');
const apps: TestApp[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((a) => a.close()));
});

async function start(clock = new ManualClock(T0), intents?: IntentCounter): Promise<TestApp> {
  const t = await startTestApp({ clock, intents });
  apps.push(t);
  return t;
}

/** Each call may come from its own address (X-Forwarded-For is not trusted here: one client). */
async function post(t: TestApp, body: unknown): Promise<{ status: number; body: any; headers: Headers }> {
  const res = await fetch(`${t.url}/api/intents`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: await res.json(), headers: res.headers };
}

async function counts(t: TestApp): Promise<Record<string, number>> {
  const res = await fetch(`${t.url}/api/intents`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { enRoute: Record<string, number> }).enRoute;
}

describe('POST /api/intents', () => {
  it('when someone says they are going, then 202 with the expiry (ETA plus grace) and the site counts one more', async () => {
    const t = await start();
    const r = await post(t, { siteId: 'site-1', etaMinutes: 12 });
    expect(r.status).toBe(202);
    expect(r.body).toEqual({ expiresAt: new Date(T0 + (12 + INTENT_GRACE_MIN) * 60_000).toISOString() });
    await post(t, { siteId: 'site-1', etaMinutes: 5 });
    expect(await counts(t)).toEqual({ 'site-1': 2 });
  });

  it('when the body is invalid, then 400 with issues and nothing is counted', async () => {
    const clock = new ManualClock(T0);
    const t = await start(clock);
    for (const body of [
      { siteId: 'site-1', etaMinutes: 0 },
      { siteId: 'site-1', etaMinutes: 181 },
      { siteId: 'site-1', etaMinutes: 2.5 },
      { siteId: 'site-1' },
      { siteId: 'site-1', etaMinutes: 5, name: 'Li' },
      { siteId: 'bad id!', etaMinutes: 5 },
    ]) {
      clock.advance(60_000); // each request also takes from the client's rate limit
      const r = await post(t, body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.error).toBe('invalid_request');
      expect(r.body.issues.length).toBeGreaterThan(0);
    }
    const notJson = await fetch(`${t.url}/api/intents`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{',
    });
    expect(notJson.status).toBe(400);
    expect(await counts(t)).toEqual({});
  });

  it('when the site does not exist, then 404 unknown_site and nothing is counted', async () => {
    const t = await start();
    const r = await post(t, { siteId: 'no-such-site', etaMinutes: 5 });
    expect(r.status).toBe(404);
    expect(r.body.error).toBe('unknown_site');
    expect(await counts(t)).toEqual({});
  });

  it('when one client sends more than its burst, then 429 with Retry-After, and later it may again', async () => {
    const clock = new ManualClock(T0);
    const t = await start(clock);
    for (let k = 0; k < INTENT_BURST; k++)
      expect((await post(t, { siteId: 'site-2', etaMinutes: 10 })).status).toBe(202);
    const refused = await post(t, { siteId: 'site-2', etaMinutes: 10 });
    expect(refused.status).toBe(429);
    expect(refused.body.error).toBe('rate_limited');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    clock.advance(60_000);
    expect(await counts(t)).toEqual({ 'site-2': INTENT_BURST });
    expect((await post(t, { siteId: 'site-2', etaMinutes: 10 })).status).toBe(202);
  });

  it('when the ETA plus the grace period has passed, then the intent no longer counts', async () => {
    const clock = new ManualClock(T0);
    const t = await start(clock);
    await post(t, { siteId: 'site-1', etaMinutes: 5 });
    await post(t, { siteId: 'site-1', etaMinutes: 30 });
    clock.advance((5 + INTENT_GRACE_MIN) * 60_000 - 1000);
    expect(await counts(t)).toEqual({ 'site-1': 2 });
    clock.advance(2000);
    expect(await counts(t)).toEqual({ 'site-1': 1 });
    clock.advance(30 * 60_000);
    expect(await counts(t)).toEqual({});
  });

  it("when a staff count is taken after someone's ETA, then they are in that count and no longer on their way", async () => {
    const clock = new ManualClock(T0);
    const t = await start(clock);
    const { token } = await issueToken(t, 'site-1');
    await post(t, { siteId: 'site-1', etaMinutes: 5 });
    await post(t, { siteId: 'site-1', etaMinutes: 30 });
    clock.advance(4 * 60_000);
    expect((await report(t, token, 'site-1', { queue: 10 })).status).toBe(200);
    // The count came before the first ETA: nobody it could have seen has arrived.
    expect(await counts(t)).toEqual({ 'site-1': 2 });
    clock.advance(3 * 60_000);
    expect(await counts(t)).toEqual({ 'site-1': 2 });
    expect((await report(t, token, 'site-1', { queue: 12 })).status).toBe(200);
    clock.advance(1000);
    expect(await counts(t)).toEqual({ 'site-1': 1 });
  });

  it('when the API is described, then the OpenAPI document has both intent operations and the body schema', async () => {
    const t = await start();
    const doc = await (await fetch(`${t.url}/api/openapi.json`)).json();
    expect(Object.keys(doc.paths['/api/intents'])).toEqual(['post', 'get']);
    expect(doc.paths['/api/intents'].post.responses['202']).toBeDefined();
    expect(doc.components.schemas.IntentInput.properties.etaMinutes).toMatchObject({ minimum: 1, maximum: 180 });
    expect(doc.components.schemas.IntentInput.additionalProperties).toBe(false);
  });

  it('when intents are counted in memory, then nothing but a site id and an expiry is kept', async () => {
    const c = createMemoryIntents();
    await c.add('site-1', T0 + 60_000);
    expect(await c.counts(T0)).toEqual(new Map([['site-1', 1]]));
    expect(await c.counts(T0 + 60_000)).toEqual(new Map());
  });

  it("when a site was seen after an intent's ETA, then it is left out, and counted while unseen", async () => {
    await expectSeenRule(createMemoryIntents());
  });
});

/** The rule both counters keep: an intent is counted until an observation made after its ETA. */
async function expectSeenRule(c: IntentCounter): Promise<void> {
  const eta = T0 + 5 * 60_000;
  const seen = (at: number | null) => (site: string) => (site === 'site-1' ? at : null);
  await c.add('site-1', eta + INTENT_GRACE_MIN * 60_000);
  await c.add('site-2', eta + INTENT_GRACE_MIN * 60_000);
  const both = new Map([
    ['site-1', 1],
    ['site-2', 1],
  ]);
  expect(await c.counts(T0)).toEqual(both);
  expect(await c.counts(T0, seen(null))).toEqual(both);
  expect(await c.counts(T0, seen(eta - 1))).toEqual(both);
  expect(await c.counts(T0, seen(eta))).toEqual(new Map([['site-2', 1]]));
}

const redisOk = await redisForTests();

describe.skipIf(!redisOk)('intents on Redis', () => {
  const prefix = uniquePrefix('intents');
  const clients: Redis[] = [];
  afterAll(async () => {
    clients.forEach((c) => c.disconnect());
    await deletePrefix(TEST_REDIS_URL, prefix);
  });
  const client = () => {
    const c = new Redis(TEST_REDIS_URL);
    clients.push(c);
    return c;
  };

  it('when two instances share one Redis, then an intent sent to one is counted by both', async () => {
    const clock = new ManualClock(T0);
    const a = await start(clock, createRedisIntents(client(), prefix));
    const b = await start(clock, createRedisIntents(client(), prefix));
    expect((await post(a, { siteId: 'site-3', etaMinutes: 8 })).status).toBe(202);
    expect((await post(b, { siteId: 'site-3', etaMinutes: 20 })).status).toBe(202);
    expect(await counts(a)).toEqual({ 'site-3': 2 });
    clock.advance(2000);
    expect(await counts(b)).toEqual({ 'site-3': 2 });
    clock.advance((8 + INTENT_GRACE_MIN) * 60_000);
    expect(await counts(a)).toEqual({ 'site-3': 1 });
    expect(await counts(b)).toEqual({ 'site-3': 1 });
  });

  it('when intents are stored, then the key has the prefix, a TTL, and members carry no more than the site id', async () => {
    const c = client();
    const intents = createRedisIntents(c, prefix);
    await intents.add('site-1', T0 + 60_000);
    const members = await c.zrange(intentsKey(prefix), 0, -1);
    expect(members.some((m) => /^site-1 [0-9a-f]{16}$/.test(m))).toBe(true);
    expect(await c.pttl(intentsKey(prefix))).toBeGreaterThan(0);
  });

  it("when a site was seen after an intent's ETA, then Redis leaves it out too", async () => {
    await expectSeenRule(createRedisIntents(client(), `${prefix}seen:`));
  });
});
