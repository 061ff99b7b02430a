// Row "property-based fuzzing", the admin side: staff tokens (issue, list, revoke), enrolment
// links and notices (post, remove), with and without the admin token. Never 5xx, errors are JSON, and the only
// changes are the ones answered 201 or 204 to a correct admin request.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EnrolmentLinksRequestSchema, type EnrolmentLinks } from '../../shared/enrolment.js';
import { NoticeInputSchema, StaffTokenRequestSchema } from '../../shared/schemas.js';
import { TEST_ADMIN_TOKEN } from '../../testing/server/app.js';
import { expectContractAnswer, hostileBody, oddHeaders, pathSegment, query } from '../../testing/server/fuzz.js';
import { AUTH_KINDS, authHeader, startFuzzApp, type AuthKind, type FuzzApp } from '../../testing/server/fuzz-app.js';

let f: FuzzApp;
const admin = { authorization: `Bearer ${TEST_ADMIN_TOKEN}` };
/** Mostly the admin token, so bodies reach validation; the other kinds must all be refused. */
const who = fc.oneof({ arbitrary: fc.constant<AuthKind>('admin'), weight: 3 }, fc.constantFrom(...AUTH_KINDS));

const tokenIds = async () =>
  (
    (await f.http.send({ path: '/api/admin/staff-tokens', headers: admin })).json as { tokens: { tokenId: string }[] }
  ).tokens.map((t) => t.tokenId);
const tokenCount = async () => (await tokenIds()).length;
const noticeCount = async () =>
  ((await f.http.send({ path: '/api/notices' })).json as { notices: unknown[] }).notices.length;
const acceptable = (schema: { safeParse(v: unknown): { success: boolean } }, body: Buffer) => {
  try {
    return schema.safeParse(JSON.parse(body.toString('utf8'))).success;
  } catch {
    return false;
  }
};

beforeAll(async () => {
  f = await startFuzzApp();
});
afterAll(() => f.close());

