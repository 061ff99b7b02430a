// Row "sockets: no token or revoked token for staff features, a foreign Origin, a 1 MB message":
// what realtime.test.ts does not cover yet. Staff features over a socket are the token's rooms and
// the revocation notice; a socket without a live token must get neither (unauthorised actions = 0).
import { io as connect } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { issueToken, startTestApp, TEST_ADMIN_TOKEN, type TestApp } from '../../testing/server/app.js';
import { recorder, type Client } from '../../testing/server/socket.js';
import { waitFor } from '../../testing/wait.js';

let t: TestApp;
const open: Client[] = [];
const client = (opts?: Parameters<typeof recorder>[1]) => {
  const r = recorder(t.url, opts);
  open.push(r.socket);
  return r;
};
const revoke = (tokenId: string) =>
  fetch(`${t.url}/api/admin/staff-tokens/${tokenId}`, {
    method: 'DELETE',
    headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
  });

beforeAll(async () => {
  t = await startTestApp();
});
afterEach(() => {
  for (const s of open.splice(0)) s.close();
});
afterAll(() => t.close());

describe('socket authorisation', () => {
  it('when a socket presents a revoked token at the handshake, then it is refused as unauthorized', async () => {
    const { token, tokenId } = await issueToken(t, 'site-1');
    expect((await revoke(tokenId)).status).toBe(204);
    const s = client({ token });
    await waitFor(() => expect(s.got.errors).toEqual(['unauthorized']));
    expect(s.socket.connected).toBe(false);
  });

  it('when a revoked tablet keeps reconnecting, then every attempt is refused', async () => {
    const { token, tokenId } = await issueToken(t, 'site-2');
    const errors: string[] = [];
    const s: Client = connect(t.url, {
      transports: ['websocket'],
      forceNew: true,
      auth: { token },
      reconnectionDelay: 50,
      reconnectionDelayMax: 100,
    });
    open.push(s);
    s.on('connect_error', (e) => errors.push(e.message));
    await waitFor(() => expect(s.connected).toBe(true));
    expect((await revoke(tokenId)).status).toBe(204);
    // A server-side disconnect is final for Socket.IO; a tablet that tries again by hand is refused.
    await waitFor(() => expect(s.connected).toBe(false));
    for (let i = 1; i <= 3; i++) {
      s.connect();
      await waitFor(() => expect(errors.length).toBeGreaterThanOrEqual(i));
    }
    expect(new Set(errors)).toEqual(new Set(['unauthorized']));
    expect(s.connected).toBe(false);
  });

  it('when tokens of the wrong type or shape are presented, then the handshake is refused', async () => {
    const bad: unknown[] = [42, { token: 'x' }, ['st_x'], 'st_short', `st_${'a'.repeat(43)}`, 'x'.repeat(10_000), true];
    const sockets = bad.map((token) => {
      const errors: string[] = [];
      const s: Client = connect(t.url, {
        transports: ['websocket'],
        forceNew: true,
        reconnection: false,
        auth: { token } as Record<string, unknown>,
      });
      open.push(s);
      s.on('connect_error', (e) => errors.push(e.message));
      return { s, errors };
    });
    await waitFor(() => expect(sockets.every((x) => x.errors.length > 0)).toBe(true));
    expect(sockets.filter((x) => x.s.connected)).toHaveLength(0);
    // An auth object that is no object at all is an anonymous viewer, as with no token.
    const anon = client();
    await waitFor(() => expect(anon.socket.connected).toBe(true));
  });

  it('when staff tokens are revoked, then only their own sockets hear of it: anonymous and other staff sockets get nothing (unauthorised actions = 0)', async () => {
    const a = await issueToken(t, 'site-1');
    const b = await issueToken(t, 'site-1');
    const staffA = client({ token: a.token });
    const staffB = client({ token: b.token });
    const viewer = client();
    await waitFor(() => expect([staffA, staffB, viewer].every((c) => c.socket.connected)).toBe(true));
    expect((await revoke(a.tokenId)).status).toBe(204);
    await waitFor(() => expect(staffA.got.revoked).toBe(1));
    // Unknown commands a client might try for staff features do nothing.
    viewer.socket.emit('staff:report' as 'live:resync', (() => undefined) as never);
    (viewer.socket as unknown as { emit(ev: string, ...a: unknown[]): void }).emit('join', `token:${b.tokenId}`);
    // A barrier instead of a wait: the server handles each socket's packets in order and answers
    // in order, so once both acknowledgements are back, the commands above have been handled and
    // anything the revocation sent these two sockets has arrived.
    await Promise.all([viewer, staffB].map((c) => c.socket.timeout(5000).emitWithAck('live:resync')));
    const unauthorised = viewer.got.revoked + staffB.got.revoked + (staffA.socket.connected ? 1 : 0);
    console.log(
      `[figure] sockets: revoked, wrong-type and unknown tokens refused at the handshake; unauthorised actions=${unauthorised}`,
    );
    expect(unauthorised).toBe(0);
    expect(staffB.socket.connected && viewer.socket.connected).toBe(true);
  });
});

describe('hostile sockets', () => {
  it('when a page of another origin uses the polling transport, then it is refused too', async () => {
    const res = await fetch(`${t.url}/socket.io/?EIO=4&transport=polling`, {
      headers: { origin: 'https://evil.example' },
    });
    expect(res.status).toBe(403);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('when a client sends 1 MB over the polling transport or as binary, then it is cut off and others are unaffected', async () => {
    const open1 = await (await fetch(`${t.url}/socket.io/?EIO=4&transport=polling`)).text();
    const sid = (JSON.parse(open1.slice(1)) as { sid: string }).sid;
    const big = await fetch(`${t.url}/socket.io/?EIO=4&transport=polling&sid=${sid}`, {
      method: 'POST',
      body: `42["live:resync","${'x'.repeat(1024 * 1024)}"]`,
    });
    expect(big.status).toBeGreaterThanOrEqual(400);
    const viewer = client();
    const binary = client();
    await waitFor(() => expect(viewer.socket.connected && binary.socket.connected).toBe(true));
    (binary.socket as unknown as { emit(ev: string, ...a: unknown[]): void }).emit(
      'live:resync',
      Buffer.alloc(1024 * 1024),
    );
    await waitFor(() => expect(binary.got.disconnects).toBe(1));
    expect(viewer.socket.connected).toBe(true);
  });
});
