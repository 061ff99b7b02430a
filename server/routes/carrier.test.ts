import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sign } from '../auth/hmac.js';
import { ManualClock } from '../clock.js';
import { issueToken, report, startTestApp, TEST_CARRIER_KEY, type TestApp } from '../../testing/server/app.js';

const clock = new ManualClock(Date.parse('2026-11-22T02:00:00Z'));
let t: TestApp;
let n = 0;

interface SendOpts {
  key?: string;
  secret?: string;
  ts?: number;
  signature?: string;
  raw?: string;
}

async function send(body: unknown, o: SendOpts = {}) {
  const raw = o.raw ?? JSON.stringify(body);
  const ts = o.ts ?? Math.floor(clock.now() / 1000);
  const headers: Record<string, string> = { 'content-type': 'application/json', 'x-feed-timestamp': String(ts) };
  if (o.key !== '') headers['x-feed-key'] = o.key ?? TEST_CARRIER_KEY.id;
  headers['x-feed-signature'] = o.signature ?? `sha256=${sign(o.secret ?? TEST_CARRIER_KEY.secret, ts, raw)}`;
  const res = await fetch(`${t.url}/api/feeds/carrier`, { method: 'POST', headers, body: raw });
  return { status: res.status, body: JSON.parse(await res.text()) };
}

const batch = (
  readings: Array<{ siteId: string; people: number; confidence?: number }>,
  over: Record<string, unknown> = {},
) => ({
  batchId: `batch-${++n}-${Date.now()}`,
  observedAt: new Date(clock.now()).toISOString(),
  readings,
  ...over,
});

beforeAll(async () => {
  t = await startTestApp({
    clock,
    config: { carrierKeys: new Map([[TEST_CARRIER_KEY.id, [TEST_CARRIER_KEY.secret, 'rotated-secret-0123456789']]]) },
  });
});
afterAll(() => t.close());

