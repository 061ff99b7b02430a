// The adapter's start-up check and the public path it falls back to. The check runs against a
// real engine.io connection, seen through a Proxy that hides one internal at a time (what an
// upgrade of engine.io or ws that renamed it would look like); the fallback writes through
// engine.io's public `conn.write` and must deliver exactly what socket.emit would have.
import { EventEmitter } from 'node:events';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startTestApp, type TestApp } from '../../testing/server/app.js';
import { broadcastEncoded, encodeEvent } from './broadcast.js';
import { connHasPreFramedShape, queuedPackets, releaseUpgrade, type EngineConnLike } from './engine-adapter.js';
import { waitFor } from '../../testing/wait.js';

let t: TestApp;
const open: WebSocket[] = [];
beforeAll(async () => {
  // Frames go out only when a test sends them, and no heartbeat writes meanwhile: a ping in flight
  // would send a broadcast through engine.io's queue instead of straight to the websocket.
  t = await startTestApp({ config: { frameMs: 3_600_000, socketPingMs: 300_000 } });
});
afterEach(() => {
  for (const ws of open.splice(0)) ws.terminate();
});
afterAll(() => t.close());

/** A bare websocket speaking just enough Engine.IO / Socket.IO; keeps every text message. */
function rawClient() {
  const ws = new WebSocket(`ws://127.0.0.1:${t.port}/socket.io/?EIO=4&transport=websocket`, {
    perMessageDeflate: false,
  });
  open.push(ws);
  const messages: string[] = [];
  ws.on('message', (data: Buffer) => {
    const m = data.toString();
    if (m.startsWith('0')) ws.send('40');
    else if (m === '2') ws.send('3');
    else messages.push(m);
  });
  return { messages, ready: () => messages.some((m) => m.startsWith('42["live:snapshot"')) };
}

/** The engine.io connection of the only connected socket. */
async function onlyConn(): Promise<EngineConnLike> {
  return waitFor(() => {
    const sockets = [...t.app.io.sockets.sockets.values()];
    expect(sockets).toHaveLength(1);
    return sockets[0]!.conn as unknown as EngineConnLike;
  });
}

/** `target` with the named properties reading as undefined. */
const hiding = <T extends object>(target: T, ...names: string[]): T =>
  new Proxy(target, { get: (o, p, r) => (names.includes(String(p)) ? undefined : Reflect.get(o, p, r)) });

