// Row "property-based fuzzing", the write side: staff reports, GET /api/staff/me and the carrier
// feed (validly signed hostile bodies, and hostile signatures). Every answer is below 500 and any
// error is `{ error, message }` JSON; a request answered with an error changes nothing.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CarrierBatchSchema, StaffReportSchema } from '../../shared/schemas.js';
import { TEST_CARRIER_KEY } from '../../testing/server/app.js';
import { carrierHeaders } from '../../testing/server/carrier.js';
import { expectContractAnswer, hostileBody, oddHeaders, oversized, pathSegment } from '../../testing/server/fuzz.js';
import { AUTH_KINDS, authHeader, startFuzzApp, type FuzzApp } from '../../testing/server/fuzz-app.js';

let f: FuzzApp;
const iso = (ms: number) => new Date(ms).toISOString();

beforeAll(async () => {
  f = await startFuzzApp();
});
afterAll(() => f.close());

/** True when the body is one the server may accept: it parses and fits the schema. */
const acceptable = (schema: { safeParse(v: unknown): { success: boolean } }, body: Buffer) => {
  try {
    return schema.safeParse(JSON.parse(body.toString('utf8'))).success;
  } catch {
    return false;
  }
};

describe('fuzzing the write endpoints', () => {
  it('when POST /api/sites/:id/reports gets hostile ids, tokens, headers and bodies, then never 5xx, errors are JSON, and an error changes nothing', async () => {
    const valid = {
      reportId: 'fuzz-report-0001',
      queue: 12,
      lanesOpen: 2,
      status: 'open',
      observedAt: iso(f.clock.now()),
      note: 'ok',
    };
    let accepted = 0;
    const runs = await f.run(
      'POST /api/sites/:id/reports',
      [
        pathSegment(['site-1', 'site-2', 'nope']),
        fc.constantFrom(...AUTH_KINDS),
        oddHeaders,
        hostileBody(valid, 4096),
      ] as const,
      async (site, auth, headers, body) => {
        const res = await f.http.send({
          method: 'POST',
          path: `/api/sites/${site}/reports`,
          headers: { ...headers, ...authHeader(auth, f.tokens) },
          body,
        });
        expectContractAnswer(res, 'POST');
        if (res.status === 200) {
          // Only a well-formed report with the site's own token may be taken ('other' is site-2's).
          const ownToken =
            site === 'site-1' ? ['valid', 'lowercase'].includes(auth) : site === 'site-2' && auth === 'other';
          expect([ownToken, acceptable(StaffReportSchema, body)]).toEqual([true, true]);
          accepted++;
          await f.remember();
        } else {
          await f.expectUnchanged();
        }
      },
    );
    console.log(
      `[figure] fuzz POST /api/sites/:id/reports: ${runs} runs, 5xx=0, accepted (valid by construction)=${accepted}`,
    );
  });

  it('when GET /api/staff/me gets hostile tokens and headers, then only a live token gets 200 and errors are JSON', async () => {
    const runs = await f.run(
      'GET /api/staff/me',
      [fc.constantFrom(...AUTH_KINDS), oddHeaders, fc.constantFrom('GET', 'HEAD', 'POST', 'DELETE')] as const,
      async (auth, headers, method) => {
        const res = await f.http.send({
          method,
          path: '/api/staff/me',
          headers: { ...headers, ...authHeader(auth, f.tokens) },
        });
        expectContractAnswer(res, method);
        if (res.status === 200) expect(['valid', 'other', 'lowercase']).toContain(auth);
      },
      { batch: 8 },
    );
    await f.expectUnchanged();
    console.log(`[figure] fuzz GET /api/staff/me: ${runs} runs, 5xx=0`);
  });

  it('when POST /api/feeds/carrier gets validly signed hostile bodies, then never 5xx and an error changes nothing', async () => {
    const valid = {
      batchId: 'fuzz-batch-0001',
      observedAt: iso(f.clock.now()),
      readings: [{ siteId: 'site-3', people: 10, confidence: 0.5 }],
    };
    // Signed bodies of every kind except oversized (8 MB a thousand times is no fuzzing); one below.
    const runs = await f.run(
      'POST /api/feeds/carrier (signed)',
      [oddHeaders, hostileBody(valid, null)] as const,
      async (headers, body) => {
        const res = await f.http.send({
          method: 'POST',
          path: '/api/feeds/carrier',
          headers: {
            ...headers,
            ...carrierHeaders(body, f.clock.now()),
            'content-type': headers['content-type'] ?? 'application/json',
          },
          body,
        });
        expectContractAnswer(res, 'POST');
        if (res.status === 200) {
          expect(acceptable(CarrierBatchSchema, body)).toBe(true);
          await f.remember();
        } else {
          await f.expectUnchanged();
        }
      },
    );
    const big = await f.http.send({
      method: 'POST',
      path: '/api/feeds/carrier',
      headers: carrierHeaders(oversized(8 * 1024 * 1024 + 1), f.clock.now()),
      body: oversized(8 * 1024 * 1024 + 1),
    });
    expect([big.status, (big.json as { error: string }).error]).toEqual([413, 'payload_too_large']);
    console.log(`[figure] fuzz POST /api/feeds/carrier (signed): ${runs} runs + one 8 MB body, 5xx=0`);
  });

  it('when POST /api/feeds/carrier gets hostile keys, timestamps and signatures, then 401 JSON and nothing changes', async () => {
    const body = Buffer.from(
      JSON.stringify({
        batchId: 'fuzz-batch-unsigned',
        observedAt: iso(f.clock.now()),
        readings: [{ siteId: 'site-1', people: 3 }],
      }),
    );
    const now = () => Math.floor(f.clock.now() / 1000);
    const runs = await f.run(
      'POST /api/feeds/carrier (bad signatures)',
      [
        fc.oneof(
          fc.constant(undefined),
          fc.constantFrom(TEST_CARRIER_KEY.id, 'nobody', '', '__proto__', 'constructor', 'toString'),
          fc.string({ maxLength: 20 }),
        ),
        fc.oneof(
          fc.constant(undefined),
          fc.integer({ min: -1e6, max: 1e6 }).map((d) => String(now() + d)),
          fc.constantFrom('', 'NaN', '1e10', '-1', '0x10', '99999999999999999999', ' 1 '),
        ),
        fc.oneof(
          fc.constant(undefined),
          fc.string({ maxLength: 80 }),
          fc.constantFrom(
            'sha256=',
            `sha256=${'0'.repeat(64)}`,
            `sha256=${'g'.repeat(64)}`,
            `sha256=${'0'.repeat(63)}`,
            `${'sha256=00,'.repeat(50)}`,
            `sha256=${'a'.repeat(64)},sha256=${'b'.repeat(64)}`,
          ),
        ),
      ] as const,
      async (key, ts, signature) => {
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        if (key !== undefined) headers['x-feed-key'] = key.replace(/[^\t\x20-\x7e]/g, '?');
        if (ts !== undefined) headers['x-feed-timestamp'] = ts;
        if (signature !== undefined) headers['x-feed-signature'] = signature.replace(/[^\t\x20-\x7e]/g, '?');
        const res = await f.http.send({ method: 'POST', path: '/api/feeds/carrier', headers, body });
        expectContractAnswer(res, 'POST');
        expect(res.status).toBe(401);
      },
      { batch: 8 },
    );
    await f.expectUnchanged();
    console.log(`[figure] fuzz POST /api/feeds/carrier (bad signatures): ${runs} runs, 5xx=0, all 401`);
  });
});
