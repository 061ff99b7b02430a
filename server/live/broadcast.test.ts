import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { Delta, Snapshot, Summary } from '../../shared/schemas.js';
import { startTestApp, testSites, type TestApp } from '../../testing/server/app.js';
import { BACKLOG_MIN_BYTES } from './broadcast.js';
import { queuedPackets, type EngineConnLike } from './engine-adapter.js';
import { waitFor } from '../../testing/wait.js';

type Event = ['live:snapshot', Snapshot] | ['live:delta', Delta] | ['summary:updated', Summary];

const open: Array<{ close(): void }> = [];
afterEach(() => {
  for (const s of open.splice(0)) s.close();
});

/** A socket.io-client that records every event it gets, in order. */
function listener(t: TestApp, transports: Array<'websocket' | 'polling'>) {
  const socket: Socket = connect(t.url, { transports, reconnection: false, forceNew: true, upgrade: false });
  open.push(socket);
  const events: Event[] = [];
  socket.onAny((name: string, payload: unknown) => {
    if (name !== 'notices:updated') events.push([name, payload] as Event);
  });
  return { socket, events };
}

/** A bare websocket speaking just enough Engine.IO / Socket.IO; keeps every text message. */
function rawClient(t: TestApp) {
  const ws = new WebSocket(`ws://127.0.0.1:${t.port}/socket.io/?EIO=4&transport=websocket`, {
    perMessageDeflate: false,
  });
  open.push({ close: () => ws.terminate() });
  const messages: string[] = [];
  ws.on('message', (data: Buffer) => {
    const m = data.toString();
    if (m.startsWith('0')) ws.send('40');
    else if (m === '2') ws.send('3');
    else messages.push(m);
  });
  return { ws, messages, ready: () => messages.some((m) => m.startsWith('42["live:snapshot"')) };
}

let counter = 0;
/** Gives each of `ids` a new staff count and broadcasts the frame, as the app's timer does. */
function frame(t: TestApp, ids: readonly string[]) {
  const engine = t.app.engine;
  const now = Date.now();
  const ctx = engine.fuseCtx(now);
  for (const id of ids) {
    counter++;
    engine.merge(
      id,
      {
        staff: {
          reportId: `b-${counter}`,
          queue: counter % 250,
          lanesOpen: null,
          status: 'open',
          pauseReason: null,
          note: null,
          observedAt: now,
        },
      },
      ctx,
    );
  }
  const f = engine.frame();
  if (!f) throw new Error('no frame');
  return { frame: f, result: t.app.realtime.broadcast(f) };
}

const serverSockets = (t: TestApp) => [...t.app.io.sockets.sockets.values()];
/** The Engine.IO session id under a server-side socket. */
const sessionOf = (s: ReturnType<typeof serverSockets>[number]) => (s.conn as unknown as { id: string }).id;

describe('pre-framed broadcast, 3 sites', () => {
  let t: TestApp;
  // Frames go out only when a test sends them.
  beforeAll(async () => {
    t = await startTestApp({ config: { frameMs: 3_600_000 } });
  });
  afterAll(() => t.close());

  it('when frames go out, then a websocket client and a polling client get the same events in the same order', async () => {
    const ws = listener(t, ['websocket']);
    const polling = listener(t, ['polling']);
    await waitFor(() => expect(ws.events.length > 0 && polling.events.length > 0).toBe(true));
    expect(
      serverSockets(t)
        .map((s) => s.conn.transport.name)
        .sort(),
    ).toEqual(['polling', 'websocket']);
    const sent: Event[] = [];
    for (let i = 0; i < 5; i++) {
      const { frame: f } = frame(t, i % 2 ? ['site-1'] : ['site-2', 'site-3']);
      sent.push(['live:delta', f.delta]);
      if (f.summary) sent.push(['summary:updated', f.summary]);
    }
    expect(sent.filter((e) => e[0] === 'summary:updated').length).toBeGreaterThan(0);
    await waitFor(() => expect(ws.events.length).toBe(1 + sent.length));
    await waitFor(() => expect(polling.events.length).toBe(1 + sent.length));
    expect(ws.events[0]![0]).toBe('live:snapshot');
    expect(ws.events.slice(1)).toEqual(JSON.parse(JSON.stringify(sent)));
    expect(polling.events).toEqual(ws.events);
  });

  it('when a frame is broadcast, then a websocket client gets exactly the bytes socket.emit would have sent', async () => {
    const raw = rawClient(t);
    await waitFor(() => expect(raw.ready()).toBe(true));
    // Until engine.io's own writes (connect, snapshot, notices) are done the frame would queue behind
    // them; wait for that, so the frame takes the direct path.
    await waitFor(() =>
      expect(
        serverSockets(t).every(
          (s) => queuedPackets(s.conn as unknown as EngineConnLike) === 0 && s.conn.transport.writable,
        ),
      ).toBe(true),
    );
    const before = raw.messages.length;
    const { frame: f, result } = frame(t, ['site-1', 'site-2']);
    expect(result.direct).toBeGreaterThan(0);
    const io = t.app.io;
    io.emit('live:delta', f.delta);
    if (f.summary) io.emit('summary:updated', f.summary);
    const n = f.summary ? 2 : 1;
    await waitFor(() => expect(raw.messages.length).toBe(before + 2 * n));
    const ours = raw.messages.slice(before, before + n);
    const socketIo = raw.messages.slice(before + n);
    expect(ours).toEqual(socketIo);
    expect(ours[0]).toBe(`42${JSON.stringify(['live:delta', f.delta])}`);
  });

  it('when a client connects while frames stream, then its snapshot comes first and the deltas chain from it', async () => {
    const early = listener(t, ['websocket']);
    await waitFor(() => expect(early.events.length).toBe(1));
    const deltas = (c: ReturnType<typeof listener>) => c.events.filter((e) => e[0] === 'live:delta').length;
    // Each frame waits for the early client to have the previous one, so frames keep flowing while
    // the late client connects; they go on until it has had its snapshot and ten deltas after it.
    let late: ReturnType<typeof listener> | undefined;
    for (let i = 0; i < 40 || (deltas(late!) < 10 && i < 400); i++) {
      frame(t, [`site-${(i % 3) + 1}`]);
      if (i === 10) late = listener(t, ['polling']);
      await waitFor(() => expect(deltas(early)).toBe(i + 1));
    }
    // Frames went out both before its snapshot and after it.
    expect(deltas(late!)).toBeLessThan(deltas(early));
    await waitFor(() =>
      expect(late!.events.filter((e) => e[0] === 'live:delta').at(-1)?.[1]).toEqual(
        early.events.filter((e) => e[0] === 'live:delta').at(-1)?.[1],
      ),
    );
    for (const c of [early, late!]) {
      expect(c.events[0]![0]).toBe('live:snapshot');
      expect(c.events.filter((e) => e[0] === 'live:snapshot')).toHaveLength(1);
      let version = (c.events[0]![1] as Snapshot).version;
      for (const [name, payload] of c.events.slice(1)) {
        if (name !== 'live:delta') continue;
        expect(payload.since).toBe(version);
        version = payload.version;
      }
    }
  });
});

