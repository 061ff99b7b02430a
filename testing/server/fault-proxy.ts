// A loopback TCP proxy that misbehaves on request, for fault tests: in front of Redis it makes a
// slow or silent server without touching the real one; in front of several app instances it is a
// tiny balancer that skips the ones that refuse connections (a dead instance).
//
// Modes, switchable at any time, apply to every connection:
// - pass: bytes flow both ways untouched.
// - delay(ms): every chunk from upstream reaches the client `ms` later (order kept): a slow server.
// - blackhole: new connections are accepted and then ignored; on open ones nothing moves either
//   way. Bytes are held, not dropped, as TCP would hold them: a silent peer never corrupts a stream,
//   it stalls it. Back in pass mode the held bytes flow on, and ignored connections are closed so
//   their clients reconnect.
import { connect, createServer, type Server, type Socket } from 'node:net';

export type FaultMode = { kind: 'pass' } | { kind: 'delay'; ms: number } | { kind: 'blackhole' };

export interface Upstream {
  host: string;
  port: number;
}

export interface FaultProxy {
  port: number;
  /** Where clients connect: `${scheme}://127.0.0.1:${port}`. */
  url(scheme: string): string;
  mode(): FaultMode;
  setMode(mode: FaultMode): void;
  /** Connections open through the proxy right now, per upstream port. */
  connections(): Map<number, number>;
  /** Ends every connection and stops listening. Idempotent. */
  close(): Promise<void>;
}

export interface FaultProxyOptions {
  /** Tried round robin; one that refuses a connection is skipped for the next. */
  upstreams: Upstream[];
  mode?: FaultMode;
}

interface Pair {
  client: Socket;
  upstream: Socket | null;
  /** Held while blackholed, in each direction. */
  held: { up: Buffer[]; down: Buffer[] };
}

export async function startFaultProxy(opts: FaultProxyOptions): Promise<FaultProxy> {
  if (opts.upstreams.length === 0) throw new Error('fault proxy: no upstream');
  let mode: FaultMode = opts.mode ?? { kind: 'pass' };
  let next = 0;
  const pairs = new Set<Pair>();
  const perUpstream = new Map<number, number>();

  const forwardDown = (pair: Pair, chunk: Buffer) => {
    if (mode.kind === 'blackhole') return void pair.held.down.push(chunk);
    if (mode.kind === 'delay') {
      const t = setTimeout(() => writeSafe(pair.client, chunk), mode.ms);
      t.unref();
      return;
    }
    writeSafe(pair.client, chunk);
  };
  const forwardUp = (pair: Pair, chunk: Buffer) => {
    if (mode.kind === 'blackhole' || !pair.upstream) return void pair.held.up.push(chunk);
    writeSafe(pair.upstream, chunk);
  };

  /** Connects to the upstreams in turn from the round-robin position; null if all refuse. */
  function dial(attempt = 0): Promise<{ socket: Socket; port: number } | null> {
    if (attempt >= opts.upstreams.length) return Promise.resolve(null);
    const u = opts.upstreams[next % opts.upstreams.length]!;
    next += 1;
    return new Promise((resolve) => {
      const s = connect({ host: u.host, port: u.port });
      s.setNoDelay(true);
      s.once('connect', () => {
        s.removeAllListeners('error');
        resolve({ socket: s, port: u.port });
      });
      s.once('error', () => {
        s.destroy();
        resolve(dial(attempt + 1));
      });
    });
  }

  const server: Server = createServer((client) => {
    client.setNoDelay(true);
    const pair: Pair = { client, upstream: null, held: { up: [], down: [] } };
    pairs.add(pair);
    client.on('data', (c: Buffer) => forwardUp(pair, c));
    client.on('error', () => undefined);
    client.on('close', () => {
      pairs.delete(pair);
      pair.upstream?.destroy();
    });
    // A blackhole accepts and ignores: the client's connect succeeds, and then nothing.
    if (mode.kind === 'blackhole') return;
    void dial().then((up) => {
      if (!up) return void client.destroy();
      if (client.destroyed) return void up.socket.destroy();
      pair.upstream = up.socket;
      perUpstream.set(up.port, (perUpstream.get(up.port) ?? 0) + 1);
      up.socket.on('data', (c: Buffer) => forwardDown(pair, c));
      up.socket.on('error', () => undefined);
      up.socket.on('close', () => {
        perUpstream.set(up.port, (perUpstream.get(up.port) ?? 1) - 1);
        client.destroy();
      });
      for (const c of pair.held.up.splice(0)) forwardUp(pair, c);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const addr = server.address();
  if (!addr || typeof addr !== 'object') throw new Error('fault proxy: no address');

  let closing: Promise<void> | undefined;
  return {
    port: addr.port,
    url: (scheme) => `${scheme}://127.0.0.1:${addr.port}`,
    mode: () => mode,
    setMode(m) {
      mode = m;
      if (m.kind === 'blackhole') return;
      for (const pair of [...pairs]) {
        // Accepted while blackholed, never connected: close so the client dials again.
        if (!pair.upstream) {
          pair.client.destroy();
          continue;
        }
        for (const c of pair.held.up.splice(0)) writeSafe(pair.upstream, c);
        for (const c of pair.held.down.splice(0)) forwardDown(pair, c);
      }
    },
    connections: () => new Map(perUpstream),
    close: () =>
      (closing ??= new Promise<void>((resolve) => {
        for (const p of pairs) {
          p.client.destroy();
          p.upstream?.destroy();
        }
        server.close(() => resolve());
      })),
  };
}

function writeSafe(s: Socket, chunk: Buffer): void {
  if (!s.destroyed) s.write(chunk);
}
