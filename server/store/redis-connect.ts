// Turns a parsed REDIS_URL into ioredis connections: one for commands (a Redis, a Redis that asks
// Sentinels where the master is, or a Cluster) and one Redis for SUBSCRIBE.
//
// Every kind fails fast the same way: while disconnected a command fails at once instead of
// waiting in ioredis's offline queue (~73 s by default) and then being written long after its
// caller was told it failed, and connections reconnect forever on their own.
import { Cluster, Redis, type ClusterOptions, type RedisOptions } from 'ioredis';
import type { HostPort, RedisTarget } from './redis-url.js';

export interface ConnectOptions {
  /** A command without an answer after this long fails. */
  commandTimeoutMs: number;
  /** One connection attempt gives up after this long. */
  connectTimeoutMs: number;
}

export interface RedisConnections {
  /** Commands. On a cluster, each command goes to the node owning its key's slot. */
  client: Redis | Cluster;
  /** SUBSCRIBE only; subscribes nothing by itself again after a reconnect (the store does). */
  sub: Redis;
  /**
   * Replicas that must confirm a write (WAIT) before it is acknowledged: Redis replicates
   * asynchronously, and a promoted replica lacks whatever it had not received yet.
   */
  ackReplicas: number;
}

/** Reconnect delays grow by this much per attempt, up to RECONNECT_MAX_MS, forever. */
const RECONNECT_STEP_MS = 200;
const RECONNECT_MAX_MS = 2_000;
const reconnectDelay = (attempt: number) => Math.min(attempt * RECONNECT_STEP_MS, RECONNECT_MAX_MS);

function failFast(o: ConnectOptions): RedisOptions {
  return {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    // Never re-send a command after reconnecting: its caller may already have been told it failed.
    autoResendUnfulfilledCommands: false,
    commandTimeout: o.commandTimeoutMs,
    connectTimeout: o.connectTimeoutMs,
    retryStrategy: reconnectDelay,
    // A master demoted by a failover refuses writes; asking again finds the new one. 1: reconnect
    // without re-sending the failed command, whose caller has its error already.
    reconnectOnError: (err) => (err.message.startsWith('READONLY') ? 1 : false),
  };
}

export function openConnections(target: RedisTarget, o: ConnectOptions): RedisConnections {
  switch (target.kind) {
    case 'standalone': {
      const client = new Redis(target.url, failFast(o));
      return { client, sub: client.duplicate({ autoResubscribe: false }), ackReplicas: 0 };
    }
    case 'sentinel': {
      const { sentinels, masterName: name, username, password, sentinelPassword, db, tls } = target;
      const client = new Redis({
        ...failFast(o),
        sentinels,
        name,
        username,
        password,
        sentinelPassword,
        db,
        sentinelRetryStrategy: reconnectDelay,
        // Not `failoverDetector`: in ioredis 5.11 its +switch-master arriving while the client is
        // already reconnecting ends the client for good (status 'end'), seen in the failover test.
        // A demoted master answers READONLY instead, which reconnects (failFast), and one cut off
        // from its replicas fails WAIT, so neither can acknowledge a write that will be lost.
        ...(tls ? { tls: {}, enableTLSForSentinelMode: true, sentinelTLS: {} } : {}),
      });
      return { client, sub: client.duplicate({ autoResubscribe: false }), ackReplicas: target.ackReplicas };
    }
    case 'cluster': {
      const { nodes, username, password, tls } = target;
      const redisOptions: RedisOptions = { ...failFast(o), username, password, ...(tls ? { tls: {} } : {}) };
      const client = new Cluster(nodes, {
        lazyConnect: true,
        enableOfflineQueue: false,
        // Reads from replicas could be a replication lag behind the write just acknowledged.
        scaleReads: 'master',
        redisOptions,
        clusterRetryStrategy: reconnectDelay,
        slotsRefreshTimeout: o.connectTimeoutMs,
      } satisfies ClusterOptions);
      return { client, sub: roamingSubscriber(client, nodes, redisOptions), ackReplicas: 0 };
    }
  }
}

/**
 * A plain connection to one cluster node for SUBSCRIBE. Classic PUBLISH is broadcast over the
 * cluster bus, so any node hears every message; when the node goes away the next attempt goes to
 * another known node, and the store's 'ready' handler subscribes again and announces a resync.
 * (Sharded pub/sub would spread the fan-out, but one channel per deployment is one shard anyway.)
 */
function roamingSubscriber(cluster: Cluster, seeds: HostPort[], base: RedisOptions): Redis {
  let turn = 0;
  const first = seeds[0]!;
  const sub: Redis = new Redis({
    ...base,
    host: first.host,
    port: first.port,
    autoResubscribe: false,
    retryStrategy: (attempt) => {
      const known = cluster.nodes('all').map((n) => ({ host: n.options.host, port: n.options.port }));
      const list = known.length ? known : seeds;
      const next = list[++turn % list.length] ?? first;
      // ioredis reads host and port from its options at each connection attempt.
      Object.assign(sub.options, next);
      return reconnectDelay(attempt);
    },
  });
  return sub;
}

/**
 * Resolves once the connection is ready; ioredis keeps retrying failed attempts meanwhile, so a
 * Redis that is still starting is waited for, and the last error explains a timeout.
 */
export function readyWithin(conn: Redis | Cluster, ms: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let lastError: Error | undefined;
    const onError = (err: Error) => {
      lastError = err;
    };
    const onReady = () => {
      done();
      resolve();
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error(`no answer within ${ms} ms${lastError ? ` (${lastError.message})` : ''}`));
    }, ms);
    function done() {
      clearTimeout(timer);
      conn.off('error', onError);
      conn.off('ready', onReady);
    }
    conn.on('error', onError);
    conn.once('ready', onReady);
    conn.connect().catch(() => undefined);
  });
}
