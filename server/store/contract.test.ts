// One contract, two stores: every behaviour the app relies on is checked against the embedded
// store and against a real Redis, so the app cannot tell them apart.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { emptyRaw, type Calibration, type StaffRecord } from '../../shared/domain.js';
import { implementations, T0, type Harness } from '../../testing/server/store-harness.js';
import {
  BATCH_ID_TTL_MS,
  HISTORY_RETENTION_MS,
  REPORT_ID_TTL_MS,
  StoreUnavailableError,
  type CarrierApplyInput,
  type CarrierApplyItem,
  type ChangeMessage,
  type StaffApplyInput,
  type Store,
} from './types.js';
import { waitFor } from '../../testing/wait.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const poll = { timeout: 5_000, interval: 20 };

let seq = 0;
const nextId = (what: string) => `${what}-${++seq}-${Math.random().toString(36).slice(2, 8)}`;

function staff(siteId: string, observedAt: number, over: Partial<StaffRecord> = {}): StaffApplyInput {
  const record: StaffRecord = {
    reportId: nextId('report'),
    queue: 12,
    lanesOpen: 2,
    status: 'open',
    pauseReason: null,
    note: null,
    observedAt,
    ...over,
  };
  return {
    siteId,
    record,
    bodyHash: `body:${record.reportId}:${record.queue}:${observedAt}`,
    origin: 'instance-a',
    nowMs: observedAt,
    historyPoint: { atMs: observedAt, queue: record.queue, waitMinutes: 3, source: 'staff' },
  };
}

function reading(siteId: string, observedAt: number, people: number, calibration?: Calibration): CarrierApplyItem {
  const item: CarrierApplyItem = {
    siteId,
    carrier: { people, confidence: 0.8, observedAt },
    historyPoint: { atMs: observedAt, queue: Math.round(people / 2), waitMinutes: 1, source: 'carrier' },
  };
  if (calibration) item.calibration = calibration;
  return item;
}

const batch = (items: CarrierApplyItem[], batchId = nextId('batch')): CarrierApplyInput => ({
  batchId,
  origin: 'feed-instance',
  nowMs: items[0]?.carrier.observedAt ?? T0,
  items,
});

