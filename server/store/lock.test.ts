// The Redis lease behind Store.exclusive, against a real Redis: a lease left by an instance that
// died frees the name when it runs out, a name held too long answers "unavailable", a long section
// keeps its lease renewed, and a holder whose lease ran out cannot delete its successor's.
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deletePrefix, redisForTests, TEST_REDIS_URL, uniquePrefix } from '../../testing/server/redis.js';
import { waitFor } from '../../testing/wait.js';
import { redisExclusive } from './lock.js';
import { StoreUnavailableError } from './types.js';

const hasRedis = await redisForTests();

describe.skipIf(!hasRedis)('the Redis lease behind exclusive sections', () => {
  const prefix = uniquePrefix('lock');
  const keyOf = (name: string) => `${prefix}${name}`;
  let client: Redis;
  beforeAll(() => {
    client = new Redis(TEST_REDIS_URL);
  });
  afterAll(async () => {
    client.disconnect();
    await deletePrefix(TEST_REDIS_URL, prefix);
  });

  it('when a dead instance left its lease, then the name is taken as soon as the lease runs out', async () => {
    await client.set(keyOf('dead'), 'someone-gone', 'PX', 300);
    const exclusive = redisExclusive(client, keyOf);
    let ran = false;
    const run = exclusive('dead', async () => {
      ran = true;
      return (await client.get(keyOf('dead'))) !== 'someone-gone';
    });
    // While the old lease lasts, nothing runs.
    expect(ran).toBe(false);
    expect(await run).toBe(true);
    expect(await client.exists(keyOf('dead'))).toBe(0);
  });

  it('when the name stays held past the wait, then the caller gets "unavailable" and its work never runs', async () => {
    await client.set(keyOf('held'), 'another-instance', 'PX', 60_000);
    const exclusive = redisExclusive(client, keyOf, { waitMs: 200 });
    let ran = false;
    await expect(
      exclusive('held', async () => {
        ran = true;
      }),
    ).rejects.toBeInstanceOf(StoreUnavailableError);
    expect(ran).toBe(false);
    expect(await client.get(keyOf('held'))).toBe('another-instance');
  });

  it('when a section outlives one lease, then the lease is renewed and nobody else gets in', async () => {
    // Renewed every 500 ms: a stall of up to a second on a busy machine still keeps the lease.
    const a = redisExclusive(client, keyOf, { leaseMs: 1_500 });
    const b = redisExclusive(client, keyOf, { leaseMs: 1_500, waitMs: 60_000 });
    let release!: () => void;
    const long = a('long', () => new Promise<void>((r) => (release = r)));
    await waitFor(async () => expect(await client.exists(keyOf('long'))).toBe(1));
    const owner = await client.get(keyOf('long'));
    let bInside = false;
    const other = b('long', async () => {
      bInside = true;
    });
    // Three renewals seen (the key's time to live going back up), so the section outlived its lease.
    let renewals = 0;
    let last = await client.pttl(keyOf('long'));
    await waitFor(
      async () => {
        const ttl = await client.pttl(keyOf('long'));
        if (ttl > last) renewals++;
        last = ttl;
        expect(renewals).toBeGreaterThanOrEqual(3);
      },
      { timeout: 30_000, interval: 20 },
    );
    expect(await client.get(keyOf('long'))).toBe(owner);
    expect(bInside).toBe(false);
    release();
    await long;
    await other;
    expect(bInside).toBe(true);
  });

  it('when a holder outlived its lease and another took the name, then its release leaves the other one alone', async () => {
    const exclusive = redisExclusive(client, keyOf, { leaseMs: 60_000 });
    await exclusive('taken', async () => {
      // Stands in for the lease running out and another instance taking the name meanwhile.
      await client.set(keyOf('taken'), 'the-next-holder', 'PX', 60_000);
    });
    expect(await client.get(keyOf('taken'))).toBe('the-next-holder');
  });
});
