// The frame window: a change in a quiet window goes out at once; changes that follow within
// FRAME_MS wait for the window's end. FRAME_MS is set to a minute here, so a first change that
// waited for the window would never arrive within the test's patience.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueToken, report, startTestApp, type TestApp } from '../../testing/server/app.js';
import { recorder } from '../../testing/server/socket.js';
import type { LiveState } from '../../shared/schemas.js';
import { waitFor } from '../../testing/wait.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ config: { frameMs: 60_000 } });
});
afterAll(() => t.close());

describe('the live loop', () => {
  it('when a report arrives in a quiet window, then its delta goes out at once; the next one waits for the window', async () => {
    const { socket, got } = recorder(t.url);
    try {
      await waitFor(() => expect(got.snapshots).toHaveLength(1));
      const { token } = await issueToken(t, 'site-1');
      const first = await report(t, token, 'site-1', { queue: 12 });
      expect(first.status).toBe(200);
      await waitFor(() => expect(got.deltas).toHaveLength(1), { timeout: 20_000 });
      expect(got.deltas[0]!.sites).toEqual([first.body.live]);

      const second = await report(t, token, 'site-1', { queue: 30 });
      expect(second.status).toBe(200);
      // A resync answered after the second report overtakes its delta: that delta is held for the
      // window's end, not sent at once (order on one socket is the order the server sent in).
      const snap = await socket.timeout(10_000).emitWithAck('live:resync');
      expect(snap.sites.find((s: LiveState) => s.siteId === 'site-1')).toMatchObject({ queue: 30 });
      expect(got.deltas).toHaveLength(1);
    } finally {
      socket.close();
    }
  });
});
