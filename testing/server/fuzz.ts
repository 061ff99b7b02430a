// Hostile input for property-based fuzzing of the HTTP API (fast-check): wrong types, NaN, huge
// numbers, prototype keys, deep nesting, oversized and broken bodies, odd headers. And the one
// property every answer must have: below 500, and any error is the contract's JSON, never HTML.
import fc from 'fast-check';
import { expect } from 'vitest';
import type { RawResponse } from './http.js';

/** FUZZ_SEED replays a run; otherwise a fresh seed, printed by the tests so a failure can be replayed. */
export function fuzzSeed(): number {
  const env = process.env.FUZZ_SEED;
  return env ? Number(env) : (Math.random() * 2 ** 31) | 0;
}

/** Runs per endpoint; the issue asks for at least 1,000 per endpoint across the suite. */
export const FUZZ_RUNS = Number(process.env.FUZZ_RUNS ?? 1000);

const PROTO_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'valueOf',
  'hasOwnProperty',
  '__defineGetter__',
];

export const hostileKey: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...PROTO_KEYS, ''),
  fc.string({ maxLength: 12 }),
);

const SPECIAL = [
  null,
  true,
  false,
  0,
  -0,
  -1,
  0.5,
  1e308,
  -1e308,
  5e-324,
  2 ** 53 + 2,
  -(2 ** 63),
  2 ** 31,
  '',
  ' ',
  'NaN',
  'Infinity',
  '__proto__',
  'constructor',
  '\u0000',
  '\ud800',
  '\uffff',
  '<script>window.__xss=1</script>',
  "'; DROP TABLE x; --",
  '../../etc/passwd',
  '%00',
  '1970-01-01T00:00:00Z',
  '9999-12-31T23:59:59Z',
  '2026-11-22T02:00:00+14:00',
  'x'.repeat(300),
];

/** Any JSON value, biased towards the nasty ones. */
export const hostileValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constantFrom(...SPECIAL),
    fc.integer(),
    fc.double(),
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(hostileKey, tie('value'), { maxKeys: 4 }),
  ),
})).value;

/** A valid body with one to three fields replaced by hostile values, removed, or added. */
export function mutated(valid: Record<string, unknown>): fc.Arbitrary<Record<string, unknown>> {
  const keys = Object.keys(valid);
  const edit = fc.tuple(fc.oneof(fc.constantFrom(...keys), hostileKey), fc.option(hostileValue, { nil: undefined }));
  return fc.array(edit, { minLength: 1, maxLength: 3 }).map((edits) => {
    const out: Record<string, unknown> = { ...valid };
    for (const [k, v] of edits) {
      if (v === undefined) delete out[k];
      else Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
    }
    return out;
  });
}

const nested = (depth: number, open: string, close: string) => open.repeat(depth) + close.repeat(depth);
const cache = new Map<number, Buffer>();
/** A JSON string body of exactly `bytes` bytes (kept, so big ones are built once). */
export function oversized(bytes: number): Buffer {
  let b = cache.get(bytes);
  if (!b) cache.set(bytes, (b = Buffer.from(`{"x":"${'a'.repeat(Math.max(0, bytes - 8))}"}`)));
  return b;
}

/** Raw bodies no parser should choke on: broken JSON, NaN literals, deep nesting, broken UTF-8. */
export const rawBody: fc.Arbitrary<Buffer> = fc.oneof(
  fc
    .constantFrom(
      '',
      'null',
      'NaN',
      '{"queue": NaN}',
      '{"queue": 1e999}',
      '{"queue": -Infinity}',
      '{"a":',
      '{"a" 1}',
      '[1,2',
      '"str"',
      '123',
      '{"__proto__": {"polluted": 1}}',
      '{"constructor": {"prototype": {"polluted": 1}}}',
      '\ufeff{}',
      '{"a":1}{"b":2}',
      nested(5_000, '[', ']'),
      nested(2_000, '{"a":', '}').replace(/}$/, '1}'),
    )
    .map((s) => Buffer.from(s)),
  fc.uint8Array({ maxLength: 64 }).map((a) => Buffer.from(a)),
  // Broken UTF-8 inside an otherwise plausible JSON body.
  fc
    .uint8Array({ minLength: 1, maxLength: 8 })
    .map((a) =>
      Buffer.concat([Buffer.from('{"reportId":"'), Buffer.from(a.map((x) => x | 0x80)), Buffer.from('","queue":1}')]),
    ),
  fc.constantFrom(Buffer.from([0xfe, 0xff, 0, 0x7b, 0, 0x7d]), Buffer.from([0x1f, 0x8b, 8, 0, 0, 0])),
);

/**
 * A body: hostile JSON, a mutation of a valid one, or raw bytes; now and then one byte over
 * `limitBytes` (null: never, for routes whose limit is too big to send a thousand times).
 */
