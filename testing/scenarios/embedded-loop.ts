// Measurement: what persisting costs the event loop and the writer on the embedded store, with a
// full history on disk and in memory. The database is seeded with `historyHours` of per-minute
// history for every site, opened as the server opens it (embedded-db.ts), and then takes staff
// reports at a steady rate while perf_hooks' monitorEventLoopDelay watches the loop. Used by a
// suite test (figures printed) and by `npm run bench -- embedded-store` (the 20 ms bound).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { open } from 'lmdb';
import { silentLogger } from '../../server/logger.js';
import { openEmbeddedDb } from '../../server/store/embedded-db.js';
import { createMemoryStore } from '../../server/store/memory.js';
import type { Store } from '../../server/store/types.js';
import { percentile } from '../server/load.js';

export interface EmbeddedLoopOptions {
  sites: number;
  historyHours: number;
  ratePerS: number;
  durationMs: number;
  /** Reference: the same load on the memory-only store (no persistence at all). */
  persist: boolean;
}

export interface EmbeddedLoopResult {
  points: number;
  seedMs: number;
  openMs: number;
  writes: number;
  achievedRatePerS: number;
  /** Event-loop delay while writing, ms. */
  loopP99Ms: number;
  loopMaxMs: number;
  /** From the call to the answer (durable for the persisting store), ms. */
  writeP50Ms: number;
  writeP99Ms: number;
}

const MIN = 60_000;

export async function embeddedLoopScenario(o: EmbeddedLoopOptions): Promise<EmbeddedLoopResult> {
  const dir = mkdtempSync(join(tmpdir(), 'shortline-embedded-loop-'));
  const path = join(dir, 'store.lmdb');
  const siteIds = Array.from({ length: o.sites }, (_, i) => `site-${String(i).padStart(4, '0')}`);
  const end = Math.floor(Date.now() / MIN) * MIN;
  const perSite = o.historyHours * 60;
  let store: Store | undefined;
  let close = async () => {};
  try {
    const t0 = performance.now();
    if (o.persist) {
      const db = open({ path, mapSize: 8 * 1024 ** 3 });
      let last: Promise<unknown> = Promise.resolve();
      let n = 0;
      for (const id of siteIds) {
        // The layout of embedded-db.ts: one key per site and minute, and the history's expiry.
        for (let m = perSite; m >= 1; m--)
          last = db.put(['h', id, end - m * MIN] as never, [end - m * MIN, m % 40, m % 25, 'staff']);
        last = db.put(['hx', id] as never, end + 73 * 3600_000);
        // Committed in chunks on lmdb's write thread; waiting bounds the queued memory.
        if (++n % 50 === 0) await last;
      }
      await last;
      await db.flushed;
      await db.close();
    }
    const seedMs = performance.now() - t0;
    const t1 = performance.now();
    if (o.persist) {
      const db = await openEmbeddedDb({ path, logger: silentLogger() });
      store = db.store;
      close = db.close;
    } else {
      const histories = siteIds.map(
        (id) =>
          [
            id,
            Array.from({ length: perSite }, (_, k) => ({
              atMs: end - (perSite - k) * MIN,
              queue: k % 40,
              waitMinutes: k % 25,
              source: 'staff' as const,
            })),
            end + 73 * 3600_000,
          ] as [string, Array<{ atMs: number; queue: number; waitMinutes: number; source: 'staff' }>, number],
      );
      const mem = createMemoryStore({
        logger: silentLogger(),
        initial: { sites: [], reportIds: [], batchIds: [], histories, tokens: [], notices: [] },
      });
      store = mem;
      close = () => mem.close();
    }
    const openMs = performance.now() - t1;
    // Settle: the load above leaves garbage for the collector; let it go before measuring.
    await sleep(500);

    const latencies: number[] = [];
    const histogram = monitorEventLoopDelay({ resolution: 1 });
    let i = 0;
    let observed = Date.now();
    const pending = new Set<Promise<unknown>>();
    const s = store;
    const fire = () => {
      const siteId = siteIds[i % siteIds.length]!;
      const reportId = `r-${i++}`;
      observed = Math.max(Date.now(), observed + 1);
      const t = performance.now();
      const p = s
        .applyStaffReport({
          siteId,
          bodyHash: reportId,
          origin: 'bench',
          nowMs: observed,
          record: {
            reportId,
            queue: i % 50,
            lanesOpen: 1,
            status: 'open',
            pauseReason: null,
            note: null,
            observedAt: observed,
          },
          historyPoint: { atMs: observed, queue: i % 50, waitMinutes: 5, source: 'staff' },
        })
        .then(() => latencies.push(performance.now() - t));
      pending.add(p);
      void p.finally(() => pending.delete(p));
    };
    histogram.enable();
    const started = performance.now();
    let due = 0;
    while (performance.now() - started < o.durationMs) {
      const target = Math.floor(((performance.now() - started) / 1000) * o.ratePerS);
      for (; due < target; due++) fire();
      await sleep(5);
    }
    await Promise.all([...pending]);
    histogram.disable();
    const elapsed = performance.now() - started;
    latencies.sort((a, b) => a - b);
    return {
      points: o.sites * perSite,
      seedMs,
      openMs,
      writes: latencies.length,
      achievedRatePerS: latencies.length / (elapsed / 1000),
      loopP99Ms: histogram.percentile(99) / 1e6,
      loopMaxMs: histogram.max / 1e6,
      writeP50Ms: percentile(latencies, 50),
      writeP99Ms: percentile(latencies, 99),
    };
  } finally {
    await close();
    rmSync(dir, { recursive: true, force: true });
  }
}
