// What the resident page receives (issue 19.2), counted on the wire by a real client of a real
// server (986 sites, every one with a staff count), on the page's plain websocket feed (`/feed`):
// the compact feed's 50-site delta against the
// JSON feed's (live:delta + summary:updated) for the same frame, goal <= 2 KB; and what a new page
// needs until it shows the full state (the brotli GET /api/live body, then the socket's bytes up
// to date, one frame having passed in between) against that brotli body alone, goal <= 1.5x.
// Bytes are deterministic; the one timing here (encoding CPU per frame, compact JSON against a
// binary varint form of the same entries) is what the choice of encoding rests on.
import { deflateRawSync } from 'node:zlib';
import { changedFields, encodeDelta, encodeSnapshot, type SiteChange } from '../../shared/compact-feed.js';
import type { LiveState } from '../../shared/schemas.js';
import { fetchLiveBr } from '../../testing/server/compact-client.js';
import { plainClient, type PlainClient } from '../../testing/server/plain-client.js';
import { recorder } from '../../testing/server/socket.js';
import { spawnChild } from './lib/child.js';
import { server, type Benchmark } from './lib/context.js';
import { makeRow, type Row } from './lib/report.js';
import { benchSites } from './lib/sites.js';
import type { ShortlineReady } from './servers/shortline.js';

const SITES = 986;
const CHANGED = 50;

const until = async (ok: () => boolean, what: string) => {
  for (let i = 0; i < 3000 && !ok(); i++) await new Promise((r) => setTimeout(r, 10));
  if (!ok()) throw new Error(`timed out waiting for ${what}`);
};

