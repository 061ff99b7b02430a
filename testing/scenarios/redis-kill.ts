// Scenario: Redis is killed (SIGKILL, as a crash) under a sustained write rate and restarted from
// its append-only file. Used by the suite (short) and by `npm run soak` (long). Durability is
// Redis's own (appendfsync always in the private Redis), so anything lost would be shortline's.
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { redisKeys } from '../../server/store/redis-keys.js';
import { testSites } from '../server/app.js';
import { issueChildToken, startChildApp, writeSitesFile, type ChildApp } from '../server/child-app.js';
import { httpClient, postJson } from '../server/http.js';
import { pace } from '../server/load.js';
import { startPrivateRedis } from '../server/private-redis.js';

export interface RedisKillOptions {
  ratePerS: number;
  sites: number;
  beforeMs: number;
  outageMs: number;
  afterMs: number;
}

interface Sent {
  siteId: string;
  body: { reportId: string; queue: number; observedAt: string };
}

export interface RedisKillResult {
  sent: number;
  skipped: number;
  acknowledged: number;
  /** Acknowledged reports (200) whose stored outcome is missing or differs. */
  lost: number;
  /** Acknowledged reports whose replay over HTTP does not give the first answer again. */
  replayMismatches: number;
  /** Sites whose stored newest report is not the newest acknowledged one. */
  wrongLatest: number;
  /** Answers other than 200 and 503 (each is a bug). */
  otherStatuses: number[];
  /** 503s that were stored anyway (the crash fell between Redis's write and its reply): harmless, the tablet's retry replays. */
  storedDespite503: number;
  firstFailureAfterMs: number;
  slowest503Ms: number;
  recoveredAfterRestartMs: number;
  achievedRatePerS: number;
}

/**
 * A keep-alive socket the server closes as idle just as a request goes out fails with "socket hang
 * up"; a tablet retries with the same reportId, and so does this replay (that is what it checks).
 */
async function replay<T>(send: () => Promise<T>, tries = 3): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await send();
    } catch (err) {
      if (i >= tries) throw err;
    }
  }
}

export async function redisKillScenario(o: RedisKillOptions): Promise<RedisKillResult> {
  const redis = await startPrivateRedis({ persist: true });
  const prefix = 'kill:';
  let t: ChildApp | undefined;
  try {
    // The app runs in a process of its own, as in production, so the load generator here does not
    // share its core; its Redis store has the default 2 s command timeout.
    const sites = testSites(o.sites);
    t = await startChildApp({
      env: {
        REDIS_URL: redis.url,
        REDIS_PREFIX: prefix,
        SITES_FILE: writeSitesFile(sites),
        WRITE_RATE_PER_MIN: '1000000',
      },
    });
    const client = httpClient(t.url, 128);
    const tokens = new Map<string, string>();
    for (const s of sites) tokens.set(s.id, await issueChildToken(t.url, s.id));

    const acked: Array<Sent & { applied: boolean }> = [];
    const failed: Array<Sent & { status: number; at: number; ms: number }> = [];
    let n = 0;
    let lastObserved = Date.now();
    let killedAt = Infinity;
    let restartedAt = Infinity;
    let recoveredAt = Infinity;
    const fire = async () => {
      const i = n++;
      const siteId = sites[i % sites.length]!.id;
      // Strictly increasing observation times, so "newest acknowledged" is well defined.
      lastObserved = Math.max(Date.now(), lastObserved + 1);
      const sent: Sent = {
        siteId,
        body: {
          reportId: `kill-${String(i).padStart(7, '0')}`,
          queue: i % 10_000,
          observedAt: new Date(lastObserved).toISOString(),
        },
      };
      const t0 = performance.now();
      const res = await postJson(client, `/api/sites/${siteId}/reports`, sent.body, tokens.get(siteId));
      if (res.status === 200) {
        const applied = (res.json as { applied: boolean }).applied;
        acked.push({ ...sent, applied });
        if (applied && performance.now() > restartedAt) recoveredAt = Math.min(recoveredAt, performance.now());
      } else {
        failed.push({ ...sent, status: res.status, at: performance.now(), ms: performance.now() - t0 });
      }
    };

    const load = pace(o.ratePerS, fire);
    const t0 = performance.now();
    await sleep(o.beforeMs);
    killedAt = performance.now();
    await redis.kill();
    await sleep(o.outageMs);
    await redis.start();
    restartedAt = performance.now();
    await sleep(o.afterMs);
    while (recoveredAt === Infinity && performance.now() - restartedAt < 20_000) await sleep(50);
    await load.stop();
    const elapsed = performance.now() - t0;

    const verdict = await checkStored(redis.url, prefix, acked, failed);
    // The public view of the same: replaying an acknowledged report gives its first answer again.
    let replayMismatches = 0;
    for (let i = 0; i < acked.length; i += 64) {
      await Promise.all(
        acked.slice(i, i + 64).map(async (a) => {
          const res = await replay(() =>
            postJson(client, `/api/sites/${a.siteId}/reports`, a.body, tokens.get(a.siteId)),
          );
          if (res.status !== 200 || (res.json as { applied: boolean }).applied !== a.applied) replayMismatches++;
        }),
      );
    }
    const f503 = failed.filter((f) => f.status === 503);
    client.close();
    return {
      sent: load.started,
      skipped: load.skipped,
      acknowledged: acked.length,
      ...verdict,
      replayMismatches,
      otherStatuses: [...new Set(failed.filter((f) => f.status !== 503).map((f) => f.status))],
      firstFailureAfterMs: Math.min(...f503.map((f) => f.at)) - killedAt,
      slowest503Ms: Math.max(0, ...f503.map((f) => f.ms)),
      recoveredAfterRestartMs: recoveredAt - restartedAt,
      achievedRatePerS: load.started / (elapsed / 1000),
    };
  } finally {
    await t?.stop();
    await redis.stop().catch(() => undefined);
  }
}

/**
 * Reads what Redis kept, straight from its keys: the idempotency record of every report ("<applied>:
 * <hash>") and each site's newest staff report. A lost acknowledged report has no record, or one
 * that says otherwise than its answer did.
 */
async function checkStored(url: string, prefix: string, acked: Array<Sent & { applied: boolean }>, failed: Sent[]) {
  const keys = redisKeys(prefix);
  const redis = new Redis(url);
  try {
    const read = async (list: Sent[]) => {
      const out: Array<string | null> = [];
      for (let i = 0; i < list.length; i += 1000) {
        const p = redis.pipeline();
        for (const s of list.slice(i, i + 1000)) p.get(keys.reportId(s.siteId, s.body.reportId));
        for (const [err, v] of (await p.exec()) ?? []) out.push(err ? null : (v as string | null));
      }
      return out;
    };
    const ackRecords = await read(acked);
    const lost = acked.filter((a, i) => ackRecords[i]?.split(':', 1)[0] !== (a.applied ? '1' : '0')).length;
    const storedDespite503 = (await read(failed)).filter((v) => v !== null).length;
    const newest = new Map<string, number>();
    for (const a of acked)
      if (a.applied) newest.set(a.siteId, Math.max(newest.get(a.siteId) ?? 0, Date.parse(a.body.observedAt)));
    let wrongLatest = 0;
    for (const [siteId, at] of newest) {
      const stored = Number(await redis.hget(keys.site(siteId), 'staffAt'));
      // A report answered 503 but stored anyway may legitimately be newer than every acknowledged one.
      if (stored < at) wrongLatest++;
    }
    return { lost, wrongLatest, storedDespite503 };
  } finally {
    redis.disconnect();
  }
}
