// "Notify me" over Web Push, end to end: the real app on port 0, watches in memory (the embedded
// store's) and in the machine's Redis, web-push sending to a local HTTPS push service
// (testing/server/push-service.ts) that checks the VAPID token and decrypts every payload with the
// subscription's own keys. A staff report through the API is the live change. To know that a
// change has been checked (and so that no push means none will come), a socket client waits for
// the change's delta, which is sent just before the frame is handed to the checker, and then the
// checker is waited for until idle.
import { Redis } from 'ioredis';
import webpush from 'web-push';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../clock.js';
import type { VapidConfig } from '../config.js';
import { createRedisStore } from '../store/redis.js';
import { createRedisWatches } from '../watches/redis.js';
import { createMemoryWatches, WATCH_BURST, type WatchStore } from '../watches/types.js';
import { MAX_WATCHES, WATCH_TTL_MS } from '../../shared/watch.js';
import {
  issueToken,
  report,
  startTestApp,
  TEST_ADMIN_TOKEN,
  testSites,
  type TestApp,
  type TestAppOptions,
} from '../../testing/server/app.js';
import {
  startPushService,
  verifyVapid,
  type PushService,
  type TestSubscription,
} from '../../testing/server/push-service.js';
import { deletePrefix, redisForTests, TEST_REDIS_URL, uniquePrefix } from '../../testing/server/redis.js';
import { recorder } from '../../testing/server/socket.js';
import { waitFor } from '../../testing/wait.js';

const T0 = Date.parse('2026-11-23T09:00:00Z');
const keys = webpush.generateVAPIDKeys();
const VAPID: VapidConfig = { ...keys, subject: 'mailto:ops@example.cn' };

const redisOk = await redisForTests();
let push: PushService;
beforeAll(async () => {
  push = await startPushService();
});
afterAll(async () => {
  await push.close();
});

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function start(opts: TestAppOptions & { vapid?: VapidConfig | null } = {}): Promise<TestApp> {
  const { vapid = VAPID, ...rest } = opts;
  const t = await startTestApp({
    pushAgent: push.agent,
    ...rest,
    config: { vapid, pushHosts: [new URL(push.url).hostname], ...rest.config },
  });
  cleanups.push(() => t.close());
  return t;
}

async function post(t: TestApp, body: unknown): Promise<{ status: number; body: any; headers: Headers }> {
  const res = await fetch(`${t.url}/api/watches`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: await res.json(), headers: res.headers };
}

const del = async (t: TestApp, id: string) => (await fetch(`${t.url}/api/watches/${id}`, { method: 'DELETE' })).status;

/** A staff report through the API (two lanes at 2 a minute: a queue of 4n is a wait of n minutes). */
async function staffSays(t: TestApp, siteId: string, body: Record<string, unknown>): Promise<void> {
  const { token } = await issueToken(t, siteId);
  expect((await report(t, token, siteId, body)).status).toBe(200);
}

/** Reports, then waits until the change's frame went out on `viewers` and their checkers are idle. */
async function change(t: TestApp, siteId: string, body: Record<string, unknown>, viewers: TestApp[] = [t]) {
  const socks = viewers.map((v) => recorder(v.url));
  cleanups.push(() => socks.forEach((s) => s.socket.close()));
  await waitFor(() => socks.forEach((s) => expect(s.got.snapshots).toHaveLength(1)));
  await staffSays(t, siteId, body);
  await waitFor(() =>
    socks.forEach((s) => {
      const seen = s.got.deltas.flatMap((d) => d.sites).filter((l) => l.siteId === siteId);
      expect(seen.at(-1)?.queue).toBe(body.queue);
    }),
  );
  for (const v of viewers) await v.app.watches!.idle();
}

const pushesTo = (sub: TestSubscription) => push.received.filter((r) => r.path === sub.path);

const stores: Array<[string, () => WatchStore | null]> = [['in memory', () => createMemoryWatches()]];
if (redisOk) {
  stores.push([
    'in Redis',
    () => {
      const client = new Redis(TEST_REDIS_URL);
      const prefix = uniquePrefix('watches');
      cleanups.push(async () => {
        client.disconnect();
        await deletePrefix(TEST_REDIS_URL, prefix);
      });
      return createRedisWatches(client, prefix);
    },
  ]);
}

