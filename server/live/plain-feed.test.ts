// The plain websocket feed (/feed): the compact feed's content without Socket.IO, against a real
// app on port 0 with the whole bundled city, read by a plain `ws` client.
import WebSocket from 'ws';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../clock.js';
import { bundledSites, startTestApp, TEST_ADMIN_TOKEN, type TestApp } from '../../testing/server/app.js';
import { postCarrier } from '../../testing/server/carrier.js';
import { fetchLiveBr } from '../../testing/server/compact-client.js';
import { plainClient, type PlainClient, type PlainClientOptions } from '../../testing/server/plain-client.js';
import { expectInSync as expectInSyncWith } from '../../testing/server/compact-sync.js';
import { waitFor } from '../../testing/wait.js';
import { wsHasFramedShape } from './engine-adapter.js';

const sites = bundledSites();
const ids = sites.map((s) => s.id);
const clock = new ManualClock(Date.parse('2026-11-22T02:00:00Z'));
let t: TestApp;
const open: PlainClient[] = [];
const client = (opts?: PlainClientOptions) => {
  const c = plainClient(t.url, ids, opts);
  open.push(c);
  return c;
};
const opened = (c: PlainClient) =>
  waitFor(() => expect(c.ws.readyState === WebSocket.OPEN || c.got.refused !== null).toBe(true));

const expectInSync = (c: PlainClient, after = -1) => expectInSyncWith(t.url, ids, c.got, after);

async function batch(n: number, people: number): Promise<void> {
  clock.advance(20_000);
  const readings = ids.slice(0, n).map((siteId, i) => ({ siteId, people: people + (i % 7), confidence: 0.8 }));
  expect(await postCarrier(t.url, clock.now(), readings)).toBe(200);
}

beforeAll(async () => {
  // Heartbeats every 100 ms, so that the dead-client test does not wait seconds.
  t = await startTestApp({ clock, sites, config: { socketPingMs: 100 } });
  await batch(ids.length, 30);
});
afterEach(() => {
  for (const c of open.splice(0)) c.ws.terminate();
});
afterAll(() => t.close());

