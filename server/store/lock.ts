// Mutual exclusion for work that reads, decides and then writes several records (an enrolment
// sheet reads a site's links, decides to make one, stores it): one holder at a time per name,
// across every instance sharing a store. Without it two instances pressed at the same moment both
// see "no link yet" and both issue one.
//
// The embedded store lives in one process, so a chain of promises per name is the whole lock. On
// Redis the same local chain comes first (presses on one instance queue without polling Redis),
// then a lease: SET key owner NX PX, renewed while the work runs and released by a script that
// deletes the key only if this holder still owns it, so a holder whose lease ran out can never
// free somebody else's. An instance killed while holding it blocks others for one lease at most.
import { randomUUID } from 'node:crypto';
import type { Cluster, Redis } from 'ioredis';
import { StoreUnavailableError } from './types.js';

export type Exclusive = <T>(name: string, fn: () => Promise<T>) => Promise<T>;

/** How long a lease lasts without renewal (a holder that died frees the name after this). */
export const LEASE_MS = 15_000;
/** How long a caller waits for a name held elsewhere before answering "unavailable" (503). */
export const LOCK_WAIT_MS = 20_000;
const RENEW_EVERY_MS = LEASE_MS / 3;
/** Between attempts while another instance holds the name; jittered so waiters do not march. */
const RETRY_MS = 25;

const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;
const RENEW = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0`;

/** One chain of promises per name: each call runs after the previous one for that name settled. */
export function localExclusive(): Exclusive {
  const tails = new Map<string, Promise<unknown>>();
  return <T>(name: string, fn: () => Promise<T>): Promise<T> => {
    const run = (tails.get(name) ?? Promise.resolve()).then(fn);
    const tail = run.catch(() => undefined);
    tails.set(name, tail);
    // Forget a name once nothing is queued behind this call, so the map stays as small as the work.
    void tail.then(() => {
      if (tails.get(name) === tail) tails.delete(name);
    });
    return run;
  };
}

export interface RedisLockOptions {
  leaseMs?: number;
  waitMs?: number;
}

/** A lease in Redis under `keyOf(name)`, behind this instance's local chain. */
export function redisExclusive(
  client: Redis | Cluster,
  keyOf: (name: string) => string,
  opts: RedisLockOptions = {},
): Exclusive {
  const leaseMs = opts.leaseMs ?? LEASE_MS;
  const waitMs = opts.waitMs ?? LOCK_WAIT_MS;
  const local = localExclusive();

  async function acquire(key: string, owner: string): Promise<void> {
    const giveUpAt = Date.now() + waitMs;
    for (;;) {
      if ((await client.set(key, owner, 'PX', leaseMs, 'NX')) === 'OK') return;
      if (Date.now() >= giveUpAt) throw new StoreUnavailableError(`another instance holds ${key}`);
      await new Promise((resolve) => setTimeout(resolve, RETRY_MS * (0.5 + Math.random())));
    }
  }

  return <T>(name: string, fn: () => Promise<T>): Promise<T> =>
    local(name, async () => {
      const key = keyOf(name);
      const owner = randomUUID();
      await acquire(key, owner);
      const renew = setInterval(
        () => {
          client.eval(RENEW, 1, key, owner, String(leaseMs)).catch(() => undefined);
        },
        Math.min(RENEW_EVERY_MS, leaseMs / 3),
      );
      renew.unref();
      try {
        return await fn();
      } finally {
        clearInterval(renew);
        // If Redis is away the lease simply runs out; the work itself already answered.
        await client.eval(RELEASE, 1, key, owner).catch(() => undefined);
      }
    });
}