describe.each(stores)('watches %s', (_name, makeStore) => {
  const startWith = (opts: TestAppOptions & { vapid?: VapidConfig | null } = {}) =>
    start({ watches: makeStore()!, ...opts });

  it('when a wait comes down to the chosen minutes, then exactly one push arrives, VAPID-signed, with the site and the wait; then the watch has ended', async () => {
    const t = await startWith();
    await change(t, 'site-1', { queue: 80 });
    const sub = push.subscribe();
    const r = await post(t, { subscription: sub.json, siteId: 'site-1', belowMinutes: 10 });
    expect(r.status).toBe(201);
    expect(r.body.id).toMatch(/^w_[\w-]{22}$/);
    expect(Date.parse(r.body.expiresAt) - Date.now()).toBeGreaterThan(WATCH_TTL_MS - 60_000);

    await change(t, 'site-1', { queue: 48 }); // 12 minutes: not yet
    expect(pushesTo(sub)).toHaveLength(0);
    await change(t, 'site-1', { queue: 16 }); // 4 minutes
    await waitFor(() => expect(pushesTo(sub)).toHaveLength(1));
    const got = pushesTo(sub)[0]!;
    expect(got.headers['content-encoding']).toBe('aes128gcm');
    expect(got.headers.urgency).toBe('high');
    expect(Number(got.headers.ttl)).toBeGreaterThan(0);
    const claims = verifyVapid(got.headers.authorization as string, keys.publicKey);
    expect(claims).toMatchObject({ aud: push.url, sub: VAPID.subject });
    expect(sub.decrypt(got.body)).toEqual({
      siteId: 'site-1',
      name: '测试点 1',
      waitMinutes: 4,
      kind: 'below',
      belowMinutes: 10,
      lang: 'zh-CN',
    });

    // Fired once, so it is over: a lower wait sends nothing more, and there is nothing to cancel.
    await change(t, 'site-1', { queue: 4 });
    expect(pushesTo(sub)).toHaveLength(1);
    expect(await del(t, r.body.id)).toBe(404);
  });

  it('when the command centre tells people to go elsewhere, then a short wait there pushes nothing until the notice is lifted', async () => {
    const t = await startWith();
    await change(t, 'site-1', { queue: 80 });
    const sub = push.subscribe();
    expect((await post(t, { subscription: sub.json, siteId: 'site-1', belowMinutes: 10 })).status).toBe(201);
    const admin = { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, 'content-type': 'application/json' };
    const notice = await fetch(`${t.url}/api/admin/notices`, {
      method: 'POST',
      headers: admin,
      body: JSON.stringify({
        kind: 'redirect',
        siteId: 'site-1',
        redirectSiteId: 'site-2',
        message: '试剂用完',
        ttlMinutes: 60,
      }),
    });
    expect(notice.status).toBe(201);
    const { id } = (await notice.json()) as { id: string };
    await change(t, 'site-1', { queue: 16 }); // 4 minutes, but residents are told not to come
    expect(pushesTo(sub)).toHaveLength(0);
    expect((await fetch(`${t.url}/api/admin/notices/${id}`, { method: 'DELETE', headers: admin })).status).toBe(204);
    await change(t, 'site-1', { queue: 12 });
    await waitFor(() => expect(pushesTo(sub)).toHaveLength(1));
  });

  it('when a site is past its opening hours, then a short wait there pushes nothing, though a fresh staff report keeps it open', async () => {
    // T0 is 17:00 in Asia/Shanghai; site-1's hours have a break from 16:30 to 17:30.
    const clock = new ManualClock(T0);
    const sites = testSites().map((s) =>
      s.id === 'site-1'
        ? {
            ...s,
            hours: [
              { open: '08:00', close: '16:30' },
              { open: '17:30', close: '20:00' },
            ],
          }
        : s,
    );
    const t = await startWith({ clock, sites });
    await change(t, 'site-1', { queue: 80 });
    const sub = push.subscribe();
    expect((await post(t, { subscription: sub.json, siteId: 'site-1', belowMinutes: 10 })).status).toBe(201);
    await change(t, 'site-1', { queue: 16 }); // 4 minutes, open on the map, but its hours are over
    const live = (await (await fetch(`${t.url}/api/live`)).json()) as {
      sites: Array<{ siteId: string; status: string }>;
    };
    expect(live.sites.find((l) => l.siteId === 'site-1')?.status).toBe('open');
    expect(pushesTo(sub)).toHaveLength(0);
    // Open again by its hours: the same change fires.
    clock.advance(40 * 60_000);
    await change(t, 'site-1', { queue: 12 });
    await waitFor(() => expect(pushesTo(sub)).toHaveLength(1));
  });

  it('when a closed site reopens, then a reopen watch pushes once, in the language asked for', async () => {
    const t = await startWith();
    await change(t, 'site-2', { queue: 0, status: 'closed' });
    const sub = push.subscribe();
    expect((await post(t, { subscription: sub.json, siteId: 'site-2', reopen: true, lang: 'en' })).status).toBe(201);
    await change(t, 'site-2', { queue: 12, status: 'open' });
    await waitFor(() => expect(pushesTo(sub)).toHaveLength(1));
    expect(sub.decrypt(pushesTo(sub)[0]!.body)).toEqual({
      siteId: 'site-2',
      name: '测试点 2',
      waitMinutes: 3,
      kind: 'reopen',
      lang: 'en',
    });
  });

  it('when a watch is cancelled, then 204, it never fires, and a second cancel is 404', async () => {
    const t = await startWith();
    await change(t, 'site-3', { queue: 80 });
    const sub = push.subscribe();
    const { body } = await post(t, { subscription: sub.json, siteId: 'site-3', belowMinutes: 15 });
    expect(await del(t, body.id)).toBe(204);
    await change(t, 'site-3', { queue: 8 });
    expect(pushesTo(sub)).toHaveLength(0);
    expect(await del(t, body.id)).toBe(404);
    expect(await del(t, 'not-a-watch-id')).toBe(400);
  });

  it('when 12 hours have passed, then the watch has expired and only a newer one fires', async () => {
    const clock = new ManualClock(T0);
    const t = await startWith({ clock });
    await change(t, 'site-1', { queue: 80 });
    const old = push.subscribe();
    expect((await post(t, { subscription: old.json, siteId: 'site-1', belowMinutes: 10 })).status).toBe(201);
    clock.advance(WATCH_TTL_MS + 60_000);
    await change(t, 'site-1', { queue: 80 });
    const fresh = push.subscribe();
    expect((await post(t, { subscription: fresh.json, siteId: 'site-1', belowMinutes: 10 })).status).toBe(201);
    await change(t, 'site-1', { queue: 8 });
    // Both would have been checked in the same pass over the site: the old one is simply gone.
    expect(pushesTo(fresh)).toHaveLength(1);
    expect(pushesTo(old)).toHaveLength(0);
  });

  it('when the push service answers 410 Gone, then every watch of that subscription is dropped', async () => {
    const t = await startWith();
    await change(t, 'site-1', { queue: 80 });
    await change(t, 'site-2', { queue: 80 });
    const sub = push.subscribe();
    push.gone.add(sub.path);
    await post(t, { subscription: sub.json, siteId: 'site-1', belowMinutes: 10 });
    const other = await post(t, { subscription: sub.json, siteId: 'site-2', belowMinutes: 10 });
    await change(t, 'site-1', { queue: 8 });
    expect(pushesTo(sub)).toHaveLength(1);
    expect(t.app.watches!.counts.gone).toBe(1);
    expect(await del(t, other.body.id)).toBe(404);
  });

  it('when a subscription already has the most watches, then one more is 409 too_many_watches', async () => {
    const clock = new ManualClock(T0);
    const t = await startWith({ clock });
    const sub = push.subscribe();
    for (let k = 0; k < MAX_WATCHES; k++) {
      clock.advance(60_000); // stays within the client's rate limit
      expect((await post(t, { subscription: sub.json, siteId: 'site-1', belowMinutes: 5 + k })).status).toBe(201);
    }
    clock.advance(60_000);
    const refused = await post(t, { subscription: sub.json, siteId: 'site-2', reopen: true });
    expect(refused.status).toBe(409);
    expect(refused.body.error).toBe('too_many_watches');
    expect((await post(t, { subscription: push.subscribe().json, siteId: 'site-2', reopen: true })).status).toBe(201);
  });
});

