import type { Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../clock.js';
import { issueToken, report, startTestApp, TEST_ADMIN_TOKEN, type TestApp } from '../../testing/server/app.js';
import { recorder, type Client } from '../../testing/server/socket.js';
import { waitFor } from '../../testing/wait.js';

const clock = new ManualClock(Date.parse('2026-11-22T02:00:00Z'));
let t: TestApp;
const open: Client[] = [];
const client = (opts?: Parameters<typeof recorder>[1]) => {
  const r = recorder(t.url, opts);
  open.push(r.socket);
  return r;
};

beforeAll(async () => {
  t = await startTestApp({ clock });
});
afterEach(() => {
  for (const s of open.splice(0)) s.close();
});
afterAll(() => t.close());

describe('live updates over Socket.IO', () => {
  it('when a client connects, then it gets a snapshot, and after a report a delta with only that site', async () => {
    const { got } = client();
    await waitFor(() => expect(got.snapshots).toHaveLength(1));
    const snap = got.snapshots[0]!;
    expect(snap.sites).toHaveLength(3);
    const { token } = await issueToken(t, 'site-2');
    const r = await report(t, token, 'site-2', { queue: 33 });
    expect(r.status).toBe(200);
    await waitFor(() => expect(got.deltas.length).toBeGreaterThan(0));
    const d = got.deltas[0]!;
    expect(d.since).toBe(snap.version);
    expect(d.version).toBe(snap.version + 1);
    expect(d.sites).toEqual([r.body.live]);
    await waitFor(() => expect(got.summaries.at(-1)?.totals.queue).toBe(33));
  });

  it('when data ages out with no new write, then a delta is pushed by the timer', async () => {
    const { token } = await issueToken(t, 'site-3');
    await report(t, token, 'site-3', { queue: 10 });
    const { got } = client();
    await waitFor(() => expect(got.snapshots).toHaveLength(1));
    expect(got.snapshots[0]!.sites.find((s) => s.siteId === 'site-3')).toMatchObject({ source: 'staff', queue: 10 });
    clock.advance(15 * 60_000 + 1000);
    await waitFor(() => {
      const aged = got.deltas
        .flatMap((d) => d.sites)
        .filter((s) => s.siteId === 'site-3')
        .at(-1);
      expect(aged).toMatchObject({ source: 'none', level: 'unknown', queue: null });
    });
  });

  it('when a client asks to resync, then the acknowledgement carries a full snapshot', async () => {
    const { socket } = client();
    const snap = await socket.timeout(5000).emitWithAck('live:resync');
    expect(snap.sites).toHaveLength(3);
    expect(snap.version).toBe(t.app.engine.currentVersion);
  });

  it('when deltas follow each other, then each names the version before it', async () => {
    const { got } = client();
    await waitFor(() => expect(got.snapshots).toHaveLength(1));
    const { token } = await issueToken(t, 'site-1');
    for (let i = 0; i < 3; i++) {
      await report(t, token, 'site-1', { queue: 50 + i });
      await waitFor(() => expect(got.deltas.length).toBeGreaterThan(i));
    }
    let v = got.snapshots[0]!.version;
    for (const d of got.deltas) {
      expect(d.since).toBe(v);
      v = d.version;
    }
  });
});

describe('staff sockets and revocation', () => {
  it('when a staff token is revoked, then its open socket is told and disconnected at once', async () => {
    const { token, tokenId } = await issueToken(t, 'site-1');
    const staff = client({ token });
    const viewer = client();
    await waitFor(() => expect(staff.socket.connected && viewer.socket.connected).toBe(true));
    const res = await fetch(`${t.url}/api/admin/staff-tokens/${tokenId}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
    });
    expect(res.status).toBe(204);
    await waitFor(() => {
      expect(staff.got.revoked).toBe(1);
      expect(staff.got.disconnects).toBe(1);
    });
    expect(viewer.socket.connected).toBe(true);
  });

  it('when a socket presents an unknown token, then the connection is refused as unauthorized', async () => {
    const bad = client({ token: `st_${'x'.repeat(43)}` });
    await waitFor(() => expect(bad.got.errors).toContain('unauthorized'));
    expect(bad.socket.connected).toBe(false);
  });

  it('when a page of another origin opens a socket, then it is refused', async () => {
    const foreign = client({ extraHeaders: { origin: 'https://evil.example' } });
    await waitFor(() => expect(foreign.got.errors.length).toBeGreaterThan(0));
    expect(foreign.socket.connected).toBe(false);
    const same = client({ extraHeaders: { origin: t.url } });
    await waitFor(() => expect(same.socket.connected).toBe(true));
  });

  it('when a client sends a 1 MB message, then it is disconnected', async () => {
    const { socket, got } = client();
    await waitFor(() => expect(socket.connected).toBe(true));
    (socket as unknown as Socket).emit('live:resync', 'x'.repeat(1024 * 1024));
    await waitFor(() => expect(got.disconnects).toBe(1));
  });
});
