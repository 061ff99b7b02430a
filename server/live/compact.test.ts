import { io as connect } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '../../scripts/registry/random.js';
import { DeltaSchema, SnapshotSchema, SummarySchema } from '../../shared/schemas.js';
import { ManualClock } from '../clock.js';
import { bundledSites, startTestApp, type TestApp } from '../../testing/server/app.js';
import { postCarrier } from '../../testing/server/carrier.js';
import { compactClient, fetchLiveBr, type CompactClient } from '../../testing/server/compact-client.js';
import { recorder } from '../../testing/server/socket.js';
import { expectInSync as expectInSyncWith } from '../../testing/server/compact-sync.js';
import { waitFor } from '../../testing/wait.js';

// The whole bundled city (986 sites), as the byte budgets are about what a resident's phone gets.
const sites = bundledSites();
const ids = sites.map((s) => s.id);
const clock = new ManualClock(Date.parse('2026-11-22T02:00:00Z'));
const rng = mulberry32(19);
let t: TestApp;
const open: { close(): void }[] = [];
const compact = (start?: Parameters<typeof compactClient>[2]) => {
  const c = compactClient(t.url, ids, start);
  open.push(c.socket);
  return c;
};

/**
 * One carrier batch for `n` random sites, 20 s after the last: a typical busy frame (the first
 * readings stay fresh through every test, so no frame is a city-wide ageing).
 */
async function carrierBatch(n: number): Promise<void> {
  clock.advance(20_000);
  const chosen = [...ids].sort(() => rng() - 0.5).slice(0, n);
  const readings = chosen.map((siteId) => ({ siteId, people: Math.floor(rng() * 120), confidence: 0.8 }));
  expect(await postCarrier(t.url, clock.now(), readings)).toBe(200);
}

const expectInSync = (c: CompactClient, after = -1) => expectInSyncWith(t.url, ids, c.got, after);

beforeAll(async () => {
  t = await startTestApp({ clock, sites });
  // Every site with a reading, as in the day: deltas then change values rather than fill blanks.
  const all = ids.map((siteId) => ({ siteId, people: 30, confidence: 0.8 }));
  expect(await postCarrier(t.url, clock.now(), all)).toBe(200);
});
afterEach(() => {
  for (const s of open.splice(0)) s.close();
});
afterAll(() => t.close());