describe('POST /api/watches: validation and limits', () => {
  it('when the body is invalid, then 400 with issues', async () => {
    const clock = new ManualClock(T0);
    const t = await start({ clock });
    const good = push.subscribe().json;
    for (const body of [
      {},
      { subscription: good, siteId: 'site-1' },
      { subscription: good, siteId: 'site-1', belowMinutes: 10, reopen: true },
      { subscription: good, siteId: 'site-1', belowMinutes: 0 },
      { subscription: good, siteId: 'site-1', belowMinutes: 2.5 },
      { subscription: good, siteId: 'site-1', reopen: false },
      { subscription: good, siteId: 'site-1', belowMinutes: 10, name: 'Li' },
      { subscription: good, siteId: 'bad id!', belowMinutes: 10 },
      { subscription: good, siteId: 'site-1', belowMinutes: 10, lang: 'fr' },
      { subscription: { ...good, endpoint: 'http://push.example/x' }, siteId: 'site-1', reopen: true },
      { subscription: { ...good, endpoint: 'not a url' }, siteId: 'site-1', reopen: true },
      { subscription: { ...good, keys: { ...good.keys, p256dh: good.keys.auth } }, siteId: 'site-1', reopen: true },
      { subscription: { ...good, keys: { ...good.keys, auth: good.keys.p256dh } }, siteId: 'site-1', reopen: true },
      {
        subscription: { ...good, keys: { ...good.keys, p256dh: `C${good.keys.p256dh.slice(1)}` } },
        siteId: 'site-1',
        reopen: true,
      },
      { subscription: { endpoint: good.endpoint }, siteId: 'site-1', reopen: true },
    ]) {
      clock.advance(60_000); // each request also takes from the client's rate limit
      const r = await post(t, body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.error).toBe('invalid_request');
      expect(r.body.issues.length).toBeGreaterThan(0);
    }
    clock.advance(60_000);
    const notJson = await fetch(`${t.url}/api/watches`, { method: 'POST', body: '{' });
    expect(notJson.status).toBe(400);
    expect((await notJson.json()).error).toBe('invalid_json');
    clock.advance(60_000);
    const unknown = await post(t, { subscription: good, siteId: 'no-such-site', reopen: true });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toBe('unknown_site');
    // A well-formed subscription naming a host that is no push service: the server never posts there.
    clock.advance(60_000);
    const elsewhere = await post(t, {
      subscription: { ...good, endpoint: 'https://intranet.example/admin?x=1' },
      siteId: 'site-1',
      reopen: true,
    });
    expect(elsewhere.status).toBe(400);
    expect(elsewhere.body.error).toBe('push_host_refused');
    expect(elsewhere.body.message).toContain('subscription.endpoint');
  });

  it('when one client sends more than its burst, then 429 with Retry-After, and a minute later it may again', async () => {
    const clock = new ManualClock(T0);
    const t = await start({ clock });
    for (let k = 0; k < WATCH_BURST; k++)
      expect((await post(t, { subscription: push.subscribe().json, siteId: 'site-1', reopen: true })).status).toBe(201);
    const refused = await post(t, { subscription: push.subscribe().json, siteId: 'site-1', reopen: true });
    expect(refused.status).toBe(429);
    expect(refused.body.error).toBe('rate_limited');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await del(t, 'w_AAAAAAAAAAAAAAAAAAAAAA')).toBe(429);
    clock.advance(60_000);
    expect((await post(t, { subscription: push.subscribe().json, siteId: 'site-1', reopen: true })).status).toBe(201);
  });

  it('when VAPID is not configured, then 403 push_disabled and /api/meta has no key; when it is, then meta gives the public key', async () => {
    const off = await start({ vapid: null });
    const r = await post(off, { subscription: push.subscribe().json, siteId: 'site-1', reopen: true });
    expect(r.status).toBe(403);
    expect(r.body.error).toBe('push_disabled');
    expect((await (await fetch(`${off.url}/api/meta`)).json()).vapidPublicKey).toBeUndefined();
    expect(off.app.watches).toBeNull();
    const on = await start();
    expect((await (await fetch(`${on.url}/api/meta`)).json()).vapidPublicKey).toBe(keys.publicKey);
  });
});

