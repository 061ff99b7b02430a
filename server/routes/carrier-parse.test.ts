import { describe, expect, it } from 'vitest';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { CarrierBatchSchema } from '../../shared/schemas.js';
import { AppError, issuesOf } from '../errors.js';
import { READINGS_PER_TURN } from '../turns.js';
import { parseCarrierBatch } from './carrier-parse.js';

const observedAt = '2026-11-22T08:15:00+08:00';
const many = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ siteId: `site-${i}`, people: i % 300, confidence: (i % 10) / 10 }));

/** What the one-piece validation answered: the contract's 400 body, or the parsed batch. */
function expected(json: unknown) {
  const r = CarrierBatchSchema.safeParse(json);
  return r.success ? { ok: r.data } : { issues: issuesOf(r.error) };
}

async function actual(json: unknown) {
  try {
    return { ok: await parseCarrierBatch(json) };
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    expect(err).toMatchObject({ status: 400, code: 'invalid_request' });
    return { issues: err.extra.issues };
  }
}

describe('parseCarrierBatch', () => {
  const deep = many(12_345);
  deep[9_876] = { siteId: 'site-x', people: -3, confidence: 0.5 };
  const twoBad = many(5_000);
  twoBad[1] = { siteId: '', people: 1.5 } as never;
  (twoBad[4_321] as Record<string, unknown>).extra = true;
  const allBad = Array.from({ length: 10_000 }, () => ({ siteId: 7, people: 'many' }));
  const cases: Record<string, unknown> = {
    'a valid batch of several slices': { batchId: 'batch-0001', observedAt, readings: many(READINGS_PER_TURN * 3 + 7) },
    'an invalid reading deep in a large batch': { batchId: 'batch-0002', observedAt, readings: deep },
    'invalid readings in two slices': { batchId: 'batch-0003', observedAt, readings: twoBad },
    'every reading invalid (issues capped)': { batchId: 'batch-0004', observedAt, readings: allBad },
    'a bad envelope and a bad reading and an unknown key': {
      batchId: 'x',
      observedAt: 'yesterday',
      readings: deep,
      extra: 1,
    },
    'too many readings, one of them invalid': {
      batchId: 'batch-0005',
      readings: [...many(50_000), { siteId: 'a', people: -1 }],
    },
    'no readings': { batchId: 'batch-0006', observedAt, readings: [] },
    'readings not an array': { batchId: 'batch-0007', observedAt, readings: 'nope' },
    'readings missing': { batchId: 'batch-0008', observedAt },
    'a reading that is not an object': { batchId: 'batch-0009', observedAt, readings: [1, null] },
    'an array body': [1, 2],
    'a null body': null,
    'a string body': 'batch',
  };
  for (const [name, json] of Object.entries(cases)) {
    it(`when given ${name}, then it answers exactly as the whole schema does`, async () => {
      expect(await actual(json)).toEqual(expected(json));
    });
  }

  it('when an invalid reading is deep in a large batch, then its path names it', async () => {
    const r = await actual({ batchId: 'batch-0010', observedAt, readings: deep });
    expect(r.issues?.map((i) => i.path)).toEqual(['readings.9876.people']);
  });

  it('when 50,000 readings are validated, then the event loop keeps turning', { timeout: 30_000 }, async () => {
    const json = { batchId: 'batch-0011', observedAt, readings: many(50_000) };
    await parseCarrierBatch(json); // warm-up: the first run compiles zod's checks
    const eld = monitorEventLoopDelay({ resolution: 1 });
    let ticks = 0;
    const timer = setInterval(() => (ticks += 1), 1);
    eld.enable();
    const batch = await parseCarrierBatch(json);
    eld.disable();
    clearInterval(timer);
    expect(batch.readings).toHaveLength(50_000);
    expect(ticks).toBeGreaterThan(0);
    // A generous sanity bound on a shared machine, not a performance goal (that is the benchmark).
    expect(eld.max / 1e6).toBeLessThan(1_000);
  });
});
