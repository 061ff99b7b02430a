// A Redis Cluster of a test's own: three masters, no replicas, on loopback ports, made the way an
// operator makes one (`redis-cli --cluster create`), so the store is tested on real slot routing,
// MOVED redirections and cross-slot refusals rather than on a single node pretending.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePorts, redisCli, spawnRedis, type RedisProc } from './redis-procs.js';

const READY_TIMEOUT_MS = 20_000;

export interface PrivateCluster {
  /** The shortline form: `redis+cluster://127.0.0.1:p1,127.0.0.1:p2,127.0.0.1:p3`. */
  url: string;
  nodes: RedisProc[];
  /** Stops every node and removes their files; idempotent. */
  stop(): Promise<void>;
}

export async function startPrivateCluster(masters = 3): Promise<PrivateCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'shortline-cluster-'));
  // The bus port is named explicitly: the default (port + 10000) can be taken or above 65535.
  const ports = await freePorts(masters * 2);
  const nodes: RedisProc[] = [];
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      await Promise.all(nodes.map((n) => n.stop('SIGKILL')));
      rmSync(dir, { recursive: true, force: true });
    })());
  try {
    for (let i = 0; i < masters; i++) {
      const port = ports[i]!;
      nodes.push(
        await spawnRedis(port, [
          '--port',
          String(port),
          '--bind',
          '127.0.0.1',
          '--cluster-enabled',
          'yes',
          '--cluster-port',
          String(ports[masters + i]),
          '--cluster-config-file',
          join(dir, `nodes-${port}.conf`),
          '--cluster-node-timeout',
          '2000',
          '--save',
          '',
          '--appendonly',
          'no',
          '--dir',
          dir,
        ]),
      );
    }
    const addrs = nodes.map((n) => `127.0.0.1:${n.port}`);
    await redisCli(['--cluster', 'create', ...addrs, '--cluster-replicas', '0', '--cluster-yes']);
    await waitForClusterOk(nodes);
  } catch (err) {
    const logs = nodes.map((n) => `[${n.port}] ${n.output().trim().split('\n').slice(-3).join(' | ')}`).join('\n');
    await stop();
    throw new Error(`could not create a local Redis Cluster: ${(err as Error).message}\n${logs}`, { cause: err });
  }
  return { url: `redis+cluster://${nodes.map((n) => `127.0.0.1:${n.port}`).join(',')}`, nodes, stop };
}

/** `redis-cli --cluster create` returns once slots are assigned; gossip may still be settling. */
async function waitForClusterOk(nodes: RedisProc[]): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let last = '';
  while (Date.now() < deadline) {
    const infos = await Promise.all(
      nodes.map((n) => redisCli(['-p', String(n.port), 'cluster', 'info']).catch(() => '')),
    );
    if (infos.every((i) => /cluster_state:ok/.test(i) && /cluster_slots_ok:16384/.test(i))) return;
    last = infos.find((i) => !/cluster_state:ok/.test(i))?.split('\n')[0] ?? '';
    await sleep(100);
  }
  throw new Error(`cluster_state not ok after ${READY_TIMEOUT_MS} ms (${last.trim()})`);
}
