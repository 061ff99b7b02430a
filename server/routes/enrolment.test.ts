// POST /api/admin/enrolment-links on both stores, with two app instances on the same data: links
// reused unless rotation is asked, one link per site when both instances are pressed at once, rotated links refused at once everywhere, bad requests refused
// with nothing issued, and links that cannot be printed again replaced.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EnrolmentLinks } from '../../shared/enrolment.js';
import { report, startTestApp, TEST_ADMIN_TOKEN, type TestApp } from '../../testing/server/app.js';
import { recorder } from '../../testing/server/socket.js';
import { implementations, type Harness } from '../../testing/server/store-harness.js';
import { staffLinks } from '../auth/staff-links.js';
import { newStaffToken } from '../auth/tokens.js';
import { waitFor } from '../../testing/wait.js';

const admin = (token = TEST_ADMIN_TOKEN) => ({ authorization: `Bearer ${token}`, 'content-type': 'application/json' });

async function sheet(t: TestApp, body: unknown, token = TEST_ADMIN_TOKEN): Promise<{ status: number; body: any }> {
  const res = await fetch(`${t.url}/api/admin/enrolment-links`, {
    method: 'POST',
    headers: admin(token),
    body: JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

const ok = async (t: TestApp, body: unknown): Promise<EnrolmentLinks> => {
  const r = await sheet(t, body);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body as EnrolmentLinks;
};

const tokenIds = async (t: TestApp) =>
  (
    (await (await fetch(`${t.url}/api/admin/staff-tokens`, { headers: admin() })).json()).tokens as Array<{
      tokenId: string;
    }>
  )
    .map((x) => x.tokenId)
    .sort();

// The cluster runs the same store code as Redis; its contract suite covers the batch write there.
for (const impl of implementations.filter((i) => i.kind !== 'cluster')) {
  describe.skipIf(!impl.enabled)(`enrolment links on the ${impl.kind} store`, () => {
    let h: Harness;
    let a: TestApp;
    let b: TestApp;
    beforeEach(async () => {
      h = await impl.open();
      a = await startTestApp({ store: h.store, ownStore: false });
      b = await startTestApp({ store: await h.peer(), ownStore: false });
    });
    afterEach(async () => {
      await a.close();
      await b.close();
      await h.cleanup();
    });

    it('when a sheet is asked for twice without rotation, then the second gives the same links, and they work', async () => {
      const first = await ok(a, { siteIds: ['site-2', 'site-1'], label: 'sheet 1' });
      expect(first.links.map((l) => [l.siteId, l.status, l.revoked])).toEqual([
        ['site-2', 'new', []],
        ['site-1', 'new', []],
      ]);
      for (const l of first.links) {
        expect(l.token).toMatch(/^st_/);
        expect(l.enrollUrl).toBe(`${a.url}/staff#enroll=${l.token}`);
      }
      // Asked of the other instance: the same links, read back from the shared store.
      const again = await ok(b, { siteIds: ['site-1', 'site-2'] });
      expect(again.links.map((l) => [l.siteId, l.status, l.tokenId, l.token])).toEqual(
        [first.links[1]!, first.links[0]!].map((l) => [l.siteId, 'reused', l.tokenId, l.token]),
      );
      expect(await tokenIds(a)).toEqual(first.links.map((l) => l.tokenId).sort());
      expect((await report(b, first.links[0]!.token, 'site-2', { queue: 4 })).status).toBe(200);
      // The list never carries a token or its sealed copy.
      const listed = await (await fetch(`${a.url}/api/admin/staff-tokens`, { headers: admin() })).text();
      expect(listed).not.toMatch(/st_|v1\./);
    });

    it('when both instances are asked for sheets at the same moment, then each site still gets one link, printed on both', async () => {
      const sites = ['site-1', 'site-2', 'site-3'];
      const sheets = await Promise.all([a, b, a, b].map((t) => ok(t, { siteIds: sites })));
      const tokens = sheets.map((s) => s.links.map((l) => l.token));
      for (const t of tokens) expect(t).toEqual(tokens[0]);
      expect(await tokenIds(a)).toHaveLength(sites.length);
      expect(sheets.flatMap((s) => s.links.map((l) => l.status)).filter((x) => x === 'new')).toHaveLength(sites.length);
    });

    it('when a token was issued on its own, then the sheet prints that link again instead of making one', async () => {
      const res = await fetch(`${a.url}/api/admin/staff-tokens`, {
        method: 'POST',
        headers: admin(),
        body: JSON.stringify({ siteId: 'site-3', label: 'tablet 1' }),
      });
      const single = (await res.json()) as { tokenId: string; token: string };
      const got = await ok(a, { siteIds: ['site-3'] });
      expect(got.links[0]).toMatchObject({ status: 'reused', tokenId: single.tokenId, token: single.token });
    });

    it('when rotation is asked, then every site gets a new link and the old one is refused at once on every instance', async () => {
      const old = (await ok(a, { siteIds: ['site-1', 'site-2'] })).links;
      expect((await report(b, old[0]!.token, 'site-1', { queue: 5 })).status).toBe(200);
      const tablet = recorder(b.url, { token: old[0]!.token });
      await waitFor(() => expect(tablet.socket.connected).toBe(true));
      try {
        const rotated = (await ok(a, { siteIds: ['site-1', 'site-2'], rotate: true })).links;
        expect(rotated.map((l) => [l.siteId, l.status, l.revoked])).toEqual([
          ['site-1', 'rotated', [old[0]!.tokenId]],
          ['site-2', 'rotated', [old[1]!.tokenId]],
        ]);
        expect(rotated.map((l) => l.token)).not.toContain(old[0]!.token);
        expect(rotated.map((l) => l.token)).not.toContain(old[1]!.token);
        expect((await report(a, old[0]!.token, 'site-1', { queue: 6 })).status).toBe(401);
        // The other instance hears of it from the store: its tablet is signed out and refused.
        await waitFor(() => expect(tablet.got.revoked).toBe(1));
        expect((await report(b, old[0]!.token, 'site-1', { queue: 6 })).status).toBe(401);
        expect((await report(b, rotated[0]!.token, 'site-1', { queue: 6 })).status).toBe(200);
        expect(await tokenIds(a)).toEqual(rotated.map((l) => l.tokenId).sort());
        // And the rotated links are the ones printed next time.
        expect((await ok(b, { siteIds: ['site-1', 'site-2'] })).links.map((l) => l.token)).toEqual(
          rotated.map((l) => l.token),
        );
      } finally {
        tablet.socket.close();
      }
    });

    it('when links cannot be printed again (no sealed copy, or sealed under another key), then they are replaced and revoked', async () => {
      const unsealed = newStaffToken();
      const foreign = staffLinks({ adminToken: 'another-admin-token-0123456789', enrolSecret: null }).issue(
        'site-2',
        null,
        1,
      );
      await h.store.createStaffTokens([
        { tokenId: unsealed.tokenId, hash: unsealed.hash, siteId: 'site-1', label: 'before', createdAtMs: 1 },
        foreign.rec,
      ]);
      expect((await report(a, unsealed.token, 'site-1', { queue: 2 })).status).toBe(200);
      const got = (await ok(a, { siteIds: ['site-1', 'site-2'] })).links;
      expect(got.map((l) => [l.siteId, l.status, l.revoked])).toEqual([
        ['site-1', 'replaced', [unsealed.tokenId]],
        ['site-2', 'replaced', [foreign.rec.tokenId]],
      ]);
      expect((await report(a, unsealed.token, 'site-1', { queue: 3 })).status).toBe(401);
      expect((await report(a, foreign.token, 'site-2', { queue: 3 })).status).toBe(401);
      expect((await ok(a, { siteIds: ['site-1', 'site-2'] })).links.map((l) => l.status)).toEqual(['reused', 'reused']);
    });

    it('when ENROL_SECRET is set, then links stay printable after the admin token changes', async () => {
      const enrolSecret = 'enrol-secret-0123456789-0123456789';
      const before = await startTestApp({ store: h.store, ownStore: false, config: { enrolSecret } });
      const first = (await ok(before, { siteIds: ['site-1'] })).links[0]!;
      await before.close();
      const after = await startTestApp({
        store: h.store,
        ownStore: false,
        config: { enrolSecret, adminToken: `${TEST_ADMIN_TOKEN}-changed` },
      });
      try {
        const res = await fetch(`${after.url}/api/admin/enrolment-links`, {
          method: 'POST',
          headers: admin(`${TEST_ADMIN_TOKEN}-changed`),
          body: JSON.stringify({ siteIds: ['site-1'] }),
        });
        expect(((await res.json()) as EnrolmentLinks).links[0]).toMatchObject({ status: 'reused', token: first.token });
      } finally {
        await after.close();
      }
    });

    it('when a site is unknown, then 400 names it and nothing is issued or revoked', async () => {
      const old = (await ok(a, { siteIds: ['site-1'] })).links[0]!;
      const before = await tokenIds(a);
      const r = await sheet(a, { siteIds: ['site-2', 'nowhere', 'site-1'], rotate: true });
      expect(r).toEqual({
        status: 400,
        body: {
          error: 'unknown_site',
          message: 'No such site.',
          issues: [{ path: 'siteIds.1', message: 'No such site.' }],
        },
      });
      expect(await tokenIds(a)).toEqual(before);
      expect((await report(a, old.token, 'site-1', { queue: 1 })).status).toBe(200);
    });

    it('when the body is not valid, then 400 invalid_request and nothing is issued', async () => {
      for (const body of [
        {},
        { siteIds: [] },
        { siteIds: ['site-1', 'site-1'] },
        { siteIds: ['site-1'], rotate: 'yes' },
        { siteIds: ['site-1'], label: '' },
        { siteIds: ['site-1'], extra: 1 },
        { siteIds: ['../x'] },
      ]) {
        const r = await sheet(a, body);
        expect([r.status, r.body.error], JSON.stringify(body)).toEqual([400, 'invalid_request']);
      }
      expect(await tokenIds(a)).toEqual([]);
    });

    it('when the caller is not the admin, then 401 (403 with admin disabled) and nothing is issued', async () => {
      expect((await sheet(a, { siteIds: ['site-1'] }, 'not-the-admin-token')).status).toBe(401);
      const res = await fetch(`${a.url}/api/admin/enrolment-links`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ siteIds: ['site-1'] }),
      });
      expect(res.status).toBe(401);
      const off = await startTestApp({ store: h.store, ownStore: false, config: { adminToken: null } });
      try {
        expect((await sheet(off, { siteIds: ['site-1'] })).body.error).toBe('admin_disabled');
      } finally {
        await off.close();
      }
      expect(await tokenIds(a)).toEqual([]);
    });
  });
}
