// Scenario: the server on the embedded store is SIGKILLed at a random moment under a sustained
// write rate, while tokens are being issued and revoked, then started again on the same files.
// What was acknowledged must be in the database as the dead process left it (read here directly,
// before the restart), and revoked tokens must stay revoked after it. Used by the suite (short)
// and by `npm run soak` (more runs).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { open } from 'lmdb';
import { embeddedDbPath } from '../../server/store/embedded-db.js';
import { TEST_ADMIN_TOKEN, testSites } from '../server/app.js';
import { issueChildToken, startChildApp, writeSitesFile, type ChildApp } from '../server/child-app.js';
import { httpClient, postJson, type HttpClient } from '../server/http.js';
import { pace } from '../server/load.js';

export interface EmbeddedKillOptions {
  runs: number;
  ratePerS: number;
  sites: number;
  /** The kill comes at a uniformly random moment in [minLoadMs, maxLoadMs] after the load starts. */
  minLoadMs: number;
  maxLoadMs: number;
}

export interface EmbeddedKillResult {
  runs: number;
  acknowledged: number;
  /** Acknowledged reports (200) with no idempotency record, or one saying otherwise. */
  lostReports: number;
  tokensIssued: number;
  /** Tokens answered 201 that are not in the database after the kill. */
  lostTokens: number;
  revoked: number;
  /** Tokens answered 204 that are in the database after the kill, or sign in after the restart. */
  revocationsUndone: number;
  /** Answers other than the expected ones (each is a bug; a kill makes in-flight requests fail, not answer). */
  otherStatuses: number[];
  achievedRatePerS: number;
}

const admin = { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, 'content-type': 'application/json' };

export async function embeddedKillScenario(o: EmbeddedKillOptions): Promise<EmbeddedKillResult> {
  const dir = mkdtempSync(join(tmpdir(), 'shortline-embedded-kill-'));
  const storeFile = join(dir, 'store.json');
  const sites = testSites(o.sites);
  const env = { STORE_FILE: storeFile, SITES_FILE: writeSitesFile(sites), WRITE_RATE_PER_MIN: '1000000' };
  const result: EmbeddedKillResult = {
    runs: 0,
    acknowledged: 0,
    lostReports: 0,
    tokensIssued: 0,
    lostTokens: 0,
    revoked: 0,
    revocationsUndone: 0,
    otherStatuses: [],
    achievedRatePerS: 0,
  };
  const revokedTokens: Array<{ tokenId: string; token: string; siteId: string }> = [];
  let t: ChildApp | undefined;
  let seq = 0;
  let loadMs = 0;
  let sent = 0;
  try {
    t = await startChildApp({ env });
    // Tablet tokens used for the reports; never revoked.
    const tokens = new Map<string, string>();
    for (const s of sites) tokens.set(s.id, await issueChildToken(t.url, s.id));
    for (let run = 0; run < o.runs; run++) {
      const client = httpClient(t.url, 64);
      const acked: Array<{ siteId: string; reportId: string; applied: boolean }> = [];
      const issued: Array<{ tokenId: string; token: string; siteId: string }> = [];
      const revokedNow: typeof issued = [];
      const revoking = new Set<object>();
      let lastObserved = Date.now();
      const fire = async () => {
        const i = seq++;
        const siteId = sites[i % sites.length]!.id;
        lastObserved = Math.max(Date.now(), lastObserved + 1);
        const reportId = `kill-${String(i).padStart(7, '0')}`;
        // Every eighth request is an admin action instead: issue a token, or revoke one issued earlier.
        if (i % 8 === 5) return issueOrRevoke(client, siteId, issued, revokedNow, result, revoking);
        const res = await postJson(
          client,
          `/api/sites/${siteId}/reports`,
          { reportId, queue: i % 1000, observedAt: new Date(lastObserved).toISOString() },
          tokens.get(siteId),
        );
        if (res.status === 200) acked.push({ siteId, reportId, applied: (res.json as { applied: boolean }).applied });
        else result.otherStatuses.push(res.status);
      };
      const started = performance.now();
      const load = pace(o.ratePerS, fire, 128);
      await sleep(o.minLoadMs + Math.random() * (o.maxLoadMs - o.minLoadMs));
      await t.kill();
      await load.stop();
      loadMs += performance.now() - started;
      sent += load.started;
      client.close();

      // The database as the killed process left it, read as the next start will read it.
      const db = open({ path: embeddedDbPath(storeFile), readOnly: true });
      try {
        for (const a of acked) {
          const rec = db.get(['r', `${a.siteId}\u0000${a.reportId}`] as never) as [string, boolean, number] | undefined;
          if (!rec || rec[1] !== a.applied) result.lostReports++;
        }
        // A token whose revocation was in flight at the kill may be gone, rightly: not counted.
        for (const tk of issued)
          if (!revoking.has(tk) && db.get(['t', tk.tokenId] as never) === undefined) result.lostTokens++;
        for (const tk of revokedNow) if (db.get(['t', tk.tokenId] as never) !== undefined) result.revocationsUndone++;
      } finally {
        await db.close();
      }
      result.acknowledged += acked.length;
      result.runs++;
      revokedTokens.push(...revokedNow);
      t = await startChildApp({ env });
    }
    // After the last restart, through the app: no revoked token is listed again. (Signing in with
    // them would only show 401 until the failed-sign-in limit answers 429 for all of them.)
    const listed = (await fetch(`${t.url}/api/admin/staff-tokens`, { headers: admin }).then((r) => r.json())) as {
      tokens: Array<{ tokenId: string }>;
    };
    const live = new Set(listed.tokens.map((x) => x.tokenId));
    for (const tk of revokedTokens) if (live.has(tk.tokenId)) result.revocationsUndone++;
    result.achievedRatePerS = sent / (loadMs / 1000);
    return result;
  } finally {
    await t?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Issues a token for the site, or (every other time) revokes the oldest issued one not yet revoked. */
async function issueOrRevoke(
  client: HttpClient,
  siteId: string,
  issued: Array<{ tokenId: string; token: string; siteId: string }>,
  revoked: Array<{ tokenId: string; token: string; siteId: string }>,
  result: EmbeddedKillResult,
  revoking: Set<object>,
): Promise<void> {
  const candidate = issued.find((x) => !revoking.has(x));
  if (candidate && revoking.size * 2 < issued.length) {
    // Claimed before the request goes out, so two concurrent revocations never pick the same token.
    revoking.add(candidate);
    const res = await client.send({
      method: 'DELETE',
      path: `/api/admin/staff-tokens/${candidate.tokenId}`,
      headers: admin,
    });
    if (res.status === 204) {
      revoked.push(candidate);
      result.revoked++;
    } else result.otherStatuses.push(res.status);
    return;
  }
  const res = await client.send({
    method: 'POST',
    path: '/api/admin/staff-tokens',
    headers: admin,
    body: JSON.stringify({ siteId }),
  });
  if (res.status === 201) {
    const body = res.json as { tokenId: string; token: string };
    issued.push({ tokenId: body.tokenId, token: body.token, siteId });
    result.tokensIssued++;
  } else result.otherStatuses.push(res.status);
}
