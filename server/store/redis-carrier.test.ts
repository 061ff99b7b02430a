// What only the Redis stores do with a carrier batch, beyond the contract: several chunks on the
// wire at once, so a chunk failing while an earlier one is awaited must still fail the batch
// cleanly (a 503, no unhandled rejection) and leave the batch id unset so a retry applies it.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { implementations, T0, type Harness } from '../../testing/server/store-harness.js';
import { StoreUnavailableError, type CarrierApplyItem } from './types.js';

const reading = (siteId: string, people: number, atMs = T0): CarrierApplyItem => ({
  siteId,
  carrier: { people, confidence: 0.5, observedAt: T0 },
  historyPoint: { atMs, queue: people, waitMinutes: 1, source: 'carrier' },
});

for (const impl of implementations.filter((i) => i.kind !== 'embedded')) {
  describe.skipIf(!impl.enabled)(`carrier batches on the ${impl.kind} store`, () => {
    let h: Harness;
    beforeEach(async () => {
      h = await impl.open();
    });
    afterEach(() => h.cleanup());

    it(
      'when a late chunk of a batch is refused by Redis, then the batch fails as unavailable and a retry applies it',
      { timeout: 60_000 },
      async () => {
        const items = Array.from({ length: 2_600 }, (_, i) => reading(`s-${i}`, i));
        // NaN is no score for ZADD: the script fails inside the third chunk.
        items[1_234] = reading('s-1234', 1_234, Number.NaN);
        const batchId = `late-failure-${Date.now()}`;
        await expect(h.store.applyCarrierBatch({ batchId, origin: 'a', nowMs: T0, items })).rejects.toBeInstanceOf(
          StoreUnavailableError,
        );
        items[1_234] = reading('s-1234', 1_234);
        expect(await h.store.applyCarrierBatch({ batchId, origin: 'a', nowMs: T0, items })).toEqual({
          duplicate: false,
          applied: 2_600,
        });
        const loaded = await h.store.loadSites(['s-0', 's-1234', 's-2599']);
        expect([...loaded.values()].map((r) => r.carrier?.people)).toEqual([0, 1_234, 2_599]);
      },
    );
  });
}