export function hostileBody(valid: Record<string, unknown>, limitBytes: number | null): fc.Arbitrary<Buffer> {
  const kinds = [
    { arbitrary: mutated(valid).map((o) => Buffer.from(JSON.stringify(o))), weight: 5 },
    { arbitrary: hostileValue.map((v) => Buffer.from(JSON.stringify(v) ?? 'undefined')), weight: 3 },
    { arbitrary: rawBody, weight: 3 },
  ];
  if (limitBytes !== null) kinds.push({ arbitrary: fc.constant(oversized(limitBytes + 1)), weight: 1 });
  return fc.oneof(...kinds);
}

const headerChars = fc.string({
  unit: fc.constantFrom(...' !"#$%&\'()*+,-./0123456789:;<=>?@ABCXYZ[\\]^_`abcxyz{|}~é\u00ff\t'),
  maxLength: 40,
});

export const contentType: fc.Arbitrary<string | undefined> = fc.oneof(
  { arbitrary: fc.constant('application/json'), weight: 6 },
  fc.constantFrom(
    undefined,
    'application/json; charset=utf-8',
    'application/json; charset=utf-16',
    'application/json; charset=latin1',
    'application/json; charset=bogus',
    'text/plain',
    'text/html',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
    '',
    'application/json; charset=',
    ';;;',
    'application/*',
  ),
  headerChars,
);

export const contentEncoding: fc.Arbitrary<string | undefined> = fc.oneof(
  { arbitrary: fc.constant(undefined), weight: 8 },
  fc.constantFrom('gzip', 'deflate', 'br', 'identity', 'x-bogus', 'gzip, gzip', 'compress'),
);

/** Headers around the request: content type and encoding, and odd extras. */
export const oddHeaders: fc.Arbitrary<Record<string, string>> = fc
  .record(
    {
      'content-type': contentType,
      'content-encoding': contentEncoding,
      accept: fc.option(fc.constantFrom('text/html', '*/*', 'application/xml', 'text/html;q=1, application/json;q=0'), {
        nil: undefined,
      }),
      'accept-encoding': fc.option(
        fc.oneof(fc.constantFrom('gzip', 'br', 'br;q=0, gzip;q=0', '*;q=0', 'identity;q=0'), headerChars),
        { nil: undefined },
      ),
      'if-none-match': fc.option(fc.oneof(fc.constant('*'), headerChars), { nil: undefined }),
      'x-forwarded-for': fc.option(headerChars, { nil: undefined }),
    },
    { requiredKeys: [] },
  )
  .map((h) => Object.fromEntries(Object.entries(h).filter(([, v]) => v !== undefined)) as Record<string, string>);

/** A path segment as a client could put it on the wire: valid, unknown, encoded junk, or broken escapes. */
export function pathSegment(valid: readonly string[]): fc.Arbitrary<string> {
  return fc.oneof(
    { arbitrary: fc.constantFrom(...valid), weight: 3 },
    fc.string({ maxLength: 80 }).map(encodeURIComponent),
    fc.string({ unit: 'binary', maxLength: 20 }).map(encodeURIComponent),
    fc.constantFrom(
      '%',
      '%zz',
      '%ff',
      '%c0%80',
      '%ed%a0%80',
      '..%2f..%2fetc',
      '%2e%2e',
      '__proto__',
      'constructor',
      'x'.repeat(5000),
      '%00',
      'a;b',
      'a%20b',
    ),
  );
}

/** A query string: garbage values, repeats, brackets, prototype keys. */
export function query(names: readonly string[]): fc.Arbitrary<string> {
  const value = fc.oneof(
    fc.constantFrom(
      '',
      'NaN',
      '1e3',
      '-1',
      '0x10',
      '72.5',
      '99999999999999999999',
      '1',
      '6',
      '%ff',
      '%',
      'Infinity',
      '%206%20',
    ),
    fc.string({ maxLength: 20 }).map(encodeURIComponent),
  );
  const name = fc.oneof(
    fc.constantFrom(...names),
    fc.constantFrom('__proto__[x]', 'constructor[prototype][x]', `${names[0] ?? 'a'}[]`, `${names[0] ?? 'a'}[a]`),
    fc.string({ maxLength: 8 }).map(encodeURIComponent),
  );
  return fc
    .array(fc.tuple(name, value), { maxLength: 4 })
    .map((pairs) => (pairs.length ? `?${pairs.map(([k, v]) => `${k}=${v}`).join('&')}` : ''));
}

/** The contract for every answer under /api: never 5xx, and errors are `{ error, message }` JSON, never HTML. */
export function expectContractAnswer(res: RawResponse, method = 'GET'): void {
  expect(res.status, res.text.slice(0, 200)).toBeLessThan(500);
  if (res.status < 400 || method === 'HEAD') return;
  expect(String(res.headers['content-type']), res.text.slice(0, 200)).toMatch(/^application\/json/);
  const body = res.json as { error?: unknown; message?: unknown } | undefined;
  expect(typeof body?.error, res.text.slice(0, 200)).toBe('string');
  expect(typeof body?.message, res.text.slice(0, 200)).toBe('string');
  expect(res.text).not.toMatch(/<html|<!DOCTYPE|\n\s+at /i);
}