describe('plain websocket feed', () => {
  it('when a page connects with nothing, then it gets a compact snapshot equal to GET /api/live, the notices, and deltas that keep it equal', async () => {
    const c = client();
    await waitFor(() => expect(c.got.snapshots).toBe(1));
    await waitFor(() => expect(c.got.notices).toHaveLength(1));
    await expectInSync(c);
    const before = c.got.version;
    await batch(50, 60);
    await expectInSync(c, before);
    expect(c.got.deltas).toBeGreaterThan(0);
    expect(c.got.snapshots).toBe(1);
  });

  it('when a page starts from its GET /api/live body, then it is sent only the deltas since, never a snapshot', async () => {
    const body = await fetchLiveBr(t.url);
    await batch(40, 70);
    const c = client({ start: body });
    await expectInSync(c, body.snapshot.version);
    expect(c.got.snapshots).toBe(0);
    expect(c.got.deltas).toBeGreaterThan(0);
  });

  it('when a page holds the current version, then nothing but the notices is sent', async () => {
    const body = await fetchLiveBr(t.url);
    const c = client({ start: body });
    await waitFor(() => expect(c.got.notices).toHaveLength(1));
    await waitFor(() => expect(c.got.heartbeats).toBeGreaterThan(0));
    expect(c.got.snapshots + c.got.deltas).toBe(0);
  });

  it('when a page asks to resync, then it is answered with a snapshot', async () => {
    const c = client({ start: await fetchLiveBr(t.url) });
    await opened(c);
    c.ws.send('["live:compact-resync"]');
    await waitFor(() => expect(c.got.snapshots).toBe(1));
    await expectInSync(c);
  });

  it('when a notice is posted, then every plain client is told at once', async () => {
    const c = client();
    await waitFor(() => expect(c.got.notices).toHaveLength(1));
    const res = await fetch(`${t.url}/api/admin/notices`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ siteId: ids[0], kind: 'closed', message: '暂停采样', ttlMinutes: 30 }),
    });
    expect(res.status).toBe(201);
    const notice = (await res.json()) as { id: string };
    await waitFor(() => expect(c.got.notices.at(-1)?.map((n) => n.id)).toContain(notice.id));
    await fetch(`${t.url}/api/admin/notices/${notice.id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
    });
    await waitFor(() => expect(c.got.notices.at(-1)).toEqual([]));
  });

  it('when the request is malformed, then the upgrade is refused with the contract JSON error and nothing connects', async () => {
    for (const query of ['?since=abc', '?since=3&epoch=bad%20epoch', '?since=-1']) {
      const c = client({ query });
      await waitFor(() => expect(c.got.refused).not.toBeNull());
      expect(c.got.refused!.status).toBe(400);
      expect(JSON.parse(c.got.refused!.body)).toMatchObject({ error: 'invalid_request', issues: expect.any(Array) });
      expect(c.got.snapshots).toBe(0);
    }
  });

  it('when a page of another site opens the feed, then it is refused', async () => {
    const c = client({ headers: { origin: 'https://evil.example' } });
    await waitFor(() => expect(c.got.refused?.status).toBe(403));
    expect(JSON.parse(c.got.refused!.body)).toMatchObject({ error: 'forbidden' });
  });

  it('when a websocket asks for any other path, then it gets a JSON 404', async () => {
    const ws = new WebSocket(`${t.url.replace('http', 'ws')}/nowhere`);
    const status = await new Promise<number>((resolve) => {
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('error', () => {});
    });
    expect(status).toBe(404);
  });

  it('when a client stops answering pings, then it is dropped after a couple of heartbeats', async () => {
    const dead = client({ autoPong: false });
    const alive = client();
    await waitFor(() => expect(dead.got.closed).toBe(true));
    expect(alive.got.closed).toBe(false);
    expect(alive.ws.readyState).toBe(WebSocket.OPEN);
  });

  it('when a client floods messages, then it is cut and others are not', async () => {
    const flood = client();
    const calm = client();
    await opened(flood);
    await opened(calm);
    for (let i = 0; i < 500 && flood.ws.readyState === WebSocket.OPEN; i++) flood.ws.send('["hello"]');
    await waitFor(() => expect(flood.got.closed).toBe(true));
    expect(calm.ws.readyState).toBe(WebSocket.OPEN);
  });

  it('when a client sends more than the message limit, then it is closed', async () => {
    const c = client();
    await opened(c);
    c.ws.send('x'.repeat(64 * 1024));
    await waitFor(() => expect(c.got.closed).toBe(true));
  });
});

describe('plain websocket feed on public ws writes only (the adapter fallback)', () => {
  let s: TestApp;
  beforeAll(async () => (s = await startTestApp({ sites, preFramed: false, config: { socketPingMs: 100 } })));
  afterAll(() => s.close());

  it('when frames go through ws.send, then a page stays equal to GET /api/live, gets heartbeats, and a dead client is still dropped', async () => {
    const c = plainClient(s.url, ids);
    const dead = plainClient(s.url, ids, { autoPong: false });
    open.push(c, dead);
    await waitFor(() => expect(c.got.snapshots).toBe(1));
    const before = c.got.version;
    s.app.engine.merge(ids[3]!, { carrier: { people: 77, confidence: 0.8, observedAt: Date.now() } });
    await expectInSyncWith(s.url, ids, c.got, before);
    await waitFor(() => expect(c.got.heartbeats).toBeGreaterThan(1));
    await waitFor(() => expect(dead.got.closed).toBe(true));
    expect(c.got.errors).toEqual([]);
  });

  it('when a socket lacks the sender the fast path writes through, then the shape check says so', () => {
    expect(wsHasFramedShape({ _sender: { sendFrame: () => undefined } })).toBe(true);
    expect(wsHasFramedShape({ _sender: {} })).toBe(false);
    expect(wsHasFramedShape({})).toBe(false);
  });
});

describe('plain websocket feed, a client that never reads', () => {
  let s: TestApp;
  // Frames only when the test makes them.
  beforeAll(async () => (s = await startTestApp({ sites, config: { frameMs: 3_600_000 } })));
  afterAll(() => s.close());

  it('when one client stops reading, then it is cut once its backlog passes the budget and a reader gets every frame', async () => {
    const stalled = plainClient(s.url, ids);
    const reader = plainClient(s.url, ids);
    open.push(stalled, reader);
    await waitFor(() => expect(stalled.got.snapshots + reader.got.snapshots).toBe(2));
    // ws's own pause: the TCP socket stops being read, the kernel's buffers fill, then the server's.
    stalled.ws.pause();
    let cut = 0;
    let sent = 0;
    for (; sent < 3000 && cut === 0; sent++) {
      cut += frame(s, sent);
      // The reader keeps up: never more than a score of frames (a fraction of the budget) behind.
      if (sent % 20 === 19) await waitFor(() => expect(reader.got.deltas).toBeGreaterThan(sent - 20));
    }
    expect(cut).toBe(1);
    await waitFor(() => expect(s.app.realtime.plain.size).toBe(1));
    await waitFor(() => expect(reader.got.deltas).toBe(sent));
    expect(reader.got.errors).toEqual([]);
    expect(reader.ws.readyState).toBe(WebSocket.OPEN);
  });
});

/** A frame where every site's queue changes, broadcast at once; returns the sockets cut. */
function frame(app: TestApp, n: number): number {
  const now = Date.now();
  for (const id of ids) {
    const staff = {
      reportId: `p-${n}-${id}`,
      queue: (n * 7 + id.length) % 250,
      lanesOpen: null,
      status: 'open' as const,
    };
    app.app.engine.merge(id, { staff: { ...staff, pauseReason: null, note: null, observedAt: now } });
  }
  const f = app.app.engine.frame();
  return f ? app.app.realtime.broadcast(f).cut : 0;
}
