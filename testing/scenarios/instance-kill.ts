// Scenario: two shortline processes share one Redis behind a loopback balancer; clients connect
// through it; one process is SIGKILLed while reports keep coming. Its clients reconnect (the
// balancer skips the dead one) and must end with exactly the survivor's state.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Snapshot } from '../../shared/schemas.js';
import { testSites } from '../server/app.js';
import { issueChildToken, startChildApp, writeSitesFile, type ChildApp } from '../server/child-app.js';
import { startFaultProxy, type FaultProxy } from '../server/fault-proxy.js';
import { httpClient, postJson } from '../server/http.js';
import { liveMirror, type LiveMirror } from '../server/live-mirror.js';
import { pace, percentile } from '../server/load.js';
import { startPrivateRedis } from '../server/private-redis.js';

export interface InstanceKillOptions {
  clients: number;
  reportsPerS: number;
  /** Reports keep coming this long after the kill. */
  afterKillMs: number;
}

export interface InstanceKillResult {
  clients: number;
  /** Clients that were on the killed instance (they lost their connection). */
  moved: number;
  reconnectP50Ms: number;
  reconnectP99Ms: number;
  reconnectMaxMs: number;
  /** Clients whose state differs from the survivor's /api/live once writes stopped. */
  mismatches: number;
  /** Reports the survivor did not answer 200 (it must keep serving). */
  survivorErrors: number;
  resyncs: number;
}

const until = async (cond: () => boolean | Promise<boolean>, timeoutMs: number): Promise<boolean> => {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await cond()) return true;
    await sleep(100);
  }
  return cond();
};

export async function instanceKillScenario(o: InstanceKillOptions): Promise<InstanceKillResult> {
  // A Redis of its own: load on the shared one (other suites, benchmarks) must not blur the figures.
  const redis = await startPrivateRedis();
  const sites = testSites(20);
  const env = { REDIS_URL: redis.url, SITES_FILE: writeSitesFile(sites), WRITE_RATE_PER_MIN: '1000000' };
  const apps: ChildApp[] = [];
  let balancer: FaultProxy | undefined;
  const mirrors: LiveMirror[] = [];
  try {
    apps.push(...(await Promise.all([startChildApp({ env }), startChildApp({ env })])));
    const [victim, survivor] = apps as [ChildApp, ChildApp];
    balancer = await startFaultProxy({ upstreams: apps.map((a) => ({ host: '127.0.0.1', port: a.port })) });
    const tokens = new Map<string, string>();
    for (const s of sites) tokens.set(s.id, await issueChildToken(survivor.url, s.id));

    for (let i = 0; i < o.clients; i++) mirrors.push(liveMirror(balancer.url('http'), { reconnection: true }));
    if (!(await until(() => mirrors.every((m) => m.snapshots > 0), 15_000)))
      throw new Error('clients did not all connect');

    // Writes alternate between the instances until the kill, then only the survivor takes them.
    const http = [httpClient(victim.url), httpClient(survivor.url)] as const;
    let n = 0;
    let victimDead = false;
    let survivorErrors = 0;
    const load = pace(o.reportsPerS, async () => {
      const i = n++;
      const site = sites[i % sites.length]!.id;
      const toVictim = !victimDead && i % 2 === 0;
      const res = await postJson(
        http[toVictim ? 0 : 1],
        `/api/sites/${site}/reports`,
        { reportId: `inst-${String(i).padStart(7, '0')}`, queue: i % 300 },
        tokens.get(site),
      ).catch(() => ({ status: 0 }));
      if (!toVictim && res.status !== 200) survivorErrors++;
    });
    await sleep(1000);
    victimDead = true;
    await victim.kill();
    await sleep(o.afterKillMs);
    await load.stop();
    http.forEach((h) => h.close());

    const live = async () => (await (await fetch(`${survivor.url}/api/live`)).json()) as Snapshot;
    const reconnected = await until(() => mirrors.every((m) => m.socket.connected), 15_000);
    let mismatches = o.clients;
    await until(async () => {
      const snap = await live();
      mismatches = mirrors.filter((m) => m.diff(snap).length > 0).length;
      return mismatches === 0;
    }, 10_000);
    const times = mirrors.flatMap((m) => m.reconnectMs);
    if (!reconnected) mismatches = Math.max(mismatches, mirrors.filter((m) => !m.socket.connected).length);
    return {
      clients: o.clients,
      moved: times.length,
      mismatches,
      survivorErrors,
      reconnectP50Ms: percentile(times, 50),
      reconnectP99Ms: percentile(times, 99),
      reconnectMaxMs: Math.max(0, ...times),
      resyncs: mirrors.reduce((a, m) => a + m.resyncs, 0),
    };
  } finally {
    for (const m of mirrors) m.close();
    await balancer?.close();
    await Promise.all(apps.map((a) => a.stop()));
    await redis.stop();
  }
}