export const compactFeed: Benchmark = {
  names: ['compact-feed'],
  async run(ctx) {
    ctx.log(`compact feed: bytes per client, ${SITES} sites, ${CHANGED}-site deltas`);
    const ids = benchSites(SITES).map((s) => s.id);
    const srv = await spawnChild<ShortlineReady>(server('shortline.ts'), {
      store: 'embedded',
      sites: SITES,
      manualFrames: true,
    });
    const url = `http://127.0.0.1:${srv.ready.port}`;
    const sockets: { close(): void }[] = [];
    try {
      await srv.request('frame', { k: SITES });
      const delta = { compact: [] as number[], json: [] as number[] };
      const page = { ours: [] as number[], ref: [] as number[] };
      let sample: { prev: Map<string, LiveState>; next: Map<string, LiveState> } | null = null;
      for (let run = 0; run < ctx.runs; run++) {
        // A new page: the brotli body, a frame, then its socket from the body's version.
        const body = await fetchLiveBr(url);
        await srv.request('frame', { k: CHANGED });
        const c: PlainClient = plainClient(url, ids, { start: body });
        sockets.push({ close: () => c.ws.terminate() });
        await until(() => c.got.version === body.snapshot.version + 1 && c.got.sites.size === SITES, 'catch-up');
        page.ours.push(body.brBytes + c.got.wireBytes);
        page.ref.push(body.brBytes);
        // A 50-site frame to a compact client and a JSON client at once.
        const json = recorder(url);
        sockets.push(json.socket);
        let jsonBytes = 0;
        json.socket.io.engine.on('packet', (p: { data?: unknown }) => {
          const text = typeof p.data === 'string' ? p.data : '';
          if (/^2\["(live:delta|summary:updated)"/.test(text)) jsonBytes += wireBytes(1 + Buffer.byteLength(text));
        });
        await until(() => json.got.snapshots.length === 1, 'JSON snapshot');
        const prev = new Map(c.got.sites);
        const before = c.got.deltaBytes.length;
        await srv.request('frame', { k: CHANGED });
        await until(() => c.got.deltaBytes.length > before && json.got.deltas.length > 0, '50-site frame');
        await until(() => json.got.summaries.length > 0, 'summary');
        delta.compact.push(c.got.deltaBytes.at(-1)!);
        delta.json.push(jsonBytes);
        sample ??= { prev, next: new Map(c.got.sites) };
        for (const s of sockets.splice(0)) s.close();
      }
      // A frame in which every site changes again (a city-wide carrier batch does this once a
      // minute), as a page receives it: for the capacity plan's bandwidth. Every site already has
      // data, so the delta carries what changed, not everything (the first frame was a snapshot's
      // size: every field differed from a blank site).
      const whole = plainClient(url, ids);
      sockets.push({ close: () => whole.ws.terminate() });
      await until(() => whole.got.snapshots === 1, 'snapshot');
      await srv.request('frame', { k: SITES });
      await until(() => whole.got.deltas === 1, 'whole-city delta');
      const wholeBytes = whole.got.deltaBytes[0]!;
      const cpu = encodingCpu(ids, sample!.prev, sample!.next);
      const rows: Row[] = [
        makeRow({
          name: `compact-feed: ${CHANGED}-site delta per client (vs JSON feed)`,
          unit: 'B',
          ours: delta.compact,
          reference: delta.json,
          paired: true,
          goal: { of: 'ours', op: '<=', value: 2048 },
          note: `binary varint form of the same frame: ${cpu.binaryBytes} B on the wire; compact JSON deflated once per frame: ${cpu.deltaDeflated} B; encoding per frame ${cpu.jsonUs.toFixed(1)} µs compact JSON vs ${cpu.binaryUs.toFixed(1)} µs binary (once per frame for every client)`,
        }),
        makeRow({
          name: 'compact-feed: new page until full state (vs brotli /api/live)',
          unit: 'B',
          ours: page.ours,
          reference: page.ref,
          paired: true,
          goal: { of: 'ratio', op: '<=', value: 1.5 },
          note: `brotli GET /api/live + every byte of the page's /feed websocket (notices, the catch-up delta) until up to date; without a usable version a page is sent the compact snapshot instead: ${cpu.snapshotBytes} B (${cpu.snapshotDeflated} B if deflated once for everyone)`,
        }),
        makeRow({
          name: `compact-feed: delta with all ${SITES} sites changed, per client`,
          unit: 'B',
          ours: [wholeBytes],
          note: `${(wholeBytes / SITES).toFixed(1)} B per changed site on the page's /feed, frame header included`,
        }),
      ];
      return rows;
    } finally {
      for (const s of sockets) s.close();
      await srv.close();
    }
  },
};

/** Websocket frame header (server to client, unmasked) plus payload. */
const wireBytes = (payload: number) => payload + (payload < 126 ? 2 : payload < 65_536 ? 4 : 10);

/**
 * The measured alternative to compact JSON: the same entries as LEB128 varints (zigzag where a
 * value may be negative, scaled to integers: confidence x100, trend x10, time in ms; 0 = null),
 * sent as a Socket.IO binary event (a text placeholder packet and a binary frame).
 */
function encodeBinary(version: number, since: number, atMs: number, changes: readonly SiteChange[]): Buffer {
  const out: number[] = [];
  const uv = (n: number) => {
    for (; n >= 0x80; n = Math.floor(n / 128)) out.push((n % 128) | 0x80);
    out.push(n);
  };
  const sv = (n: number | null) => uv(n === null ? 0 : (n < 0 ? -2 * n - 1 : 2 * n) + 1);
  uv(version);
  uv(since);
  uv(atMs);
  const enums = {
    status: ['open', 'paused', 'closed'],
    level: ['low', 'medium', 'high', 'closed', 'unknown'],
    source: ['staff', 'carrier', 'none'],
    pause: ['break', 'supplies', 'staffing', 'weather', 'other'],
  };
  let prev = 0;
  for (const { index, mask, live: l } of changes) {
    uv(index - prev);
    uv(mask);
    prev = index;
    const fields: Array<() => void> = [
      () => uv(enums.status.indexOf(l.status)),
      () => sv(l.lanesOpen),
      () => sv(l.queue),
      () => sv(l.waitMinutes),
      () => uv(enums.level.indexOf(l.level)),
      () => uv(enums.source.indexOf(l.source)),
      () => sv(l.updatedAt === null ? null : atMs - Date.parse(l.updatedAt)),
      () => sv(l.confidence === null ? null : Math.round(l.confidence * 100)),
      () => uv(l.pauseReason === null ? 0 : enums.pause.indexOf(l.pauseReason) + 1),
      () => (l.waitRange ? (sv(l.waitRange[0]), sv(l.waitRange[1])) : sv(null)),
      () => sv(l.trendPerMin == null ? null : Math.round(l.trendPerMin * 10)),
    ];
    fields.forEach((f, i) => mask & (1 << i) && f());
  }
  return Buffer.from(out);
}

/** Encoding CPU per frame, each form as the server does it once per frame; and the binary form's wire bytes. */
function encodingCpu(ids: readonly string[], prev: Map<string, LiveState>, next: Map<string, LiveState>) {
  const changes: SiteChange[] = [];
  ids.forEach((id, index) => {
    const a = prev.get(id)!;
    const b = next.get(id)!;
    const mask = changedFields(a, b);
    if (mask) changes.push({ index, mask, live: b });
  });
  const at = Date.now();
  const json = () => Buffer.from(`42${JSON.stringify(['live:compact-delta', encodeDelta(2, 1, at, changes)])}`);
  const placeholder = '451-["live:compact-delta",{"_placeholder":true,"num":0}]';
  const binary = () => encodeBinary(2, 1, at, changes);
  const time = (f: () => Buffer) => {
    for (let i = 0; i < 200; i++) f();
    const n = 2000;
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i++) f();
    return Number(process.hrtime.bigint() - t0) / 1e3 / n;
  };
  const snapshot = Buffer.from(
    `42${JSON.stringify([
      'live:compact-snapshot',
      encodeSnapshot(
        'epoch',
        2,
        at,
        ids.map((id) => next.get(id)!),
      ),
    ])}`,
  );
  return {
    snapshotBytes: wireBytes(1 + snapshot.length),
    snapshotDeflated: deflateRawSync(snapshot).length,
    deltaDeflated: deflateRawSync(json()).length,
    jsonUs: time(json),
    binaryUs: time(binary),
    // Engine.IO sends a binary attachment as its own websocket frame, without the "4" prefix.
    binaryBytes: wireBytes(placeholder.length) + wireBytes(binary().length),
  };
}