describe('a client that stops reading', () => {
  let t: TestApp;
  // Enough sites that a frame is ~100 KB: the stalled client's buffers fill within seconds.
  const sites = testSites(400);
  beforeAll(async () => {
    t = await startTestApp({ config: { frameMs: 3_600_000 }, sites });
  });
  afterAll(() => t.close());

  it('when one client stalls, then the others keep getting every frame and the stalled one is cut off at a bounded backlog', async () => {
    const reader = listener(t, ['websocket']);
    const stalled = rawClient(t);
    await waitFor(() => expect(reader.events.length > 0 && stalled.ready()).toBe(true));
    const stalledId = serverSockets(t).find(
      (s) => s.conn.transport.name === 'websocket' && s.id !== reader.socket.id,
    )!.id;
    // ws's own pause: the TCP socket stops being read, the kernel's buffers fill, then the server's.
    stalled.ws.pause();
    const ids = sites.map((s) => s.id);
    let cut = 0;
    let maxBacklog = 0;
    let sent = 0;
    for (; sent < 300 && cut === 0; sent++) {
      const { result } = frame(t, ids);
      cut += result.cut;
      const s = t.app.io.sockets.sockets.get(stalledId);
      const tcp = (s?.conn.transport as unknown as { socket?: { _socket?: { writableLength: number } } } | undefined)
        ?.socket?._socket;
      maxBacklog = Math.max(maxBacklog, tcp?.writableLength ?? 0);
      // The reader keeps up: it is never more than a few frames behind.
      await waitFor(() => expect(reader.events.filter((e) => e[0] === 'live:delta').length).toBeGreaterThan(sent - 3));
    }
    expect(cut).toBe(1);
    expect(maxBacklog).toBeLessThan(BACKLOG_MIN_BYTES * 2);
    await waitFor(() => expect(t.app.io.sockets.sockets.has(stalledId)).toBe(false));
    await waitFor(() => expect(reader.events.filter((e) => e[0] === 'live:delta')).toHaveLength(sent));
    expect(reader.socket.connected).toBe(true);
  });

  it('when a polling client stops polling, then it is closed once its queue passes the bound, and the others are unaffected', async () => {
    const reader = listener(t, ['websocket']);
    await waitFor(() => expect(reader.events.length).toBe(1));
    // Handshake and Socket.IO connect by hand, then never poll again.
    const handshake = await (await fetch(`${t.url}/socket.io/?EIO=4&transport=polling`)).text();
    const sid = (JSON.parse(handshake.slice(1)) as { sid: string }).sid;
    expect(
      (await fetch(`${t.url}/socket.io/?EIO=4&transport=polling&sid=${sid}`, { method: 'POST', body: '40' })).status,
    ).toBe(200);
    await waitFor(() => expect(serverSockets(t).some((s) => sessionOf(s) === sid)).toBe(true));
    const ids = sites.map((s) => s.id);
    const before = reader.events.filter((e) => e[0] === 'live:delta').length;
    let cut = 0;
    let sent = 0;
    for (; sent < 100 && cut === 0; sent++) cut += frame(t, ids).result.cut;
    expect(cut).toBe(1);
    // ~100 KB frames: the bound is 1 MiB, so it went within about a dozen frames.
    expect(sent).toBeLessThan(20);
    await waitFor(() => expect(serverSockets(t).some((s) => sessionOf(s) === sid)).toBe(false));
    await waitFor(() => expect(reader.events.filter((e) => e[0] === 'live:delta')).toHaveLength(before + sent));
  });
});