describe('fuzzing the admin endpoints', () => {
  it('when POST /api/admin/staff-tokens gets hostile bodies and tokens, then only a valid admin request issues a token', async () => {
    const before = await tokenCount();
    let issued = 0;
    const runs = await f.run(
      'POST /api/admin/staff-tokens',
      [who, oddHeaders, hostileBody({ siteId: 'site-1', label: 'tablet' }, 2048)] as const,
      async (auth, headers, body) => {
        const res = await f.http.send({
          method: 'POST',
          path: '/api/admin/staff-tokens',
          headers: { ...headers, ...authHeader(auth, f.tokens) },
          body,
        });
        expectContractAnswer(res, 'POST');
        if (res.status === 201) {
          expect([auth, acceptable(StaffTokenRequestSchema, body)]).toEqual(['admin', true]);
          issued++;
        }
      },
      { batch: 8 },
    );
    expect(await tokenCount()).toBe(before + issued);
    await f.expectUnchanged();
    console.log(
      `[figure] fuzz POST /api/admin/staff-tokens: ${runs} runs, 5xx=0, issued (valid by construction)=${issued}`,
    );
  });

  it('when GET and DELETE /api/admin/staff-tokens get hostile ids, queries and tokens, then nothing is revoked', async () => {
    const before = await tokenCount();
    const runs = await f.run(
      'GET, DELETE /api/admin/staff-tokens',
      [
        who,
        oddHeaders,
        fc.constantFrom('GET', 'DELETE', 'HEAD', 'PUT'),
        fc.oneof(
          query(['siteId']).map((q) => q),
          pathSegment(['tk_nope', 'tk_', 'tk_' + 'a'.repeat(40)]).map((id) => `/${id}`),
        ),
      ] as const,
      async (auth, headers, method, tail) => {
        const res = await f.http.send({
          method,
          path: `/api/admin/staff-tokens${tail}`,
          headers: { ...headers, ...authHeader(auth, f.tokens) },
        });
        expectContractAnswer(res, method);
        expect(res.status).not.toBe(204);
      },
      { batch: 8 },
    );
    expect(await tokenCount()).toBe(before);
    console.log(`[figure] fuzz GET/DELETE /api/admin/staff-tokens: ${runs} runs, 5xx=0, revoked=0`);
  });

  it('when POST /api/admin/notices gets hostile bodies and tokens, then only a valid admin request posts a notice', async () => {
    const before = await noticeCount();
    let posted = 0;
    const valid = { siteId: 'site-1', kind: 'info', message: '<img src=x onerror=alert(1)>', ttlMinutes: 60 };
    const runs = await f.run(
      'POST /api/admin/notices',
      [who, oddHeaders, hostileBody(valid, 4096)] as const,
      async (auth, headers, body) => {
        const res = await f.http.send({
          method: 'POST',
          path: '/api/admin/notices',
          headers: { ...headers, ...authHeader(auth, f.tokens) },
          body,
        });
        expectContractAnswer(res, 'POST');
        if (res.status === 201) {
          expect([auth, acceptable(NoticeInputSchema, body)]).toEqual(['admin', true]);
          posted++;
        }
      },
      { batch: 8 },
    );
    expect(await noticeCount()).toBe(before + posted);
    await f.expectUnchanged();
    console.log(`[figure] fuzz POST /api/admin/notices: ${runs} runs, 5xx=0, posted (valid by construction)=${posted}`);
  });

  it('when DELETE /api/admin/notices/:id gets hostile ids and tokens, then nothing is removed', async () => {
    const before = await noticeCount();
    const runs = await f.run(
      'DELETE /api/admin/notices/:id',
      [who, oddHeaders, pathSegment(['nt_nope', 'nt_', 'nt_' + 'b'.repeat(40)])] as const,
      async (auth, headers, id) => {
        const res = await f.http.send({
          method: 'DELETE',
          path: `/api/admin/notices/${id}`,
          headers: { ...headers, ...authHeader(auth, f.tokens) },
        });
        expectContractAnswer(res, 'DELETE');
        expect(res.status).not.toBe(204);
      },
      { batch: 8 },
    );
    expect(await noticeCount()).toBe(before);
    console.log(`[figure] fuzz DELETE /api/admin/notices/:id: ${runs} runs, 5xx=0, removed=0`);
  });

  // Last in the file: a valid request may rotate site-1's link, which signs out the fuzz tablet.
  it('when POST /api/admin/enrolment-links gets hostile bodies and tokens, then only a valid admin request issues or revokes, as its answer says', async () => {
    const made = new Set(await tokenIds());
    const revoked = new Set<string>();
    let answered = 0;
    const runs = await f.run(
      'POST /api/admin/enrolment-links',
      [
        who,
        oddHeaders,
        hostileBody({ siteIds: ['site-1', 'site-2'], rotate: false, label: 'sheet' }, 400 * 1024),
      ] as const,
      async (auth, headers, body) => {
        const res = await f.http.send({
          method: 'POST',
          path: '/api/admin/enrolment-links',
          headers: { ...headers, ...authHeader(auth, f.tokens) },
          body,
        });
        expectContractAnswer(res, 'POST');
        if (res.status === 200) {
          expect([auth, acceptable(EnrolmentLinksRequestSchema, body)]).toEqual(['admin', true]);
          answered++;
          for (const l of (res.json as EnrolmentLinks).links) {
            made.add(l.tokenId);
            for (const id of l.revoked) revoked.add(id);
          }
        }
      },
      { batch: 8 },
    );
    // Set algebra, so the order the server served concurrent requests in does not matter: a token
    // is listed exactly when it existed before or an answer gave it, and no answer revoked it.
    expect((await tokenIds()).sort()).toEqual([...made].filter((id) => !revoked.has(id)).sort());
    await f.expectUnchanged();
    console.log(
      `[figure] fuzz POST /api/admin/enrolment-links: ${runs} runs, 5xx=0, answered 200 (valid by construction)=${answered}`,
    );
  });
});
