import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../clock.js';
import { startTestApp, TEST_ADMIN_TOKEN, type TestApp } from '../../testing/server/app.js';
import { recorder, type Client } from '../../testing/server/socket.js';
import { waitFor } from '../../testing/wait.js';

const clock = new ManualClock(Date.parse('2026-11-22T02:00:00Z'));
let t: TestApp;
const sockets: Client[] = [];

beforeAll(async () => {
  t = await startTestApp({ clock });
});
afterEach(() => {
  for (const s of sockets.splice(0)) s.close();
});
afterAll(() => t.close());

const postNotice = (body: unknown, token: string | null = TEST_ADMIN_TOKEN) =>
  fetch(`${t.url}/api/admin/notices`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });

describe('notices', () => {
  it('when the command centre posts a notice, then it is listed and pushed to open sockets, then gone when it expires', async () => {
    const viewer = recorder(t.url);
    sockets.push(viewer.socket);
    const got: unknown[][] = [];
    viewer.socket.on('notices:updated', (n) => got.push(n));
    await waitFor(() => expect(got).toEqual([[]]));

    const res = await postNotice({
      siteId: 'site-1',
      kind: 'redirect',
      redirectSiteId: 'site-2',
      message: '本点暂停，请前往 <b>2号点</b>',
      ttlMinutes: 30,
    });
    expect(res.status).toBe(201);
    const created = await res.json();
    expect(created).toMatchObject({
      siteId: 'site-1',
      kind: 'redirect',
      redirectSiteId: 'site-2',
      message: '本点暂停，请前往 <b>2号点</b>',
    });
    expect(Date.parse(created.expiresAt) - Date.parse(created.createdAt)).toBe(30 * 60_000);
    expect((await (await fetch(`${t.url}/api/notices`)).json()).notices).toEqual([created]);
    await waitFor(() => expect(got.at(-1)).toEqual([created]));

    clock.advance(31 * 60_000);
    await waitFor(() => expect(got.at(-1)).toEqual([]));
    expect((await (await fetch(`${t.url}/api/notices`)).json()).notices).toEqual([]);
  });

  it('when a notice is deleted, then it disappears; deleting it again is 404', async () => {
    const created = await (
      await postNotice({ kind: 'info', message: '全市采样点今晚 22:00 结束', ttlMinutes: 60 })
    ).json();
    expect(created.siteId).toBeNull();
    const del = (id: string) =>
      fetch(`${t.url}/api/admin/notices/${id}`, {
        method: 'DELETE',
        headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
      });
    expect((await del(created.id)).status).toBe(204);
    expect((await (await fetch(`${t.url}/api/notices`)).json()).notices).toEqual([]);
    expect((await del(created.id)).status).toBe(404);
  });

  it('when the input is bad or the caller is not admin, then a JSON error and nothing stored', async () => {
    expect((await postNotice({ kind: 'info', message: 'x', ttlMinutes: 60 }, null)).status).toBe(401);
    const bad = await postNotice({ kind: 'warp', message: '', ttlMinutes: 1, extra: true });
    expect(bad.status).toBe(400);
    expect((await bad.json()).issues.map((i: { path: string }) => i.path)).toEqual(
      expect.arrayContaining(['kind', 'message', 'ttlMinutes']),
    );
    expect((await postNotice({ kind: 'redirect', message: 'go', ttlMinutes: 60 })).status).toBe(400);
    expect((await postNotice({ siteId: 'nowhere', kind: 'closed', message: 'x', ttlMinutes: 60 })).status).toBe(404);
    expect((await (await fetch(`${t.url}/api/notices`)).json()).notices).toEqual([]);
  });
});
