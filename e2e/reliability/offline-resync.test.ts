// Row "a client offline 30 s and 3 min": while it is away reports change the state and data ages
// out (time is a ManualClock, so three minutes pass at once); when it comes back it resyncs to
// exactly the server's current state.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Snapshot } from '../../shared/schemas.js';
import { ManualClock } from '../../server/clock.js';
import { issueToken, report, startTestApp, testSites, type TestApp } from '../../testing/server/app.js';
import { postCarrier } from '../../testing/server/carrier.js';
import { liveMirror, type LiveMirror } from '../../testing/server/live-mirror.js';
import { waitFor } from '../../testing/wait.js';

const clock = new ManualClock(Date.parse('2026-11-22T02:00:00Z'));
let t: TestApp;
const tokens = new Map<string, string>();
const mirrors: LiveMirror[] = [];

const live = async () => (await (await fetch(`${t.url}/api/live`)).json()) as Snapshot;
/** Waits until the mirror holds exactly the server's state; returns the differing site ids meanwhile. */
const inSync = (m: LiveMirror) => waitFor(async () => expect(m.diff(await live())).toEqual([]), { interval: 50 });

/** Lets `ms` pass in steps, with a report to a changing site at each step. */
async function away(ms: number, stepMs: number): Promise<void> {
  for (let passed = 0; passed < ms; passed += stepMs) {
    clock.advance(stepMs);
    const site = `site-${1 + ((passed / stepMs) % 2)}`;
    const version = t.app.engine.currentVersion;
    expect((await report(t, tokens.get(site)!, site, { queue: 10 + passed / stepMs })).status).toBe(200);
    // A frame goes out for the clients still connected before time moves on.
    await waitFor(() => expect(t.app.engine.currentVersion).toBeGreaterThan(version));
  }
}

beforeAll(async () => {
  // Short staleness so that three minutes are enough for staff and carrier data to age out.
  t = await startTestApp({ clock, sites: testSites(5), config: { staffStaleMin: 2, carrierStaleMin: 1 } });
  for (const s of testSites(5)) tokens.set(s.id, (await issueToken(t, s.id)).token);
});
afterAll(async () => {
  for (const m of mirrors) m.close();
  await t.close();
});

describe('a client that was offline', () => {
  it.each([
    ['30 s', 30_000, 5_000],
    ['3 min', 180_000, 15_000],
  ])(
    "when a client is offline for %s while reports arrive and data ages out, then after reconnecting its state equals the server's exactly",
    async (_, ms, step) => {
      const m = liveMirror(t.url);
      mirrors.push(m);
      // Fresh data that will age out while the client is away: a staff report and a carrier reading.
      expect((await report(t, tokens.get('site-3')!, 'site-3', { queue: 7 })).status).toBe(200);
      expect(await postCarrier(t.url, clock.now(), [{ siteId: 'site-4', people: 30 }])).toBe(200);
      await inSync(m);
      const before = new Map(m.sites);

      m.socket.disconnect();
      await waitFor(() => expect(m.socket.connected).toBe(false));
      await away(ms, step);
      m.socket.connect();
      await inSync(m);

      const changed = [...m.sites.values()]
        .filter((l) => JSON.stringify(before.get(l.siteId)) !== JSON.stringify(l))
        .map((l) => l.siteId);
      if (ms >= 120_000) expect(m.sites.get('site-3')).toMatchObject({ source: 'none', level: 'unknown', queue: null });
      if (ms >= 60_000) expect(m.sites.get('site-4')).toMatchObject({ source: 'none' });
      const mismatches = m.diff(await live()).length;
      console.log(
        `[figure] offline ${_}: sites changed while away ${changed.length} (${changed.join(', ')}), mismatches after reconnect=${mismatches}`,
      );
      expect(changed).toEqual(expect.arrayContaining(['site-1', 'site-2']));
      expect(mismatches).toBe(0);
    },
  );
});
