import { IncomingMessage } from 'node:http';
import v8 from 'node:v8';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { issueToken, report, startTestApp, type TestApp } from '../../testing/server/app.js';
import { waitFor } from '../../testing/wait.js';

let t: TestApp;
const open: Socket[] = [];
beforeAll(async () => {
  t = await startTestApp({ config: { frameMs: 3_600_000 } });
});
// Each test counts from a server with no connection left over.
afterEach(async () => {
  for (const s of open.splice(0)) s.close();
  await waitFor(() => expect(t.app.io.engine.clientsCount).toBe(0));
});
afterAll(() => t.close());

/** Live HTTP requests in this process (queryObjects collects garbage first). */
const liveRequests = () => v8.queryObjects(IncomingMessage, { format: 'count' }) as number;

function clients(n: number, transports: Array<'websocket' | 'polling'>, auth: Record<string, string> = {}): Socket[] {
  const made = Array.from({ length: n }, () =>
    connect(t.url, { transports, forceNew: true, reconnection: false, auth }),
  );
  open.push(...made);
  return made;
}

describe('what an idle connection keeps', () => {
  it('when 20 websocket clients are connected, then none of their upgrade requests is still in memory', async () => {
    const before = liveRequests();
    const made = clients(20, ['websocket']);
    await waitFor(() => expect(made.every((s) => s.connected)).toBe(true));
    await waitFor(() => expect(liveRequests() - before).toBeLessThanOrEqual(1));
  });

  it('when 10 clients start on polling and upgrade, then neither their first request nor the upgrade request is kept', async () => {
    const before = liveRequests();
    const made = clients(10, ['polling', 'websocket']);
    await waitFor(() => expect(made.every((s) => s.io.engine?.transport.name === 'websocket')).toBe(true));
    await waitFor(() => expect(liveRequests() - before).toBeLessThanOrEqual(1));
  });

  it('when a staff socket is connected, then its token is no longer in its handshake and it keeps its staff rooms and rights', async () => {
    const { token } = await issueToken(t, 'site-1');
    const [staff] = clients(1, ['websocket'], { token });
    await waitFor(() => expect(staff!.connected).toBe(true));
    const server = t.app.io.sockets.sockets.get(staff!.id!)!;
    expect(server.handshake.auth).toEqual({});
    expect(server.handshake.headers).toEqual({});
    expect(server.handshake.issued).toBeGreaterThan(0);
    expect(server.data.staff).toMatchObject({ siteId: 'site-1' });
    expect(server.rooms.has('site:site-1')).toBe(true);
    const r = await report(t, token, 'site-1', { queue: 12 });
    expect(r.status).toBe(200);
  });
});
