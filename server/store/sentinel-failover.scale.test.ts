// Sentinel failover under load: the master is killed while shortline takes reports. Slow (a
// real failover takes seconds), so it runs in `npm run test:scale`, which sets SCALE_TESTS=1.
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../logger.js';
import { issueToken, startTestApp, type TestApp } from '../../testing/server/app.js';
import { hasRedisBinaries } from '../../testing/server/redis-procs.js';
import { startPrivateSentinel, type PrivateSentinel } from '../../testing/server/private-sentinel.js';
import { recorder } from '../../testing/server/socket.js';
import { createRedisStore } from './redis.js';
import { redisKeys } from './redis-keys.js';
import { waitFor } from '../../testing/wait.js';

const canRun = process.env.SCALE_TESTS === '1' && (hasRedisBinaries() || process.env.REQUIRE_REDIS === '1');
const WRITERS = 4;

interface Sent {
  body: { reportId: string; queue: number; observedAt: string };
  status: number;
  error?: string;
  retryAfter?: string | null;
}

describe.skipIf(!canRun)('shortline on Sentinel when the master dies', () => {
  let sentinel: PrivateSentinel | undefined;
  const apps: TestApp[] = [];
  afterAll(async () => {
    for (const a of apps) await a.close();
    await sentinel?.stop();
  });

  it('when the master is killed under writes, then writes get 503 during the switch, resume on the new master, and every acknowledged report survives', async () => {
    sentinel = await startPrivateSentinel();
    const keys = redisKeys('failover:');
    const open = () =>
      createRedisStore({ url: sentinel!.url, prefix: keys.prefix, logger: silentLogger(), commandTimeoutMs: 1_000 });
    const writer = await startTestApp({ store: await open(), ownStore: true });
    const watcher = await startTestApp({ store: await open(), ownStore: true });
    apps.push(writer, watcher);
    const viewer = recorder(watcher.url);
    apps.push({ close: async () => void viewer.socket.close() } as TestApp);
    const { token } = await issueToken(writer, 'site-1');

    const post = async (body: Sent['body']): Promise<Sent> => {
      const res = await fetch(`${writer.url}/api/sites/site-1/reports`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      const answer = (await res.json()) as { error?: string };
      return { body, status: res.status, error: answer.error, retryAfter: res.headers.get('retry-after') };
    };
    const sent: Sent[] = [];
    let n = 0;
    let running = true;
    const loop = async () => {
      while (running) {
        const body = {
          reportId: `failover-${String(++n).padStart(6, '0')}`,
          queue: n % 10_000,
          observedAt: new Date().toISOString(),
        };
        sent.push(await post(body));
      }
    };
    const writers = Array.from({ length: WRITERS }, loop);
    const acked = () => sent.filter((s) => s.status === 200).length;

    await waitFor(() => expect(acked()).toBeGreaterThan(50), { timeout: 10_000 });
    const oldMaster = await sentinel.killMaster();
    const killedAt = sent.length;
    const newMaster = await sentinel.failedOver(oldMaster);
    expect(newMaster).not.toBe(oldMaster);
    // Taking reports again, on the new master.
    await waitFor(() => expect(sent.slice(killedAt).filter((s) => s.status === 200).length).toBeGreaterThan(50), {
      timeout: 20_000,
      interval: 100,
    });
    running = false;
    await Promise.all(writers);

    const failed = sent.filter((s) => s.status !== 200);
    expect(failed.length).toBeGreaterThan(0);
    for (const f of failed)
      expect(f).toMatchObject({ status: 503, error: 'store_unavailable', retryAfter: expect.any(String) });

    // Every acknowledged report is on the new master: its id is remembered (a lost one would be
    // applied afresh when replayed, which the API cannot tell apart from a replay).
    const master = new Redis({ port: newMaster, host: '127.0.0.1' });
    const ackedIds = sent.filter((s) => s.status === 200).map((s) => s.body.reportId);
    const known = await Promise.all(ackedIds.map((id) => master.exists(keys.reportId('site-1', id))));
    master.disconnect();
    expect(ackedIds.filter((_, i) => known[i] !== 1)).toEqual([]);
    // A report that got a 503 is safe to retry with its id: stored once, whatever had happened.
    // Retried as a tablet would, after Retry-After: right after the switch the replicas may still be
    // re-attaching to the new master, and until one confirms, writes are (rightly) answered 503.
    for (const s of failed) {
      await waitFor(
        async () => {
          const again = await post(s.body);
          expect(again.status, `${s.body.reportId} ${JSON.stringify(again)}`).toBe(200);
        },
        { timeout: 20_000, interval: 500 },
      );
    }

    // The watching instance follows the new master too: it shows the newest report.
    const newestAt = sent
      .map((s) => s.body.observedAt)
      .sort()
      .at(-1);
    const newest = sent.filter((s) => s.body.observedAt === newestAt).map((s) => s.body.queue);
    await waitFor(
      async () => {
        const live = (await (await fetch(`${watcher.url}/api/sites/site-1`)).json()) as { live: { queue: number } };
        expect(newest).toContain(live.live.queue);
      },
      { timeout: 10_000, interval: 100 },
    );
    await waitFor(() =>
      expect(
        viewer.got.deltas.flatMap((d) => d.sites).some((s) => s.siteId === 'site-1' && newest.includes(s.queue ?? -1)),
      ).toBe(true),
    );
    console.info(
      `[sentinel] ${sent.length} reports, ${acked()} acknowledged, ${failed.length} answered 503 during the failover ${oldMaster} -> ${newMaster}`,
    );
  }, 90_000);
});
