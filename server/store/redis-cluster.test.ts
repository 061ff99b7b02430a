// What only a Redis Cluster does to the store, beyond the contract suites (which also run on one):
// the subscriber lives on one node, and must move when that node dies.
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../logger.js';
import { startPrivateCluster, type PrivateCluster } from '../../testing/server/private-cluster.js';
import { hasRedisBinaries } from '../../testing/server/redis-procs.js';
import { createRedisStore } from './redis.js';
import { redisKeys } from './redis-keys.js';
import type { ChangeMessage, Store } from './types.js';
import { waitFor } from '../../testing/wait.js';

// CI sets REQUIRE_REDIS=1: then missing binaries fail this instead of skipping it.
const canRun = hasRedisBinaries() || process.env.REQUIRE_REDIS === '1';

describe.skipIf(!canRun)('the Redis store on a cluster', () => {
  let cluster: PrivateCluster | undefined;
  let store: Store | undefined;
  afterAll(async () => {
    await store?.close();
    await cluster?.stop();
  });

  it('when the node carrying the subscription dies, then the subscriber moves to another node, asks for a resync and hears messages again', async () => {
    cluster = await startPrivateCluster();
    const keys = redisKeys('roam:');
    store = await createRedisStore({ url: cluster.url, prefix: keys.prefix, logger: silentLogger() });
    const heard: ChangeMessage[] = [];
    store.subscribe((m) => heard.push(m));
    // The subscriber starts on the first seed of the URL.
    await cluster.nodes[0]!.stop('SIGKILL');
    await waitFor(() => expect(heard).toContainEqual({ kind: 'resync', origin: '' }), {
      timeout: 10_000,
      interval: 50,
    });

    // Classic PUBLISH is broadcast over the cluster bus: a message sent to any node arrives.
    const other = new Redis({ host: '127.0.0.1', port: cluster.nodes[2]!.port });
    try {
      await other.publish(keys.changes(), JSON.stringify({ kind: 'notices', origin: 'node-3' }));
      await waitFor(() => expect(heard).toContainEqual({ kind: 'notices', origin: 'node-3' }), {
        timeout: 5_000,
        interval: 50,
      });
    } finally {
      other.disconnect();
    }
  });
});
