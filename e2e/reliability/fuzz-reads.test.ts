// Row "property-based fuzzing", the read side: every public GET, the operator endpoints and
// routes that do not exist, with hostile ids, queries, methods and headers. Nothing may answer 5xx
// or HTML under /api, and no read may change the state (checked on the whole /api/live body).
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectContractAnswer, hostileBody, oddHeaders, pathSegment, query } from '../../testing/server/fuzz.js';
import { AUTH_KINDS, authHeader, startFuzzApp, type FuzzApp } from '../../testing/server/fuzz-app.js';

let f: FuzzApp;
let before: string;

beforeAll(async () => {
  f = await startFuzzApp();
  before = await f.liveBody();
});
afterAll(() => f.close());

const SITES = ['site-1', 'site-2', 'site-3', 'nope'];
const readMethod = fc.oneof(
  { arbitrary: fc.constant('GET'), weight: 4 },
  fc.constantFrom('HEAD', 'OPTIONS', 'PUT', 'PATCH', 'DELETE', 'POST'),
);

/** Each endpoint: how a hostile request to it is drawn, as [method, path]. */
const ENDPOINTS: Array<[string, fc.Arbitrary<[string, string]>]> = [
  [
    'GET /api/live',
    fc.tuple(
      readMethod,
      query(['v']).map((q) => `/api/live${q}`),
    ),
  ],
  [
    'GET /api/sites',
    fc.tuple(
      readMethod,
      query(['district']).map((q) => `/api/sites${q}`),
    ),
  ],
  [
    'GET /api/sites/:id',
    fc.tuple(
      readMethod,
      pathSegment(SITES).map((id) => `/api/sites/${id}`),
    ),
  ],
  [
    'GET /api/sites/:id/history',
    fc.tuple(
      readMethod,
      fc.tuple(pathSegment(SITES), query(['hours'])).map(([id, q]) => `/api/sites/${id}/history${q}`),
    ),
  ],
  [
    'GET /api/sites/:id/typical',
    fc.tuple(
      readMethod,
      fc.tuple(pathSegment(SITES), query(['x'])).map(([id, q]) => `/api/sites/${id}/typical${q}`),
    ),
  ],
  [
    'GET /api/summary',
    fc.tuple(
      readMethod,
      query(['district']).map((q) => `/api/summary${q}`),
    ),
  ],
  [
    'GET /api/meta',
    fc.tuple(
      readMethod,
      query(['x']).map((q) => `/api/meta${q}`),
    ),
  ],
  [
    'GET /api/notices',
    fc.tuple(
      readMethod,
      query(['siteId']).map((q) => `/api/notices${q}`),
    ),
  ],
  [
    'GET /api/trends',
    fc.tuple(
      readMethod,
      query(['hours']).map((q) => `/api/trends${q}`),
    ),
  ],
  [
    'GET /api/trends/sites',
    fc.tuple(
      readMethod,
      query(['hours']).map((q) => `/api/trends/sites${q}`),
    ),
  ],
  [
    'GET /api/openapi.json',
    fc.tuple(
      readMethod,
      query(['x']).map((q) => `/api/openapi.json${q}`),
    ),
  ],
  [
    'GET /healthz, /readyz',
    fc.tuple(
      readMethod,
      fc.tuple(fc.constantFrom('/healthz', '/readyz'), query(['x'])).map(([p, q]) => p + q),
    ),
  ],
  [
    'GET /metrics',
    fc.tuple(
      readMethod,
      query(['name[]']).map((q) => `/metrics${q}`),
    ),
  ],
  [
    'unknown /api routes',
    fc.tuple(
      fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD'),
      fc
        .array(pathSegment(['api', 'sites', 'admin', 'feeds', '..', '.', 'live', 'x']), { minLength: 1, maxLength: 4 })
        .map((segs) => `/api/${segs.join('/')}`),
    ),
  ],
];

describe('fuzzing the read endpoints', () => {
  it.each(ENDPOINTS)(
    'when %s gets hostile methods, paths, queries, headers and bodies, then never 5xx, errors are JSON, and nothing changes',
    async (name, request) => {
      const statuses = new Map<number, number>();
      const runs = await f.run(
        name,
        [
          request,
          oddHeaders,
          fc.constantFrom(...AUTH_KINDS),
          fc.option(hostileBody({ q: 1 }, 4096), { nil: undefined, freq: 3 }),
        ] as const,
        async ([method, path], headers, auth, body) => {
          // A body only where HTTP allows one without surprises.
          const res = await f.http.send({
            method,
            path,
            headers: { ...headers, ...authHeader(auth, f.tokens) },
            body: method === 'GET' || method === 'HEAD' ? undefined : body,
          });
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          if (path.startsWith('/api/')) expectContractAnswer(res, method);
          else expect(res.status).toBeLessThan(500);
        },
        { batch: 8 },
      );
      expect(await f.liveBody()).toBe(before);
      console.log(
        `[figure] fuzz ${name}: ${runs} runs, 5xx=0, statuses ${[...statuses]
          .sort(([a], [b]) => a - b)
          .map(([s, c]) => `${s}x${c}`)
          .join(' ')}`,
      );
    },
  );
});
