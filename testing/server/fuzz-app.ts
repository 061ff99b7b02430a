// One app per fuzz file, with the pieces every fuzz property needs: a keep-alive client, a clock
// that stands still (so nothing ages and /api/live changes only when a request changed it), and a
// cheap "nothing changed" check through the ETag of /api/live.
import fc from 'fast-check';
import { expect } from 'vitest';
import { ManualClock } from '../../server/clock.js';
import { issueToken, startTestApp, TEST_ADMIN_TOKEN, type TestApp } from './app.js';
import { fuzzSeed, FUZZ_RUNS } from './fuzz.js';
import { httpClient, type HttpClient } from './http.js';
import { waitFor } from '../wait.js';

export interface FuzzApp {
  t: TestApp;
  http: HttpClient;
  clock: ManualClock;
  tokens: { valid: string; other: string; revoked: string };
  /** Fails unless /api/live is exactly as at the last `remember()`. */
  expectUnchanged(): Promise<void>;
  /** Takes the current /api/live as the new baseline (after a request that may change it). */
  remember(): Promise<void>;
  /** The whole /api/live body (at the start and end of a property). */
  liveBody(): Promise<string>;
  /**
   * Checks a property on FUZZ_RUNS inputs with a logged seed; returns how many were checked. With
   * `batch` > 1 each fast-check run draws that many inputs and sends them at once (for properties
   * that need no per-request state check), so a thousand requests take a fraction of the time.
   */
  run<T extends unknown[]>(
    name: string,
    arbs: { [K in keyof T]: fc.Arbitrary<T[K]> },
    body: (...args: T) => Promise<void>,
    opts?: { runs?: number; batch?: number },
  ): Promise<number>;
  close(): Promise<void>;
}

/** Bearer headers by kind, so properties can draw who is asking. */
export const AUTH_KINDS = [
  'valid',
  'other',
  'revoked',
  'none',
  'unknown',
  'garbage',
  'long',
  'basic',
  'admin',
  'lowercase',
] as const;
export type AuthKind = (typeof AUTH_KINDS)[number];

export async function startFuzzApp(): Promise<FuzzApp> {
  const clock = new ManualClock(Date.parse('2026-11-22T02:00:00Z'));
  // Rate limits high: the fuzz must reach validation, not be stopped at the door.
  const t = await startTestApp({
    clock,
    config: {
      // Fuzzers send thousands of packets from one address on a clock that does not move: the limits
      // that would cut them are tested on their own (live/flood.test.ts); here the handlers are.
      writeRatePerMin: 1_000_000_000,
      authFailuresPerHour: 1_000_000_000,
      socketPacketsPerMin: 1_000_000_000,
      socketIpPacketsPerMin: 1_000_000_000,
    },
  });
  const http = httpClient(t.url, 16);
  const valid = (await issueToken(t, 'site-1')).token;
  const other = (await issueToken(t, 'site-2')).token;
  const gone = await issueToken(t, 'site-1');
  const del = await fetch(`${t.url}/api/admin/staff-tokens/${gone.tokenId}`, {
    method: 'DELETE',
    headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
  });
  if (del.status !== 204) throw new Error('revoke failed');
  let etag = '';
  // After an accepted write the next frame bumps the version too: wait for it before taking the tag.
  const remember = async () => {
    await waitFor(() => expect(t.app.engine.framePending).toBe(false), { interval: 5 });
    etag = String((await http.send({ path: '/api/live' })).headers.etag);
  };
  await remember();
  return {
    t,
    http,
    clock,
    tokens: { valid, other, revoked: gone.token },
    remember,
    expectUnchanged: async () => {
      const res = await http.send({ path: '/api/live', headers: { 'if-none-match': etag } });
      expect(res.status, 'GET /api/live changed').toBe(304);
    },
    liveBody: async () => (await http.send({ path: '/api/live' })).text,
    run: async (name, arbs, body, opts = {}) => {
      const seed = fuzzSeed();
      const runs = opts.runs ?? FUZZ_RUNS;
      const batch = opts.batch ?? 1;
      let n = 0;
      console.log(
        `[fuzz] ${name}: seed ${seed}, ${runs} inputs${batch > 1 ? ` in batches of ${batch}` : ''} (replay with FUZZ_SEED=${seed})`,
      );
      const one = fc.tuple(...(arbs as unknown as fc.Arbitrary<unknown>[]));
      await fc.assert(
        fc.asyncProperty(fc.array(one, { minLength: batch, maxLength: batch }), async (inputs) => {
          n += inputs.length;
          await Promise.all(inputs.map((args) => (body as (...a: unknown[]) => Promise<void>)(...args)));
        }),
        { seed, numRuns: Math.ceil(runs / batch), endOnFailure: true },
      );
      return n;
    },
    close: async () => {
      http.close();
      await t.close();
    },
  };
}

export function authHeader(kind: AuthKind, tokens: FuzzApp['tokens']): Record<string, string> {
  switch (kind) {
    case 'valid':
      return { authorization: `Bearer ${tokens.valid}` };
    case 'other':
      return { authorization: `Bearer ${tokens.other}` };
    case 'revoked':
      return { authorization: `Bearer ${tokens.revoked}` };
    case 'none':
      return {};
    case 'unknown':
      return { authorization: `Bearer st_${'Q'.repeat(43)}` };
    case 'garbage':
      return { authorization: 'Bearer \u00ff\u00fe%00<script>' };
    case 'long':
      return { authorization: `Bearer ${'x'.repeat(8000)}` };
    case 'basic':
      return { authorization: 'Basic dXNlcjpwYXNz' };
    case 'admin':
      return { authorization: `Bearer ${TEST_ADMIN_TOKEN}` };
    case 'lowercase':
      return { authorization: `bearer   ${tokens.valid}  ` };
  }
}