describe.skipIf(!redisOk)('watches on two instances sharing Redis', () => {
  it('when both see the change, then one push is sent, not two', async () => {
    const prefix = uniquePrefix('watch2');
    const clients = [new Redis(TEST_REDIS_URL), new Redis(TEST_REDIS_URL)];
    const [storeA, storeB] = [
      await createRedisStore({ url: TEST_REDIS_URL, prefix }),
      await createRedisStore({ url: TEST_REDIS_URL, prefix }),
    ];
    cleanups.push(async () => {
      clients.forEach((c) => c.disconnect());
      await deletePrefix(TEST_REDIS_URL, prefix);
    });
    const a = await start({ store: storeA, ownStore: true, watches: createRedisWatches(clients[0]!, prefix) });
    const b = await start({ store: storeB, ownStore: true, watches: createRedisWatches(clients[1]!, prefix) });
    await change(a, 'site-2', { queue: 80 }, [a, b]);
    const sub = push.subscribe();
    expect((await post(b, { subscription: sub.json, siteId: 'site-2', belowMinutes: 10 })).status).toBe(201);
    await change(a, 'site-2', { queue: 20 }, [a, b]);
    await waitFor(() => expect(pushesTo(sub)).toHaveLength(1));
    // Both instances have checked that change (each its own frame of it); one push only.
    expect(pushesTo(sub)).toHaveLength(1);
    const sent = a.app.watches!.counts.sent + b.app.watches!.counts.sent;
    expect(sent).toBe(1);
    expect(sub.decrypt(pushesTo(sub)[0]!.body)).toMatchObject({ siteId: 'site-2', waitMinutes: 5, kind: 'below' });
  });
});
