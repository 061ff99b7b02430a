// A Sentinel-managed Redis of a test's own on loopback ports: a master, its replicas and three
// sentinels with quorum 2, tuned to notice a dead master within about a second, so a test can
// kill the master and watch a real failover.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePorts, redisCli, spawnRedis, type RedisProc } from './redis-procs.js';

export const MASTER_NAME = 'shortline';
const SENTINELS = 3;
const QUORUM = 2;
const DOWN_AFTER_MS = 1_000;
/** Also how soon a failed failover is tried again (twice this): small, for the test. */
const FAILOVER_TIMEOUT_MS = 3_000;
const SETTLE_TIMEOUT_MS = 20_000;

export interface PrivateSentinel {
  /** `redis+sentinel://127.0.0.1:s1,127.0.0.1:s2,127.0.0.1:s3/shortline` */
  url: string;
  /** Data nodes; the first started as the master. */
  nodes: RedisProc[];
  sentinels: RedisProc[];
  /** The master's port as the sentinels name it now. */
  masterPort(): Promise<number>;
  /** Kills the current master (SIGKILL), as a crash would; resolves with its port. */
  killMaster(): Promise<number>;
  /** Resolves once the sentinels name a master other than `oldPort` and it has a replica linked. */
  failedOver(oldPort: number, timeoutMs?: number): Promise<number>;
  stop(): Promise<void>;
}

/**
 * `replicas` defaults to 2: shortline acknowledges a write once a replica holds it (WAIT), so
 * after losing the master the promoted replica needs a replica of its own to take writes again.
 */
export async function startPrivateSentinel(opts: { replicas?: number } = {}): Promise<PrivateSentinel> {
  const replicas = opts.replicas ?? 2;
  const dir = mkdtempSync(join(tmpdir(), 'shortline-sentinel-'));
  const ports = await freePorts(1 + replicas + SENTINELS);
  const dataPorts = ports.slice(0, 1 + replicas);
  const sentinelPorts = ports.slice(1 + replicas);
  const masterPort0 = dataPorts[0]!;
  const nodes: RedisProc[] = [];
  const sentinels: RedisProc[] = [];
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      await Promise.all([...sentinels, ...nodes].map((p) => p.stop('SIGKILL')));
      rmSync(dir, { recursive: true, force: true });
    })());

  const ask = (args: string[]) => redisCli(['-p', String(sentinelPorts[0]), ...args], 3_000);
  const masterPort = async () =>
    Number((await ask(['sentinel', 'get-master-addr-by-name', MASTER_NAME])).split('\n')[1]);

  try {
    for (const port of dataPorts) {
      const replicaOf = port === masterPort0 ? [] : ['--replicaof', '127.0.0.1', String(masterPort0)];
      nodes.push(
        await spawnRedis(port, [
          '--port',
          String(port),
          '--bind',
          '127.0.0.1',
          '--save',
          '',
          '--appendonly',
          'no',
          '--dir',
          dir,
          ...replicaOf,
          // Redis waits 5 s for more replicas before a full sync; nothing to wait for here.
          '--repl-diskless-sync-delay',
          '0',
        ]),
      );
    }
    for (const port of sentinelPorts) {
      // Sentinel rewrites its config file with what it learns, so each needs a writable one.
      const conf = join(dir, `sentinel-${port}.conf`);
      writeFileSync(
        conf,
        [
          `port ${port}`,
          'bind 127.0.0.1',
          `dir ${dir}`,
          `sentinel monitor ${MASTER_NAME} 127.0.0.1 ${masterPort0} ${QUORUM}`,
          `sentinel down-after-milliseconds ${MASTER_NAME} ${DOWN_AFTER_MS}`,
          `sentinel failover-timeout ${MASTER_NAME} ${FAILOVER_TIMEOUT_MS}`,
          `sentinel parallel-syncs ${MASTER_NAME} ${replicas}`,
          '',
        ].join('\n'),
      );
      sentinels.push(await spawnRedis(port, [conf, '--sentinel']));
    }
    // Sentinels find the replicas through the master and each other through its hello channel.
    await until(async () => {
      const views = await Promise.all(
        sentinelPorts.map((p) => redisCli(['-p', String(p), 'sentinel', 'master', MASTER_NAME], 3_000)),
      );
      const linked = await redisCli(['-p', String(masterPort0), 'info', 'replication'], 3_000);
      return (
        views.every((v) => field(v, 'num-slaves') === replicas && field(v, 'num-other-sentinels') === SENTINELS - 1) &&
        (linked.match(/state=online/g) ?? []).length === replicas
      );
    }, 'every replica in sync and the sentinels to see them and each other');
  } catch (err) {
    await stop();
    throw err;
  }

  return {
    url: `redis+sentinel://${sentinelPorts.map((p) => `127.0.0.1:${p}`).join(',')}/${MASTER_NAME}`,
    nodes,
    sentinels,
    masterPort,
    stop,
    killMaster: async () => {
      const port = await masterPort();
      await nodes.find((n) => n.port === port)?.stop('SIGKILL');
      return port;
    },
    failedOver: async (oldPort, timeoutMs = SETTLE_TIMEOUT_MS) => {
      let port = oldPort;
      await until(
        async () => {
          port = await masterPort();
          if (port === oldPort) return false;
          const info = await redisCli(['-p', String(port), 'info', 'replication'], 3_000);
          return /role:master/.test(info) && /slave0:.*state=online/.test(info);
        },
        'a failover to a master with a replica',
        timeoutMs,
      );
      return port;
    },
  };
}

/** A numeric field of redis-cli's flat "name\nvalue\n" answer to SENTINEL MASTER. */
function field(flat: string, name: string): number {
  const lines = flat.split('\n');
  const i = lines.indexOf(name);
  return i < 0 ? NaN : Number(lines[i + 1]);
}

async function until(check: () => Promise<boolean>, what: string, timeoutMs = SETTLE_TIMEOUT_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await sleep(100);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}
