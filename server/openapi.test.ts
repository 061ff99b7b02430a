// The OpenAPI document against the server: every status the fuzzers' inputs draw from an operation
// is one the document lists for it, and the document passes @redocly/cli lint (redocly.yaml).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOpenApi } from './openapi.js';
import { AUTH_KINDS, authHeader, startFuzzApp, type FuzzApp } from '../testing/server/fuzz-app.js';
import { hostileBody, oddHeaders, pathSegment, query } from '../testing/server/fuzz.js';

const doc = buildOpenApi();
/** A valid body per operation with one, for the fuzzers' mutations. */
const VALID: Record<string, Record<string, unknown>> = {
  'post /api/sites/{id}/reports': { reportId: 'openapi-fuzz-1', queue: 3 },
  'post /api/feeds/carrier': {
    batchId: 'openapi-batch-1',
    observedAt: '2026-11-22T02:00:00Z',
    readings: [{ siteId: 'site-1', people: 10 }],
  },
  'post /api/admin/staff-tokens': { siteId: 'site-1' },
  'post /api/admin/enrolment-links': { siteIds: ['site-2', 'site-3'], rotate: false },
  'post /api/admin/notices': { kind: 'info', message: 'hello', ttlMinutes: 5 },
};

let f: FuzzApp;
beforeAll(async () => {
  f = await startFuzzApp();
});
afterAll(async () => {
  await f.close();
});

describe('the OpenAPI document', () => {
  it("when the fuzzers' inputs hit every documented operation, then every status answered is documented for it", async () => {
    const undocumented = new Set<string>();
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops as Record<string, { responses: Record<string, unknown> }>)) {
        const documented = new Set(Object.keys(op.responses));
        const key = `${method} ${path}`;
        const url = (segs: string[]) => path.replace(/\{[^}]+\}/g, () => segs.shift() ?? 'site-1');
        const valid = VALID[key];
        await f.run(
          key,
          [
            // An empty segment turns the path into another route (DELETE /api/admin/notices/ is the
            // collection, which answers 405), so it is not this operation's answer.
            fc.array(
              pathSegment(['site-1', 'site-2', 'nt_x', 'tk_x']).filter((s) => s !== ''),
              { minLength: 2, maxLength: 2 },
            ),
            query(['hours', 'siteId']),
            fc.constantFrom(...AUTH_KINDS),
            oddHeaders,
            valid ? hostileBody(valid, 9000) : fc.constant(undefined),
          ],
          async (segs, q, auth, headers, body) => {
            const res = await f.http.send({
              method: method.toUpperCase(),
              path: `${url(segs)}${q}`,
              headers: { ...headers, ...authHeader(auth, f.tokens) },
              body,
            });
            if (!documented.has(String(res.status)))
              undocumented.add(`${key}: ${res.status} (${res.text.slice(0, 80)})`);
          },
          { runs: 150, batch: 10 },
        );
      }
    }
    expect([...undocumented].sort()).toEqual([]);
    // 150 inputs for each of ~50 operations: about 5 s alone, several times that on a busy machine.
  }, 120_000);

  it('when linted with @redocly/cli and its recommended rules, then it passes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'openapi-'));
    const file = join(dir, 'openapi.json');
    writeFileSync(file, JSON.stringify(doc));
    const r = spawnSync(
      'npx',
      ['--no-install', 'redocly', 'lint', file, '--config', join(process.cwd(), 'redocly.yaml'), '--format=summary'],
      { encoding: 'utf8' },
    );
    expect(r.status, r.stdout + r.stderr).toBe(0);
  });
});
