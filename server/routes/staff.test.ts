import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../clock.js';
import { issueToken, startTestApp, TEST_ADMIN_TOKEN, type TestApp } from '../../testing/server/app.js';

const clock = new ManualClock(Date.parse('2026-11-22T02:00:00Z'));
let t: TestApp;
let token: string;
let other: string;

async function post(siteId: string, body: unknown, auth: string | null = token, raw?: string) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (auth) headers.authorization = `Bearer ${auth}`;
  const res = await fetch(`${t.url}/api/sites/${siteId}/reports`, {
    method: 'POST',
    headers,
    body: raw ?? JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: JSON.parse(text), type: res.headers.get('content-type') };
}

const iso = (ms: number) => new Date(ms).toISOString();

beforeAll(async () => {
  t = await startTestApp({ clock });
  token = (await issueToken(t, 'site-1')).token;
  other = (await issueToken(t, 'site-2')).token;
});
afterAll(() => t.close());

describe('POST /api/sites/:id/reports', () => {
  it('when a valid report arrives, then it is applied and the answer carries the new live state', async () => {
    const r = await post('site-1', { reportId: 'report-0001', queue: 40, lanesOpen: 2 });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      applied: true,
      live: { siteId: 'site-1', queue: 40, waitMinutes: 10, level: 'low', source: 'staff' },
    });
    const live = await (await fetch(`${t.url}/api/sites/site-1`)).json();
    expect(live.live.queue).toBe(40);
  });

  it('when the same reportId comes again with the same body, then the first answer is given and nothing is applied twice', async () => {
    const body = { reportId: 'report-0002', queue: 70, observedAt: iso(clock.now()) };
    const first = await post('site-1', body);
    const again = await post('site-1', { queue: 70, observedAt: body.observedAt, reportId: 'report-0002' });
    expect(first.body.applied).toBe(true);
    expect(again.status).toBe(200);
    expect(again.body.applied).toBe(true);
    const metrics = await (await fetch(`${t.url}/metrics`)).text();
    expect(metrics).toMatch(/shortline_writes_total\{kind="staff",outcome="applied"\} \d+/);
  });

  it('when the same reportId comes with another body, then 422 idempotency_mismatch and nothing changes', async () => {
    const r = await post('site-1', { reportId: 'report-0002', queue: 5 });
    expect(r.status).toBe(422);
    expect(r.body.error).toBe('idempotency_mismatch');
    expect((await (await fetch(`${t.url}/api/sites/site-1`)).json()).live.queue).toBe(70);
  });

  it('when a report is older than the applied one, then it answers outdated and changes nothing', async () => {
    const r = await post('site-1', { reportId: 'report-0003', queue: 1, observedAt: iso(clock.now() - 5 * 60_000) });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ applied: false, reason: 'outdated', live: { queue: 70 } });
    const replay = await post('site-1', {
      reportId: 'report-0003',
      queue: 1,
      observedAt: iso(clock.now() - 5 * 60_000),
    });
    expect(replay.body).toMatchObject({ applied: false, reason: 'outdated' });
  });

  it('when observedAt is more than 2 minutes ahead or more than 24 hours old, then 400 and nothing stored', async () => {
    const ahead = await post('site-1', {
      reportId: 'report-0004',
      queue: 3,
      observedAt: iso(clock.now() + 3 * 60_000),
    });
    expect(ahead.status).toBe(400);
    expect(ahead.body.error).toBe('observed_in_future');
    const old = await post('site-1', {
      reportId: 'report-0005',
      queue: 3,
      observedAt: iso(clock.now() - 25 * 3600_000),
    });
    expect(old.status).toBe(400);
    expect(old.body.error).toBe('observed_too_old');
    const slightlyAhead = await post('site-1', {
      reportId: 'report-0006',
      queue: 71,
      observedAt: iso(clock.now() + 60_000),
    });
    expect(slightlyAhead.body.applied).toBe(true);
  });

  it('when the token is missing, unknown, or of another site, then 401 or 403', async () => {
    expect((await post('site-1', { reportId: 'report-0007', queue: 1 }, null)).status).toBe(401);
    expect((await post('site-1', { reportId: 'report-0007', queue: 1 }, 'st_' + 'A'.repeat(43))).status).toBe(401);
    const wrong = await post('site-1', { reportId: 'report-0007', queue: 1 }, other);
    expect(wrong.status).toBe(403);
    expect(wrong.body.error).toBe('wrong_site');
  });

  it('when the site is unknown, then 404 unknown_site', async () => {
    const r = await post('nope', { reportId: 'report-0008', queue: 1 });
    expect(r.status).toBe(404);
    expect(r.body.error).toBe('unknown_site');
  });

  it('when the body is invalid, then 400 with issues naming the fields', async () => {
    const r = await post('site-1', { reportId: 'short', queue: -1, status: 'maybe', extra: 1 });
    expect(r.status).toBe(400);
    expect(r.body.error).toBe('invalid_request');
    const paths = r.body.issues.map((i: { path: string }) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['reportId', 'queue', 'status']));
    const broken = await post('site-1', null, token, '{"queue": ');
    expect(broken.status).toBe(400);
    expect(broken.body.error).toBe('invalid_json');
    expect(broken.type).toContain('application/json');
  });

  it('when the body is too large, then 413 as JSON', async () => {
    const r = await post('site-1', { reportId: 'report-0009', queue: 1, note: 'x'.repeat(10_000) });
    expect(r.status).toBe(413);
    expect(r.body.error).toBe('payload_too_large');
  });

  it('when a token is revoked, then its next report gets 401', async () => {
    const { token: tk, tokenId } = await issueToken(t, 'site-3');
    expect((await post('site-3', { reportId: 'report-0010', queue: 2 }, tk)).status).toBe(200);
    const del = await fetch(`${t.url}/api/admin/staff-tokens/${tokenId}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
    });
    expect(del.status).toBe(204);
    expect((await post('site-3', { reportId: 'report-0011', queue: 2 }, tk)).status).toBe(401);
  });
});

describe('rate limits', () => {
  it('when a token sends more than its share, then 429 with Retry-After and nothing stored', async () => {
    const limited = await startTestApp({ clock, config: { writeRatePerMin: 20 } });
    try {
      const { token: tk } = await issueToken(limited, 'site-1');
      const statuses: number[] = [];
      let retryAfter: string | null = null;
      for (let i = 0; i < 15; i++) {
        const res = await fetch(`${limited.url}/api/sites/site-1/reports`, {
          method: 'POST',
          headers: { authorization: `Bearer ${tk}`, 'content-type': 'application/json' },
          body: JSON.stringify({ reportId: `burst-${i}-xxxx`, queue: i }),
        });
        statuses.push(res.status);
        if (res.status === 429) retryAfter = res.headers.get('retry-after');
      }
      expect(statuses.filter((s) => s === 200)).toHaveLength(10);
      expect(statuses.filter((s) => s === 429)).toHaveLength(5);
      expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
      const live = await (await fetch(`${limited.url}/api/sites/site-1`)).json();
      expect(live.live.queue).toBe(9);
    } finally {
      await limited.close();
    }
  });
});