describe('POST /api/feeds/carrier', () => {
  it('when a signed batch arrives, then known sites show a calibrated estimate and unknown ones are listed', async () => {
    const r = await send(
      batch([
        { siteId: 'site-1', people: 80, confidence: 0.9 },
        { siteId: 'ghost', people: 5 },
      ]),
    );
    expect(r).toEqual({ status: 200, body: { accepted: 1, unknownSites: ['ghost'], duplicate: false } });
    const live = (await (await fetch(`${t.url}/api/sites/site-1`)).json()).live;
    // Default ratio 0.5 before any staff count calibrated the feed.
    // Uncalibrated: (80 people - 5 passers-by) / 2 phones per person, less 2 in service.
    expect(live).toMatchObject({ source: 'carrier' });
    expect(live.queue).toBeGreaterThan(30);
    expect(live.queue).toBeLessThan(40);
  });

  it('when the public API is read, then the raw carrier count appears nowhere', async () => {
    await send(batch([{ siteId: 'site-2', people: 7777 }]));
    for (const path of ['/api/live', '/api/sites/site-2', '/api/summary', '/api/sites/site-2/history?hours=1']) {
      const text = await (await fetch(`${t.url}${path}`)).text();
      expect(text, path).not.toContain('7777');
    }
  });

  it('when the same batchId is sent again, then it is a duplicate with no effect', async () => {
    const b = batch([{ siteId: 'site-3', people: 10 }]);
    expect((await send(b)).body.duplicate).toBe(false);
    const again = await send({ ...b, readings: [{ siteId: 'site-3', people: 999 }] });
    expect(again).toEqual({ status: 200, body: { accepted: 0, unknownSites: [], duplicate: true } });
    expect((await (await fetch(`${t.url}/api/sites/site-3`)).json()).live.queue).toBeLessThan(10);
  });

  it('when a staff count and a carrier reading overlap, then later carrier estimates are calibrated to the site', async () => {
    const { token } = await issueToken(t, 'site-2');
    await send(batch([{ siteId: 'site-2', people: 100 }]));
    expect((await report(t, token, 'site-2', { queue: 20 })).status).toBe(200);
    // The staff count ages out; the next reading is scaled by the learned ratio 0.2.
    clock.advance(16 * 60_000);
    await send(batch([{ siteId: 'site-2', people: 150 }]));
    const calibrated = (await (await fetch(`${t.url}/api/sites/site-2`)).json()).live;
    // Uncalibrated, 150 people would read as ~70 waiting; one overlap (20 waiting at 100) pulls it down, partway (one sample against the prior).
    expect(calibrated.source).toBe('carrier');
    expect(calibrated.queue).toBeLessThan(65);
  });

  it('when the signature is made with the rotated secret or several signatures are sent, then one match is enough', async () => {
    expect((await send(batch([{ siteId: 'site-1', people: 1 }]), { secret: 'rotated-secret-0123456789' })).status).toBe(
      200,
    );
    const b = batch([{ siteId: 'site-1', people: 2 }]);
    const raw = JSON.stringify(b);
    const ts = Math.floor(clock.now() / 1000);
    const sig = `sha256=${'0'.repeat(64)}, sha256=${sign(TEST_CARRIER_KEY.secret, ts, raw)}`;
    expect((await send(b, { raw, ts, signature: sig })).status).toBe(200);
  });

  it('when the key is missing or unknown, or the signature wrong, then 401', async () => {
    const b = batch([{ siteId: 'site-1', people: 3 }]);
    expect((await send(b, { key: '' })).body.error).toBe('missing_key');
    expect((await send(b, { key: 'nobody' })).body.error).toBe('unknown_key');
    const bad = await send(b, { secret: 'wrong-secret-0123456789' });
    expect(bad).toMatchObject({ status: 401, body: { error: 'bad_signature' } });
    expect((await send(b, { signature: 'md5=abc' })).status).toBe(401);
  });

  it('when the timestamp is more than 300 s off either way, then 401; within the window it is accepted', async () => {
    const now = Math.floor(clock.now() / 1000);
    expect((await send(batch([{ siteId: 'site-1', people: 3 }]), { ts: now - 301 })).body.error).toBe(
      'stale_timestamp',
    );
    expect((await send(batch([{ siteId: 'site-1', people: 3 }]), { ts: now + 301 })).body.error).toBe(
      'stale_timestamp',
    );
    expect((await send(batch([{ siteId: 'site-1', people: 3 }]), { ts: now + 290 })).status).toBe(200);
    expect((await send(batch([{ siteId: 'site-1', people: 3 }]), { ts: now - 290 })).status).toBe(200);
  });

  it('when a captured request is replayed, then the batch id makes it a no-op', async () => {
    const b = batch([{ siteId: 'site-1', people: 60 }]);
    const raw = JSON.stringify(b);
    const ts = Math.floor(clock.now() / 1000);
    const signature = `sha256=${sign(TEST_CARRIER_KEY.secret, ts, raw)}`;
    expect((await send(b, { raw, ts, signature })).body.duplicate).toBe(false);
    expect((await send(b, { raw, ts, signature })).body.duplicate).toBe(true);
  });

  it('when the body is invalid, then 400 with issues; not JSON, then 400 invalid_json', async () => {
    const r = await send({ batchId: 'x', observedAt: 'yesterday', readings: [] });
    expect(r.status).toBe(400);
    expect(r.body.issues.map((i: { path: string }) => i.path)).toEqual(
      expect.arrayContaining(['batchId', 'observedAt', 'readings']),
    );
    expect((await send(null, { raw: '{"batchId":' })).body.error).toBe('invalid_json');
    const neg = await send(batch([{ siteId: 'site-1', people: -5 }]));
    expect(neg.body.issues[0].path).toBe('readings.0.people');
  });

  it('when the body is larger than the limit, then 413', async () => {
    const res = await fetch(`${t.url}/api/feeds/carrier`, {
      method: 'POST',
      headers: { 'x-feed-key': TEST_CARRIER_KEY.id },
      body: 'x'.repeat(9 * 1024 * 1024),
    });
    expect(res.status).toBe(413);
    expect((await res.json()).error).toBe('payload_too_large');
  });

  it('when a batch of 50,000 readings arrives, then every known reading is applied', async () => {
    const readings = Array.from({ length: 50_000 }, (_, i) => ({
      siteId: i % 2 ? 'site-1' : `unknown-${i % 500}`,
      people: i % 100,
    }));
    const r = await send(batch(readings));
    expect(r.status).toBe(200);
    expect(r.body.accepted).toBe(25_000);
    expect(r.body.unknownSites).toHaveLength(250);
  });

  it('when one reading deep in a large batch is invalid, then 400 names it and nothing of the batch is stored', async () => {
    const before = await (await fetch(`${t.url}/api/sites/site-3`)).json();
    expect(before.live).toBeDefined();
    const readings = Array.from({ length: 40_000 }, (_, i) => ({ siteId: 'site-3', people: 4242 + (i % 3) }));
    readings[31_234] = { siteId: 'site-3', people: 1.5 };
    const r = await send(batch(readings));
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ error: 'invalid_request', issues: [{ path: 'readings.31234.people' }] });
    expect(await (await fetch(`${t.url}/api/sites/site-3`)).json()).toEqual(before);
  });

  it(
    'when a batch of 50,000 readings is validated and applied, then the event loop keeps turning',
    { timeout: 60_000 },
    async () => {
      const { monitorEventLoopDelay } = await import('node:perf_hooks');
      const readings = Array.from({ length: 50_000 }, (_, i) => ({
        siteId: `site-${1 + (i % 5)}`,
        people: i % 100,
        confidence: 0.5,
      }));
      const eld = monitorEventLoopDelay({ resolution: 1 });
      eld.enable();
      const r = await send(batch(readings));
      eld.disable();
      expect(r.status).toBe(200);
      // The server runs in this process. A generous sanity bound on a shared machine, not a
      // performance goal (that is `npm run bench -- carrier`): one piece of 50,000 would be far over.
      expect(eld.max / 1e6).toBeLessThan(1_000);
    },
  );
});