describe('the engine adapter', () => {
  it('when a websocket connection has the expected internals, then the check passes; when any is missing, it fails', async () => {
    const raw = rawClient();
    await waitFor(() => expect(raw.ready()).toBe(true));
    const conn = await onlyConn();
    expect(connHasPreFramedShape(conn)).toBe(true);
    expect(connHasPreFramedShape(hiding(conn, 'writeBuffer'))).toBe(false);
    const socket = conn.transport.socket!;
    // The same connection whose websocket hides `names`.
    const withSocket = (...names: string[]) => {
      const tr = new Proxy(conn.transport, {
        get: (o, p, r) => (p === 'socket' ? hiding(socket, ...names) : Reflect.get(o, p, r)),
      });
      return new Proxy(conn, { get: (o, p, r) => (p === 'transport' ? tr : Reflect.get(o, p, r)) });
    };
    expect(connHasPreFramedShape(withSocket())).toBe(true);
    expect(connHasPreFramedShape(withSocket('_sender'))).toBe(false);
    expect(connHasPreFramedShape(withSocket('bufferedAmount'))).toBe(false);
    expect(t.app.realtime.preFramed).toBe(true);
  });

  it('when broadcasts take the public path, then a websocket client gets exactly what socket.emit sends, in order', async () => {
    const raw = rawClient();
    await waitFor(() => expect(raw.ready()).toBe(true));
    await onlyConn();
    const live = t.app.engine.snapshot().sites[0]!;
    const deltas = [1, 2, 3].map((n) => ({
      version: 100 + n,
      since: 99 + n,
      at: new Date().toISOString(),
      sites: [{ ...live, queue: n }],
    }));
    const before = raw.messages.length;
    for (const d of deltas) {
      const result = broadcastEncoded(t.app.io.sockets.sockets.values(), [encodeEvent('live:delta', d)], {
        preFramed: false,
      });
      expect(result).toEqual({ direct: 0, queued: 1, cut: 0 });
    }
    for (const d of deltas) t.app.io.emit('live:delta', d);
    await waitFor(() => expect(raw.messages.length).toBe(before + 2 * deltas.length));
    const ours = raw.messages.slice(before, before + deltas.length);
    expect(ours).toEqual(raw.messages.slice(before + deltas.length));
    expect(ours).toEqual(deltas.map((d) => `42${JSON.stringify(['live:delta', d])}`));
  });

  it('when a frame carries a delta and a summary, then every client is written its delta before any client its summary, and each gets both in order', async () => {
    const clients = [rawClient(), rawClient(), rawClient()];
    await waitFor(() => expect(clients.every((c) => c.ready())).toBe(true));
    const conns = await waitFor(() => {
      const all = [...t.app.io.sockets.sockets.values()];
      expect(all).toHaveLength(clients.length);
      return all.map((s) => s.conn as unknown as EngineConnLike);
    });
    // Until engine.io's own writes (connect, snapshot, notices) are done a frame would queue behind
    // them; wait for that, so the frame takes the direct path.
    await waitFor(() => expect(conns.every((c) => queuedPackets(c) === 0 && c.transport.writable)).toBe(true));
    // What each server-side TCP socket is asked to write, in order (spied on, still written).
    const writes: string[] = [];
    conns.forEach((conn, i) => {
      const tcp = (conn.transport.socket as unknown as { _socket: { write: (...a: unknown[]) => boolean } })._socket;
      const write = tcp.write.bind(tcp);
      tcp.write = (...a: unknown[]) => {
        const text = Buffer.isBuffer(a[0]) ? a[0].toString('latin1') : String(a[0]);
        if (text.includes('"live:delta"')) writes.push(`${i}:delta`);
        if (text.includes('"summary:updated"')) writes.push(`${i}:summary`);
        return write(...a);
      };
    });
    const live = t.app.engine.snapshot().sites[0]!;
    const delta = { version: 500, since: 499, at: new Date().toISOString(), sites: [{ ...live, queue: 7 }] };
    const summary = t.app.engine.summary();
    const before = clients.map((c) => c.messages.length);
    const result = broadcastEncoded(
      t.app.io.sockets.sockets.values(),
      [encodeEvent('live:delta', delta), encodeEvent('summary:updated', summary)],
      { preFramed: true },
    );
    expect(result).toEqual({ direct: 3, queued: 0, cut: 0 });
    expect(writes).toEqual(['0:delta', '1:delta', '2:delta', '0:summary', '1:summary', '2:summary']);
    for (const [i, c] of clients.entries()) {
      await waitFor(() => expect(c.messages.length).toBe(before[i]! + 2));
      expect(c.messages.slice(before[i])).toEqual([
        `42${JSON.stringify(['live:delta', delta])}`,
        `42${JSON.stringify(['summary:updated', summary])}`,
      ]);
    }
  });

  it('when a websocket upgrade completes, then the response relay on its TCP socket is gone and the TCP socket keeps its own close listeners', async () => {
    const raw = rawClient();
    await waitFor(() => expect(raw.ready()).toBe(true));
    const conn = await onlyConn();
    const tcp = (conn.transport.socket as unknown as { _socket: EventEmitter })._socket;
    const closeListeners = tcp.rawListeners('close') as Array<{ listener?: () => void }>;
    expect(closeListeners.length).toBeGreaterThan(0);
    expect(closeListeners.filter((fn) => fn.listener && fn.listener.name === '' && fn.listener.length === 0)).toEqual(
      [],
    );
  });

  it('when the upgrade internals are not as expected, then releaseUpgrade drops only what it can see and never throws', () => {
    // Emitters shaped as engine.io's websocket transport, ws's websocket and its TCP socket.
    const build = () => {
      const tcp = new EventEmitter();
      tcp.once('close', () => undefined); // the response relay: anonymous, no arguments
      tcp.on('close', function socketOnClose(_hadError: boolean) {});
      const ws = Object.assign(new EventEmitter(), { _socket: tcp as EventEmitter | undefined });
      ws.on('error', function onUpgradeError() {});
      ws.on('error', function onError() {});
      const transport = Object.assign(new EventEmitter(), { name: 'websocket', socket: ws as unknown });
      transport.on('headers', () => undefined);
      return { tcp, ws, transport };
    };
    const whole = build();
    expect(releaseUpgrade(whole.transport)).toBe(3);
    expect(whole.tcp.listenerCount('close')).toBe(1);
    expect(whole.ws.rawListeners('error').map((fn) => fn.name)).toEqual(['onError']);

    const noTcp = build();
    noTcp.ws._socket = undefined;
    expect(releaseUpgrade(noTcp.transport)).toBe(2);
    expect(noTcp.tcp.listenerCount('close')).toBe(2);

    const noWs = build();
    noWs.transport.socket = {};
    expect(releaseUpgrade(noWs.transport)).toBe(1);
    expect(noWs.ws.listenerCount('error')).toBe(2);

    expect(releaseUpgrade(Object.assign(build().transport, { name: 'polling' }))).toBe(0);
    expect(releaseUpgrade(undefined)).toBe(0);
    expect(releaseUpgrade({ name: 'websocket' })).toBe(0);
  });
});