describe('compact feed over Socket.IO', () => {
  it('when a page starts from GET /api/live and reports arrive, then its state equals GET /api/live after each', async () => {
    const page = compact(await fetchLiveBr(t.url));
    await waitFor(() => expect(page.socket.connected).toBe(true));
    for (let i = 0; i < 3; i++) {
      const before = page.got.version;
      await carrierBatch(50);
      await expectInSync(page, before);
    }
    expect(page.got).toMatchObject({ snapshots: 0, jsonEvents: 0 });
    expect(page.got.deltas).toBeGreaterThanOrEqual(3);
  });

  it('when a page connects with an older version of this server, then it is sent the deltas since, no snapshot', async () => {
    const body = await fetchLiveBr(t.url);
    await carrierBatch(40);
    await waitFor(async () =>
      expect((await fetchLiveBr(t.url)).snapshot.version).toBeGreaterThan(body.snapshot.version),
    );
    const page = compact(body);
    await expectInSync(page);
    expect(page.got.snapshots).toBe(0);
    expect(page.got.deltas).toBeGreaterThan(0);
  });

  it('when a page holds no version, another epoch or a version never sent, then it gets a compact snapshot', async () => {
    const { snapshot, epoch } = await fetchLiveBr(t.url);
    const starts = [
      undefined,
      { snapshot, epoch: 'another-server', brBytes: 0 },
      { snapshot: { ...snapshot, version: snapshot.version + 1000 }, epoch, brBytes: 0 },
    ];
    for (const start of starts) {
      const page = compact(start);
      await waitFor(() => expect(page.got.snapshots).toBe(1));
      expect(page.got.epoch).toBe(epoch);
      await expectInSync(page);
    }
  });

  it('when a compact client asks to resync, then the acknowledgement carries a compact snapshot', async () => {
    const page = compact(await fetchLiveBr(t.url));
    await waitFor(() => expect(page.socket.connected).toBe(true));
    const raw = await page.socket.timeout(5000).emitWithAck('live:compact-resync');
    expect(raw[0]).toBe(page.got.epoch);
    expect(raw[3]).toBe(ids.length);
  });

  it('when the handshake asks for a feed badly, then it is refused with the contract error and nothing is sent', async () => {
    const bad = [
      { feed: 'xml' },
      { feed: 'compact', since: -1 },
      { feed: 'compact', since: 1.5 },
      { feed: 'compact', epoch: '../x' },
    ];
    for (const auth of bad) {
      const s = connect(t.url, { transports: ['websocket'], reconnection: false, forceNew: true, auth });
      open.push(s);
      const err = await new Promise<Error & { data?: unknown }>((resolve) => s.on('connect_error', resolve));
      expect(err.message).toBe('invalid_request');
      expect(err.data).toMatchObject({
        error: 'invalid_request',
        issues: [expect.objectContaining({ path: expect.any(String) })],
      });
      expect(s.connected).toBe(false);
    }
  });

  it('when JSON and compact clients are connected together, then the JSON client gets the documented events unchanged', async () => {
    const json = recorder(t.url);
    open.push(json.socket);
    const page = compact(await fetchLiveBr(t.url));
    await waitFor(() => expect(json.got.snapshots).toHaveLength(1));
    await carrierBatch(50);
    await waitFor(() => expect(json.got.deltas.length).toBeGreaterThan(0));
    await waitFor(() => expect(json.got.summaries.length).toBeGreaterThan(0));
    const snap = SnapshotSchema.strict().parse(json.got.snapshots[0]);
    expect(Object.keys(snap)).toEqual(['version', 'at', 'sites']);
    const d = DeltaSchema.strict().parse(json.got.deltas[0]);
    expect(d.since).toBe(snap.version);
    expect(Object.keys(d)).toEqual(['version', 'since', 'at', 'sites']);
    SummarySchema.strict().parse(json.got.summaries.at(-1));
    // The compact client ends at the same states the JSON client was sent.
    await waitFor(() => expect(page.got.version).toBe(json.got.deltas.at(-1)!.version));
    for (const l of json.got.deltas.flatMap((x) => x.sites)) expect(page.got.sites.get(l.siteId)).toBeDefined();
    const last = new Map(json.got.deltas.flatMap((x) => x.sites).map((l) => [l.siteId, l]));
    for (const [id, l] of last) expect(page.got.sites.get(id)).toEqual(l);
    expect(page.got.jsonEvents).toBe(0);
  });
});

describe('compact feed byte budgets (issue 19: what the resident page receives)', () => {
  it('when 50 sites change in a frame, then each compact client receives at most 2 KB for it', async () => {
    const page = compact(await fetchLiveBr(t.url));
    await waitFor(() => expect(page.socket.connected).toBe(true));
    await carrierBatch(50);
    await waitFor(() => expect(page.got.deltaBytes.length).toBeGreaterThan(0));
    const bytes = Math.max(...page.got.deltaBytes);
    console.log(`[figure] compact 50-site delta: ${bytes} B on the wire per client`);
    expect(bytes).toBeLessThanOrEqual(2048);
  });

  it('when a new page loads, then what it needs until it shows the full state is at most 1.5x the brotli GET /api/live', async () => {
    const body = await fetchLiveBr(t.url);
    // A frame between the page's fetch and its socket, as on a busy day.
    await carrierBatch(50);
    await waitFor(async () =>
      expect((await fetchLiveBr(t.url)).snapshot.version).toBeGreaterThan(body.snapshot.version),
    );
    const page = compact(body);
    await expectInSync(page);
    const total = body.brBytes + page.got.wireBytes;
    console.log(
      `[figure] new page: ${total} B (br /api/live ${body.brBytes} B + socket ${page.got.wireBytes} B) = ${(total / body.brBytes).toFixed(2)}x`,
    );
    expect(total).toBeLessThanOrEqual(1.5 * body.brBytes);
  });
});
