// A Socket.IO client that keeps the live state as the pages do (client/src/lib/live.ts): a snapshot
// replaces everything, a delta applies when its `since` is our version, anything else asks for a
// resync. Tests compare its state with the server's /api/live.
import { io as connect } from 'socket.io-client';
import type { LiveState, Snapshot } from '../../shared/schemas.js';
import type { Client } from './socket.js';

export interface LiveMirror {
  socket: Client;
  version: number;
  sites: Map<string, LiveState>;
  snapshots: number;
  resyncs: number;
  /** Per reconnection: ms from losing the connection to the first snapshot after it. */
  reconnectMs: number[];
  /** Site ids whose state differs from the snapshot (and '#version' when the version does). */
  diff(snapshot: Snapshot): string[];
  close(): void;
}

export interface LiveMirrorOptions {
  reconnection?: boolean;
  token?: string;
}

export function liveMirror(url: string, opts: LiveMirrorOptions = {}): LiveMirror {
  const socket: Client = connect(url, {
    transports: ['websocket'],
    forceNew: true,
    auth: opts.token ? { token: opts.token } : {},
    reconnection: opts.reconnection ?? false,
    reconnectionDelay: 100,
    reconnectionDelayMax: 1000,
    randomizationFactor: 0.5,
  });
  let lostAt: number | null = null;
  const m: LiveMirror = {
    socket,
    version: -1,
    sites: new Map(),
    snapshots: 0,
    resyncs: 0,
    reconnectMs: [],
    diff(snapshot) {
      const out: string[] = snapshot.version === m.version ? [] : ['#version'];
      for (const s of snapshot.sites)
        if (JSON.stringify(m.sites.get(s.siteId)) !== JSON.stringify(s)) out.push(s.siteId);
      if (m.sites.size !== snapshot.sites.length) out.push('#count');
      return out;
    },
    close: () => void socket.close(),
  };
  const apply = (s: Snapshot) => {
    m.version = s.version;
    m.sites.clear();
    for (const l of s.sites) m.sites.set(l.siteId, l);
    m.snapshots++;
    if (lostAt !== null) {
      m.reconnectMs.push(performance.now() - lostAt);
      lostAt = null;
    }
  };
  socket.on('live:snapshot', apply);
  socket.on('live:delta', (d) => {
    if (d.since !== m.version) {
      m.resyncs++;
      socket.timeout(10_000).emit('live:resync', (err: Error | null, snap: Snapshot) => {
        if (!err && snap) apply(snap);
      });
      return;
    }
    m.version = d.version;
    for (const l of d.sites) m.sites.set(l.siteId, l);
  });
  socket.on('disconnect', () => {
    lostAt ??= performance.now();
  });
  return m;
}
