import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ServiceRatesSchema } from '../../shared/schemas.js';
import { ManualClock } from '../clock.js';
import { issueToken, startTestApp, type TestApp } from '../../testing/server/app.js';

const clock = new ManualClock(Date.parse('2026-11-22T02:00:00Z'));
let t: TestApp;
let token: string;
let seq = 0;

async function post(body: Record<string, unknown>) {
  const res = await fetch(`${t.url}/api/sites/site-1/reports`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ reportId: `served-${String(++seq).padStart(4, '0')}`, ...body }),
  });
  return { status: res.status, body: await res.json() };
}
const rates = async () => ServiceRatesSchema.parse(await (await fetch(`${t.url}/api/service-rates`)).json()).rates;

beforeAll(async () => {
  t = await startTestApp({ clock });
  token = (await issueToken(t, 'site-1')).token;
});
afterAll(() => t.close());

describe('served counters and learned service rates', () => {
  it('when served is not a non-negative integer, then 400 names the field and nothing is stored', async () => {
    for (const served of [-1, 2.5, 'ten', 2_000_000]) {
      const r = await post({ queue: 5, served });
      expect(r.status).toBe(400);
      expect(r.body.issues.some((i: { path: string }) => i.path === 'served')).toBe(true);
    }
    const site = await (await fetch(`${t.url}/api/sites/site-1`)).json();
    expect(site.live.source).toBe('none');
  });

  it('when no served counter was ever sent, then the configured rate is listed as not learned', async () => {
    const r = await post({ queue: 5 });
    expect(r.status).toBe(200);
    const site1 = (await rates()).find((x) => x.siteId === 'site-1')!;
    expect(site1).toMatchObject({ learned: false, samples: 0 });
    expect(site1.perLane).toBe(site1.configured);
  });

  it("when consecutive reports carry served counters, then the site's rate per lane is learned and shown on the site and the list", async () => {
    // Two lanes serving 1.5 a minute each, with people waiting all along; a report every 10 minutes.
    let served = 100;
    for (let k = 0; k < 5; k++) {
      const r = await post({ queue: 30, lanesOpen: 2, served });
      expect(r.status).toBe(200);
      clock.advance(10 * 60_000);
      served += 30;
    }
    const site1 = (await rates()).find((x) => x.siteId === 'site-1')!;
    expect(site1).toMatchObject({ learned: true, samples: 4 });
    expect(site1.perLane).toBeCloseTo(1.5, 5);
    const detail = await (await fetch(`${t.url}/api/sites/site-1`)).json();
    expect(detail.rate).toEqual(site1);
    // The wait is computed with the learned rate: 30 people / (2 lanes x 1.5) = 10 minutes.
    const r = await post({ queue: 30, lanesOpen: 2, served });
    expect(r.body.live.waitMinutes).toBe(10);
    expect(r.body.live.waitRange[0]).toBeLessThanOrEqual(10);
    expect(r.body.live.waitRange[1]).toBeGreaterThanOrEqual(10);
  });

  it('when an old client sends no served counter, then its reports still apply', async () => {
    const r = await post({ queue: 12, lanesOpen: 2 });
    expect(r.status).toBe(200);
    expect(r.body.applied).toBe(true);
  });
});
