// A staff tablet for the benchmarks: a token issued through shortline's admin API, then real
// reports through the real HTTP path, one site, a new report id and count each time.
import type { ShortlineReady } from '../servers/shortline.js';

/** Posts staff reports through the real API (token issued by the admin API) for one site. */
export async function reporter(url: string, ready: ShortlineReady): Promise<() => Promise<void>> {
  const siteId = 'jm-pengjiang-0001';
  const res = await fetch(`${url}/api/admin/staff-tokens`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ready.adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ siteId }),
  });
  if (res.status !== 201) throw new Error(`staff token: ${res.status} ${await res.text()}`);
  const { token } = (await res.json()) as { token: string };
  let n = 0;
  return async () => {
    const r = await fetch(`${url}/api/sites/${siteId}/reports`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ reportId: `bench-latency-${Date.now()}-${n}`, queue: 10 + (n++ % 90) }),
    });
    if (r.status !== 200) throw new Error(`staff report: ${r.status} ${await r.text()}`);
    await r.body?.cancel();
  };
}