for (const impl of implementations) {
  describe.skipIf(!impl.enabled)(`the ${impl.kind} store`, () => {
    let h: Harness;
    let store: Store;
    beforeEach(async () => {
      h = await impl.open();
      store = h.store;
    });
    afterEach(() => h.cleanup());

    const staffOf = async (siteId: string) => (await store.loadSites([siteId])).get(siteId)?.staff;

    describe('staff reports', () => {
      it('when the first report of a site arrives, then it is applied and loadSites returns it', async () => {
        const input = staff('s1', T0);
        const result = await store.applyStaffReport(input);
        expect(result).toEqual({ outcome: 'applied', raw: { staff: input.record, carrier: null, calibration: null } });
        expect(await staffOf('s1')).toEqual(input.record);
      });

      it('when a report is older than the applied one, then it is outdated and nothing changes', async () => {
        const newer = staff('s1', T0 + 5 * MIN);
        await store.applyStaffReport(newer);
        const result = await store.applyStaffReport(staff('s1', T0 + 2 * MIN, { queue: 99 }));
        expect(result).toEqual({ outcome: 'outdated', raw: { staff: newer.record, carrier: null, calibration: null } });
        expect(await staffOf('s1')).toEqual(newer.record);
        expect(await store.history('s1', 0, Infinity)).toEqual([newer.historyPoint]);
      });

      it('when a report has the same observedAt as the applied one, then it is applied', async () => {
        await store.applyStaffReport(staff('s1', T0));
        const same = staff('s1', T0, { queue: 40 });
        expect((await store.applyStaffReport(same)).outcome).toBe('applied');
        expect(await staffOf('s1')).toEqual(same.record);
      });

      it('when a report id comes again with the same body, then the first answer is given and nothing is applied again', async () => {
        const first = staff('s1', T0);
        await store.applyStaffReport(first);
        const later = staff('s1', T0 + MIN, { queue: 30 });
        await store.applyStaffReport(later);
        const replay = await store.applyStaffReport({ ...first, nowMs: T0 + 2 * MIN });
        expect(replay).toEqual({
          outcome: 'replay',
          applied: true,
          raw: { staff: later.record, carrier: null, calibration: null },
        });
        expect(await staffOf('s1')).toEqual(later.record);
        expect(await store.history('s1', 0, Infinity)).toHaveLength(2);
      });

      it('when an outdated report is replayed, then it answers "not applied" again', async () => {
        await store.applyStaffReport(staff('s1', T0 + 5 * MIN));
        const old = staff('s1', T0);
        expect((await store.applyStaffReport(old)).outcome).toBe('outdated');
        expect(await store.applyStaffReport(old)).toMatchObject({ outcome: 'replay', applied: false });
      });

      it('when a report id comes again with another body, then it is a mismatch and nothing changes', async () => {
        const first = staff('s1', T0);
        await store.applyStaffReport(first);
        const other = staff('s1', T0 + MIN, { reportId: first.record.reportId, queue: 77 });
        expect(await store.applyStaffReport(other)).toEqual({ outcome: 'mismatch' });
        expect(await staffOf('s1')).toEqual(first.record);
      });

      it('when two sites use the same report id, then each site applies its own report', async () => {
        const a = staff('s1', T0, { reportId: 'shared-report-id' });
        const b = { ...staff('s2', T0, { reportId: 'shared-report-id', queue: 3 }), bodyHash: 'another-body' };
        expect((await store.applyStaffReport(a)).outcome).toBe('applied');
        expect((await store.applyStaffReport(b)).outcome).toBe('applied');
      });

      it('when a report carries a calibration, then it is stored; a report without one keeps it', async () => {
        const calibration = { ratio: 0.37, samples: 4 };
        await store.applyStaffReport({ ...staff('s1', T0), calibration });
        const result = await store.applyStaffReport(staff('s1', T0 + MIN));
        expect(result).toMatchObject({ outcome: 'applied', raw: { calibration } });
      });

      it('when records hold fractions, nulls and any text, then they come back exactly', async () => {
        const input = staff('s1', T0 + 5 * MIN + 123, {
          status: 'paused',
          pauseReason: 'break',
          lanesOpen: null,
          note: 'back in 5 "min" — 稍候 \\ {tag}',
          queue: 0,
        });
        input.historyPoint = { atMs: input.record.observedAt, queue: null, waitMinutes: null, source: 'none' };
        const calibration = { ratio: 0.1234567890123456, samples: 1 };
        await store.applyStaffReport({ ...input, calibration });
        const carrier = reading('s1', T0 + 1, 3, { ratio: 1 / 3, samples: 2 });
        carrier.carrier.confidence = 2 / 3;
        await store.applyCarrierBatch(batch([carrier]));
        expect((await store.loadSites(['s1'])).get('s1')).toEqual({
          staff: input.record,
          carrier: carrier.carrier,
          calibration: { ratio: 1 / 3, samples: 2 },
        });
        expect(await store.history('s1', 0, Infinity)).toEqual([carrier.historyPoint, input.historyPoint]);
      });
    });

    it('when sites were never written, then loadSites gives each an empty raw state', async () => {
      await store.applyStaffReport(staff('known', T0));
      const loaded = await store.loadSites(['nobody', 'known', 'nobody-else']);
      expect([...loaded.keys()]).toEqual(['nobody', 'known', 'nobody-else']);
      expect(loaded.get('nobody')).toEqual(emptyRaw());
      expect(loaded.get('nobody-else')).toEqual(emptyRaw());
      expect(await store.loadSites([])).toEqual(new Map());
    });

    describe('carrier batches', () => {
      it('when readings are newer than or as new as the stored ones, then they are applied and counted', async () => {
        await store.applyCarrierBatch(batch([reading('s1', T0, 10), reading('s2', T0, 20)]));
        const result = await store.applyCarrierBatch(batch([reading('s1', T0 + MIN, 11), reading('s2', T0, 21)]));
        expect(result).toEqual({ duplicate: false, applied: 2 });
        const loaded = await store.loadSites(['s1', 's2']);
        expect(loaded.get('s1')?.carrier?.people).toBe(11);
        expect(loaded.get('s2')?.carrier?.people).toBe(21);
      });

      it('when a reading is older than the stored one, then it is skipped and not counted', async () => {
        await store.applyCarrierBatch(batch([reading('s1', T0 + 5 * MIN, 10)]));
        const result = await store.applyCarrierBatch(batch([reading('s1', T0, 99), reading('s2', T0, 5)]));
        expect(result).toEqual({ duplicate: false, applied: 1 });
        expect((await store.loadSites(['s1'])).get('s1')?.carrier?.people).toBe(10);
        expect(await store.history('s1', 0, Infinity)).toHaveLength(1);
      });

      it('when a batch id was seen before, then the batch is a duplicate and changes nothing', async () => {
        const first = batch([reading('s1', T0, 10)]);
        await store.applyCarrierBatch(first);
        const again = await store.applyCarrierBatch({ ...first, items: [reading('s1', T0 + MIN, 50)] });
        expect(again).toEqual({ duplicate: true, applied: 0 });
        expect((await store.loadSites(['s1'])).get('s1')?.carrier?.people).toBe(10);
      });

      it('when a reading carries a calibration, then it is stored with the reading', async () => {
        const calibration = { ratio: 0.5, samples: 3 };
        await store.applyCarrierBatch(batch([reading('s1', T0, 10, calibration)]));
        expect((await store.loadSites(['s1'])).get('s1')?.calibration).toEqual(calibration);
      });

      it('when a batch holds 50,000 readings, then every one is applied', { timeout: 120_000 }, async () => {
        const items = Array.from({ length: 50_000 }, (_, i) => reading(`site-${i}`, T0, i));
        expect(await store.applyCarrierBatch(batch(items))).toEqual({ duplicate: false, applied: 50_000 });
        const loaded = await store.loadSites(items.map((i) => i.siteId));
        expect(loaded.size).toBe(50_000);
        for (const item of items) expect(loaded.get(item.siteId)?.carrier).toEqual(item.carrier);
      });

      // The Redis store keeps several chunks of a batch on the wire at once; they must still land
      // in the batch's order, so a site listed twice ends with its later reading.
      it(
        'when a batch spans several chunks and repeats sites, then readings land in order and are announced in order',
        { timeout: 60_000 },
        async () => {
          const received: ChangeMessage[] = [];
          (await h.peer()).subscribe((m) => received.push(m));
          const items = Array.from({ length: 3_210 }, (_, i) => reading(`site-${i % 1_300}`, T0, i));
          const b = batch(items);
          expect(await store.applyCarrierBatch(b)).toEqual({ duplicate: false, applied: 3_210 });
          const loaded = await store.loadSites(items.slice(-1_300).map((i) => i.siteId));
          for (const item of items.slice(-1_300))
            expect(loaded.get(item.siteId)?.carrier?.people).toBe(item.carrier.people);
          expect((await store.history('site-7', 0, Infinity)).map((p) => p.queue)).toEqual([Math.round(2_607 / 2)]);
          await waitFor(
            () => expect(received.flatMap((m) => (m.kind === 'sites' ? m.sites : []))).toHaveLength(3_210),
            poll,
          );
          expect(
            received.flatMap((m) => (m.kind === 'sites' ? m.sites.map((s) => s.raw.carrier?.people) : [])),
          ).toEqual(items.map((i) => i.carrier.people));
          expect(await store.applyCarrierBatch({ ...b, items: [reading('site-7', T0 + MIN, 1)] })).toEqual({
            duplicate: true,
            applied: 0,
          });
          expect((await store.loadSites(['site-7'])).get('site-7')?.carrier?.people).toBe(2_607);
        },
      );
    });

    describe('history', () => {
      it('when several writes fall in one minute, then the last write of that minute wins', async () => {
        await store.applyStaffReport(staff('s1', T0 + 40_000));
        const last = reading('s1', T0 + 10_000, 8);
        await store.applyCarrierBatch(batch([last]));
        expect(await store.history('s1', 0, Infinity)).toEqual([last.historyPoint]);
      });

      it('when points carry lanes open and a served counter, some or none, then each comes back as written', async () => {
        // A point without the optional fields is stored exactly as earlier versions stored every point.
        const points = [
          { atMs: T0, queue: 4, waitMinutes: 1, source: 'staff', lanesOpen: 2, served: 130 },
          { atMs: T0 + MIN, queue: 5, waitMinutes: 1, source: 'carrier', lanesOpen: 3 },
          { atMs: T0 + 2 * MIN, queue: null, waitMinutes: null, source: 'none', served: 0 },
          { atMs: T0 + 3 * MIN, queue: 6, waitMinutes: 2, source: 'carrier' },
        ] as const;
        for (const p of points) {
          const item = reading('s1', p.atMs, 10);
          item.historyPoint = { ...p };
          await store.applyCarrierBatch(batch([item]));
        }
        expect(await store.history('s1', 0, Infinity)).toStrictEqual(points);
      });

      it('when a range is asked for, then only the points within it come back, oldest first', async () => {
        for (const m of [0, 1, 2, 3, 4, 5]) await store.applyCarrierBatch(batch([reading('s1', T0 + m * MIN, m)]));
        const points = await store.history('s1', T0 + 2 * MIN, T0 + 4 * MIN);
        expect(points.map((p) => p.atMs)).toEqual([T0 + 2 * MIN, T0 + 3 * MIN, T0 + 4 * MIN]);
      });

      it('when points are older than the retention, then the next write trims them', async () => {
        await store.applyStaffReport(staff('s1', T0));
        await h.elapse(2 * HOUR);
        await store.applyStaffReport(staff('s1', T0 + 2 * HOUR));
        const late = T0 + HISTORY_RETENTION_MS + MIN;
        await h.elapse(late - (T0 + 2 * HOUR));
        await store.applyStaffReport(staff('s1', late));
        expect((await store.history('s1', 0, Infinity)).map((p) => p.atMs)).toEqual([T0 + 2 * HOUR, late]);
      });

      it('when a site has had no history write for the retention, then its history is gone', async () => {
        await store.applyStaffReport(staff('s1', T0));
        await h.elapse(HISTORY_RETENTION_MS - MIN);
        expect(await store.history('s1', 0, Infinity)).toHaveLength(1);
        await h.elapse(MIN);
        expect(await store.history('s1', 0, Infinity)).toEqual([]);
      });
    });

    describe('staff tokens', () => {
      const token = (tokenId: string, siteId: string, createdAtMs: number) => ({
        tokenId,
        hash: `hash-of-${tokenId}`,
        siteId,
        label: tokenId === 't1' ? 'front desk' : null,
        createdAtMs,
      });

      it('when tokens are created, then they are found by hash and listed (by site, oldest first)', async () => {
        for (const t of [token('t2', 's1', T0 + 1), token('t1', 's1', T0), token('t3', 's2', T0)])
          await store.createStaffTokens([t]);
        expect(await store.findStaffToken('hash-of-t1')).toEqual(token('t1', 's1', T0));
        expect(await store.findStaffToken('hash-of-nothing')).toBeNull();
        expect((await store.listStaffTokens('s1')).map((t) => t.tokenId)).toEqual(['t1', 't2']);
        expect((await store.listStaffTokens()).map((t) => t.tokenId)).toEqual(['t1', 't3', 't2']);
      });

      it('when a batch of tokens with sealed copies is created, then each is found, listed and revocable, sealed copy intact', async () => {
        const batch = ['b1', 'b2', 'b3'].map((id, i) => ({ ...token(id, `s${i}`, T0 + i), sealed: `v1.sealed-${id}` }));
        await store.createStaffTokens(batch);
        await store.createStaffTokens([]);
        for (const t of batch) expect(await store.findStaffToken(t.hash)).toEqual(t);
        expect(await store.listStaffTokens()).toEqual(batch);
        expect(await store.revokeStaffToken('b2', 'instance-a')).toEqual(batch[1]);
        expect((await store.listStaffTokens()).map((t) => t.tokenId)).toEqual(['b1', 'b3']);
      });

      it('when a token is revoked, then it is returned once, then null, and is no longer found or listed', async () => {
        await store.createStaffTokens([token('t1', 's1', T0)]);
        expect(await store.revokeStaffToken('t1', 'instance-a')).toEqual(token('t1', 's1', T0));
        expect(await store.revokeStaffToken('t1', 'instance-a')).toBeNull();
        expect(await store.findStaffToken('hash-of-t1')).toBeNull();
        expect(await store.listStaffTokens('s1')).toEqual([]);
        expect(await store.revokeStaffToken('never-existed', 'instance-a')).toBeNull();
      });
    });

    describe('exclusive sections', () => {
      it('when two instances run sections under one name at once, then they never overlap, and a failing one frees the name', async () => {
        const peer = await h.peer();
        let inside = 0;
        let most = 0;
        const order: string[] = [];
        const section =
          (who: string, fail = false) =>
          async () => {
            inside++;
            most = Math.max(most, inside);
            // Yield a few turns (and a Redis round trip) so an overlap would show.
            await store.ping();
            await new Promise((r) => setImmediate(r));
            order.push(who);
            inside--;
            if (fail) throw new Error(`${who} failed`);
            return who;
          };
        const runs = [store, peer, store, peer, store, peer].map((s, i) =>
          s.exclusive('sheet', section(`run ${i}`, i === 1)),
        );
        const results = await Promise.allSettled(runs);
        expect(most).toBe(1);
        expect(order).toHaveLength(6);
        expect(results.map((r) => r.status)).toEqual([
          'fulfilled',
          'rejected',
          'fulfilled',
          'fulfilled',
          'fulfilled',
          'fulfilled',
        ]);
        // Other names are not held up by a held one. Wait until 'sheet' is really held: its lock
        // is a Redis round trip away, so without this 'other' could run before it is taken.
        let release!: () => void;
        let entered!: () => void;
        const taken = new Promise<void>((r) => (entered = r));
        const held = store.exclusive(
          'sheet',
          () =>
            new Promise<void>((r) => {
              release = r;
              entered();
            }),
        );
        await taken;
        expect(await peer.exclusive('other', async () => 'free')).toBe('free');
        release();
        await held;
        expect(await peer.exclusive('sheet', async () => 'after')).toBe('after');
      });
    });

    describe('change messages', () => {
      it('when a report is applied, then a subscriber of another instance receives it with origin and content', async () => {
        const received: ChangeMessage[] = [];
        (await h.peer()).subscribe((m) => received.push(m));
        const input = { ...staff('s1', T0), calibration: { ratio: 0.4, samples: 2 } };
        await store.applyStaffReport(input);
        await waitFor(
          () =>
            expect(received).toEqual([
              {
                kind: 'sites',
                origin: 'instance-a',
                sites: [{ siteId: 's1', raw: { staff: input.record, calibration: input.calibration } }],
              },
            ]),
          poll,
        );
      });

      it('when a report is not applied, then nothing is published', async () => {
        const received: ChangeMessage[] = [];
        (await h.peer()).subscribe((m) => received.push(m));
        const first = staff('s1', T0 + MIN);
        await store.applyStaffReport(first);
        await store.applyStaffReport(staff('s1', T0)); // outdated
        await store.applyStaffReport(first); // replay
        await store.applyStaffReport({ ...first, bodyHash: 'other' }); // mismatch
        // The marker is a newer report of the same site: a cluster orders messages per node (one
        // site's messages come from its slot's node), not across sites.
        await store.applyStaffReport(staff('s1', T0 + 2 * MIN));
        await waitFor(() => expect(received).toHaveLength(2), poll);
        const observed = received.map((m) => m.kind === 'sites' && m.sites[0]?.raw.staff?.observedAt);
        expect(observed).toEqual([first.record.observedAt, T0 + 2 * MIN]);
      });

      it('when a carrier batch is applied, then the applied sites are announced, not the skipped ones', async () => {
        await store.applyCarrierBatch(batch([reading('old', T0 + MIN, 1)]));
        const received: ChangeMessage[] = [];
        (await h.peer()).subscribe((m) => received.push(m));
        const fresh = reading('s1', T0, 10, { ratio: 0.6, samples: 5 });
        await store.applyCarrierBatch(batch([fresh, reading('old', T0, 2)]));
        await waitFor(
          () =>
            expect(received).toEqual([
              {
                kind: 'sites',
                origin: 'feed-instance',
                sites: [{ siteId: 's1', raw: { carrier: fresh.carrier, calibration: fresh.calibration } }],
              },
            ]),
          poll,
        );
      });

      it('when a token is revoked, then other instances learn which token of which site', async () => {
        const received: ChangeMessage[] = [];
        (await h.peer()).subscribe((m) => received.push(m));
        await store.createStaffTokens([{ tokenId: 't1', hash: 'h1', siteId: 's9', label: null, createdAtMs: T0 }]);
        await store.revokeStaffToken('t1', 'admin-instance');
        await waitFor(
          () => expect(received).toEqual([{ kind: 'revoked', origin: 'admin-instance', tokenId: 't1', siteId: 's9' }]),
          poll,
        );
      });

      it('when a listener unsubscribes, then it receives nothing more while others still do', async () => {
        const peer = await h.peer();
        const gone: ChangeMessage[] = [];
        const kept: ChangeMessage[] = [];
        const unsubscribe = peer.subscribe((m) => gone.push(m));
        peer.subscribe((m) => kept.push(m));
        unsubscribe();
        await store.applyStaffReport(staff('s1', T0));
        await waitFor(() => expect(kept).toHaveLength(1), poll);
        expect(gone).toEqual([]);
      });

      it('when listeners ignore an origin, then its messages of every kind skip them while other origins still arrive', async () => {
        const peer = await h.peer();
        const ignoring: ChangeMessage[] = [];
        const all: ChangeMessage[] = [];
        peer.subscribe((m) => ignoring.push(m), { ignoreOrigin: 'instance-a' });
        peer.subscribe((m) => all.push(m));
        await store.applyStaffReport(staff('s1', T0));
        await store.createStaffTokens([{ tokenId: 't2', hash: 'h2', siteId: 's1', label: null, createdAtMs: T0 }]);
        await store.revokeStaffToken('t2', 'instance-a');
        await store.applyStaffReport({ ...staff('s2', T0), origin: 'instance-b' });
        await waitFor(() => expect(all).toHaveLength(3), poll);
        // A cluster publishes from the node that owns each key: messages of different writes may
        // arrive in either order.
        expect(all.map((m) => m.origin).sort()).toEqual(['instance-a', 'instance-a', 'instance-b']);
        expect(ignoring).toEqual(all.filter((m) => m.origin === 'instance-b'));
      });

      it('when every listener ignores an origin, then other origins still reach them all', async () => {
        const peer = await h.peer();
        const a: ChangeMessage[] = [];
        const b: ChangeMessage[] = [];
        peer.subscribe((m) => a.push(m), { ignoreOrigin: 'instance-a' });
        peer.subscribe((m) => b.push(m), { ignoreOrigin: 'instance-a' });
        await store.applyStaffReport(staff('s1', T0));
        await store.applyStaffReport({ ...staff('s2', T0), origin: 'instance-b' });
        await waitFor(() => expect(b).toHaveLength(1), poll);
        expect(a).toEqual(b);
        expect(a[0]).toMatchObject({ kind: 'sites', origin: 'instance-b' });
      });

      it('when a store writes, then its own listeners hear of it only after the write call has returned', async () => {
        const received: ChangeMessage[] = [];
        store.subscribe((m) => received.push(m));
        const pending = store.applyStaffReport(staff('s1', T0));
        expect(received).toEqual([]);
        await pending;
        await waitFor(() => expect(received).toMatchObject([{ kind: 'sites', origin: 'instance-a' }]), poll);
      });
    });

    describe('expiry', () => {
      it('when the id TTLs have passed, then report and batch ids are forgotten', async () => {
        const first = staff('s1', T0);
        await store.applyStaffReport(first);
        const b = batch([reading('s1', T0, 1)]);
        await store.applyCarrierBatch(b);
        const reuse = { ...staff('s1', T0 + MIN, { reportId: first.record.reportId }), bodyHash: 'new-body' };
        const shorter = Math.min(REPORT_ID_TTL_MS, BATCH_ID_TTL_MS);
        await h.elapse(shorter - MIN);
        expect((await store.applyStaffReport(reuse)).outcome).toBe('mismatch');
        expect((await store.applyCarrierBatch(b)).duplicate).toBe(true);
        await h.elapse(Math.max(REPORT_ID_TTL_MS, BATCH_ID_TTL_MS) - shorter + MIN);
        expect((await store.applyStaffReport(reuse)).outcome).toBe('applied');
        expect((await store.applyCarrierBatch(b)).duplicate).toBe(false);
      });
    });

    describe('lifecycle', () => {
      it('when the store is open, then ping resolves', async () => {
        await expect(store.ping()).resolves.toBeUndefined();
      });

      it('when close is called twice, then both resolve and every later call rejects as unavailable', async () => {
        await Promise.all([store.close(), store.close()]);
        await expect(store.close()).resolves.toBeUndefined();
        await expect(store.ping()).rejects.toBeInstanceOf(StoreUnavailableError);
        await expect(store.applyStaffReport(staff('s1', T0))).rejects.toBeInstanceOf(StoreUnavailableError);
        await expect(store.loadSites(['s1'])).rejects.toBeInstanceOf(StoreUnavailableError);
      });
    });
  });
}
