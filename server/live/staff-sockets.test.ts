// Staff sockets: sign-in failures at the handshake count like HTTP's, and a revocation missed while
// the store's subscription was down is caught by the re-check that follows a resync.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueToken, startTestApp, type TestApp } from '../../testing/server/app.js';
import { recorder } from '../../testing/server/socket.js';
import { waitFor } from '../../testing/wait.js';

let t: TestApp;
const open: Array<{ close(): void }> = [];
beforeAll(async () => {
  // A burst of 10 failures per address, then about one a minute.
  t = await startTestApp({ config: { authFailuresPerHour: 30 } });
});
afterAll(async () => {
  for (const s of open.splice(0)) s.close();
  await t.close();
});

const connectWith = (token: string) => {
  const r = recorder(t.url, { token });
  open.push(r.socket);
  return r;
};
/** Resolves with the connect error's message, or 'connected'. */
const outcome = (r: ReturnType<typeof connectWith>) =>
  waitFor(() => {
    if (r.socket.connected) return 'connected';
    const e = r.got.errors[0];
    if (!e) throw new Error('no outcome yet');
    return e;
  });

describe('staff sockets', () => {
  it('when unknown tokens are tried at the handshake, then failures are counted with HTTP sign-ins, and a valid token from that address still connects', async () => {
    const seen: string[] = [];
    for (let i = 0; i < 12; i++) {
      const r = connectWith(`st_${'x'.repeat(40)}${i}`);
      seen.push(await outcome(r));
      r.socket.close();
    }
    expect(seen.slice(0, 10)).toEqual(Array(10).fill('unauthorized'));
    expect(seen.slice(10)).toEqual(['rate_limited', 'rate_limited']);
    // The same counter as HTTP: a report with an unknown token from this address is refused too.
    const http = await fetch(`${t.url}/api/sites/site-1/reports`, {
      method: 'POST',
      headers: { authorization: `Bearer st_${'y'.repeat(43)}`, 'content-type': 'application/json' },
      body: JSON.stringify({ reportId: 'hs-1', queue: 3 }),
    });
    expect(http.status).toBe(429);
    const { token } = await issueToken(t, 'site-1');
    expect(await outcome(connectWith(token))).toBe('connected');
  });

  it('when a revocation was missed by the subscription, then the re-check cuts that staff socket and keeps the others', async () => {
    const a = await issueToken(t, 'site-2');
    const b = await issueToken(t, 'site-3');
    const ra = connectWith(a.token);
    const rb = connectWith(b.token);
    expect(await outcome(ra)).toBe('connected');
    expect(await outcome(rb)).toBe('connected');
    // Revoked under this instance's own origin: its subscription skips the message, as if the
    // message had been published while the subscription was down.
    expect(await t.store.revokeStaffToken(a.tokenId, t.app.instanceId)).not.toBeNull();
    const answered = await ra.socket.timeout(10_000).emitWithAck('live:resync');
    expect(answered.sites.length).toBeGreaterThan(0);
    expect(ra.socket.connected).toBe(true);

    expect(await t.app.realtime.recheckStaff()).toBe(1);
    await waitFor(() => expect(ra.got.disconnects).toBe(1));
    expect(ra.got.revoked).toBe(1);
    await rb.socket.timeout(10_000).emitWithAck('live:resync');
    expect(rb.socket.connected).toBe(true);
    expect(rb.got.revoked).toBe(0);
  });
});
