// The adapter's start-up check and the public path it falls back to. The check runs against a
// real engine.io connection, seen through a Proxy that hides one internal at a time (what an
// upgrade of engine.io or ws that renamed it would look like); the fallback writes through
// engine.io's public `conn.write` and must deliver exactly what socket.emit would have.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { startTestApp, type TestApp } from '../../testing/server/app.js';
import { broadcastEncoded, encodeEvent } from './broadcast.js';
import { connHasPreFramedShape, type EngineConnLike } from './engine-adapter.js';

let t: TestApp;
const open: WebSocket[] = [];
beforeAll(async () => {
  // Frames go out only when a test sends them.
  t = await startTestApp({ config: { frameMs: 3_600_000 } });
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
  return vi.waitFor(() => {
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
    await vi.waitFor(() => expect(raw.ready()).toBe(true));
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
    await vi.waitFor(() => expect(raw.ready()).toBe(true));
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
    await vi.waitFor(() => expect(raw.messages.length).toBe(before + 2 * deltas.length));
    const ours = raw.messages.slice(before, before + deltas.length);
    expect(ours).toEqual(raw.messages.slice(before + deltas.length));
    expect(ours).toEqual(deltas.map((d) => `42${JSON.stringify(['live:delta', d])}`));
  });
});
