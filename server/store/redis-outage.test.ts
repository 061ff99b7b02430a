// The Redis store through outages, each against a Redis of the test's own (the shared one keeps
// serving every other suite): failing fast while Redis is gone, recovering alone when it returns.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../logger.js';
import { hasRedisServer, startPrivateRedis, type PrivateRedis } from '../../testing/server/private-redis.js';
import { createRedisStore } from './redis.js';
import { StoreUnavailableError, type ChangeMessage, type StaffApplyInput, type Store } from './types.js';
import { waitFor } from '../../testing/wait.js';

// CI sets REQUIRE_REDIS=1: then a missing redis-server fails these tests instead of skipping them.
const canRun = hasRedisServer() || process.env.REQUIRE_REDIS === '1';

/** A functional bound: well under ioredis's default of queueing for about 73 s. */
const FAIL_FAST_MS = 3_000;
const RECOVERY = { timeout: 15_000, interval: 100 };

let seq = 0;
function report(siteId = 's1'): StaffApplyInput {
  const observedAt = Date.now() + seq;
  const reportId = `outage-report-${++seq}`;
  return {
    siteId,
    bodyHash: reportId,
    origin: 'outage-test',
    nowMs: observedAt,
    record: { reportId, queue: 4, lanesOpen: 1, status: 'open', pauseReason: null, note: null, observedAt },
    historyPoint: { atMs: observedAt, queue: 4, waitMinutes: 2, source: 'staff' },
  };
}

/** Runs a call that must fail and returns how long it took to fail. */
async function msUntilRejected(call: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await expect(call()).rejects.toBeInstanceOf(StoreUnavailableError);
  return performance.now() - started;
}

describe.skipIf(!canRun)('the Redis store during a Redis outage', () => {
  let redis: PrivateRedis;
  let store: Store;
  let messages: ChangeMessage[];

  beforeEach(async () => {
    redis = await startPrivateRedis();
    store = await createRedisStore({ url: redis.url, logger: silentLogger(), commandTimeoutMs: 2_000 });
    messages = [];
    store.subscribe((m) => messages.push(m));
    await store.applyStaffReport(report());
  });

  afterEach(async () => {
    await store?.close();
    await redis?.stop();
  });

  it.each([
    ['stops', () => redis.stop()],
    ['crashes', () => redis.kill()],
  ])('when Redis %s, then writes and pings fail as unavailable within 3 s', async (_, outage) => {
    await outage();
    expect(await msUntilRejected(() => store.applyStaffReport(report()))).toBeLessThan(FAIL_FAST_MS);
    expect(await msUntilRejected(() => store.ping())).toBeLessThan(FAIL_FAST_MS);
    expect(await msUntilRejected(() => store.loadSites(['s1']))).toBeLessThan(FAIL_FAST_MS);
  });

  it('when Redis hangs without closing connections, then a command times out within 3 s', async () => {
    redis.freeze();
    try {
      expect(await msUntilRejected(() => store.applyStaffReport(report()))).toBeLessThan(FAIL_FAST_MS);
    } finally {
      redis.thaw();
    }
    await waitFor(() => store.ping(), RECOVERY);
  });

  it('when Redis returns, then the store recovers by itself and its subscriber asks for a resync', async () => {
    await redis.stop();
    await expect(store.ping()).rejects.toBeInstanceOf(StoreUnavailableError);
    await redis.start();
    await waitFor(() => store.ping(), RECOVERY);
    await waitFor(() => expect(messages).toContainEqual({ kind: 'resync', origin: '' }), RECOVERY);
    const after = report('s2');
    await expect(store.applyStaffReport(after)).resolves.toMatchObject({ outcome: 'applied' });
    // The subscription is live again: the write's own change message arrives.
    await waitFor(
      () =>
        expect(messages).toContainEqual(
          expect.objectContaining({
            kind: 'sites',
            sites: [{ siteId: 's2', raw: { staff: after.record } }],
          }),
        ),
      RECOVERY,
    );
  });

  it('when Redis is not reachable at start-up, then creating the store fails with a clear error', async () => {
    await redis.stop();
    await expect(createRedisStore({ url: redis.url, logger: silentLogger(), connectTimeoutMs: 1_000 })).rejects.toThrow(
      `Redis at redis://127.0.0.1:${redis.port} is not reachable`,
    );
  });
});
