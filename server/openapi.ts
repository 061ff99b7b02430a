// GET /api/openapi.json: the HTTP API as OpenAPI 3.1, generated from the same zod schemas that
// validate requests, so the document cannot drift from the code.
import { z } from 'zod';
import { LIVE_EPOCH_HEADER } from '../shared/live-epoch.js';
import {
  CarrierAnswerSchema,
  CarrierBatchSchema,
  ErrorBodySchema,
  HistorySchema,
  LiveStateSchema,
  MetaSchema,
  SiteSchema,
  SnapshotSchema,
  StaffReportAnswerSchema,
  StaffReportSchema,
  StaffTokenCreatedSchema,
  StaffTokenInfoSchema,
  StaffTokenRequestSchema,
  SummarySchema,
} from '../shared/schemas.js';
import { ServiceRateSchema, ServiceRatesSchema } from '../shared/schemas.js';
import {
  IntentAcceptedSchema,
  IntentCountsSchema,
  IntentInputSchema,
  NoticeInputSchema,
  NoticeSchema,
} from '../shared/schemas.js';
import { DailySchema, SiteTrendsSchema, TrendsSchema } from '../shared/trends.js';
import { AlertAckSchema, AlertListSchema, AlertSchema } from '../shared/alerts.js';
import { ExportRowSchema } from '../shared/export.js';

const schemas = {
  Site: SiteSchema,
  LiveState: LiveStateSchema,
  Snapshot: SnapshotSchema,
  Summary: SummarySchema,
  History: HistorySchema,
  StaffReport: StaffReportSchema,
  StaffReportAnswer: StaffReportAnswerSchema,
  CarrierBatch: CarrierBatchSchema,
  CarrierAnswer: CarrierAnswerSchema,
  StaffTokenRequest: StaffTokenRequestSchema,
  StaffTokenCreated: StaffTokenCreatedSchema,
  StaffTokenInfo: StaffTokenInfoSchema,
  Error: ErrorBodySchema,
  Meta: MetaSchema,
  Notice: NoticeSchema,
  NoticeInput: NoticeInputSchema,
  Trends: TrendsSchema,
  SiteTrends: SiteTrendsSchema,
  IntentInput: IntentInputSchema,
  IntentAccepted: IntentAcceptedSchema,
  IntentCounts: IntentCountsSchema,
  ServiceRate: ServiceRateSchema,
  ServiceRates: ServiceRatesSchema,
  Alert: AlertSchema,
  AlertList: AlertListSchema,
  AlertAck: AlertAckSchema,
  ExportRow: ExportRowSchema,
  Daily: DailySchema,
} as const;

type Name = keyof typeof schemas;
const ref = (n: Name) => ({ $ref: `#/components/schemas/${n}` });
const json = (schema: object) => ({ content: { 'application/json': { schema } } });
const err = (description: string) => ({ description, ...json(ref('Error')) });
const ok = (description: string, schema: object) => ({ description, ...json(schema) });

const siteId = { name: 'id', in: 'path', required: true, schema: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$' } };
const etagged = { 304: { description: 'Not modified (If-None-Match matched the ETag).' } };

/** Errors every operation can get (server/errors.ts answerClientError, before any route runs). */
const everywhere = { 400: err('malformed HTTP request'), 431: err('headers_too_large') };
/** What body-parser and the report route answer about a body, on every operation that reads one. */
const bodyErrors = {
  400: err('invalid_json or invalid body'),
  413: err('payload_too_large'),
  415: err('unsupported_encoding'),
};
/** /api/admin/*: adminGuard (auth/failures.ts). */
const adminErrors = {
  401: err('unauthorized'),
  403: err('admin_disabled'),
  429: err('rate_limited: too many failed sign-ins'),
};

type Operation = {
  summary: string;
  responses: Record<string, unknown>;
  security?: unknown[];
  operationId?: string;
  requestBody?: unknown;
  [k: string]: unknown;
};

/**
 * Statuses the server returns on every operation (and on every one of a kind), an operationId,
 * and `security: []` on the public ones, added once here rather than on each path.
 */
function complete(paths: Record<string, Record<string, Operation>>) {
  for (const [path, ops] of Object.entries(paths)) {
    for (const [method, op] of Object.entries(ops)) {
      const extra = {
        ...everywhere,
        // Express's fresh check answers every GET's If-None-Match that matches its ETag (or *).
        ...(method === 'get' ? etagged : {}),
        ...(op.requestBody ? bodyErrors : {}),
        ...(path.startsWith('/api/admin/') ? adminErrors : {}),
      };
      op.responses = { ...extra, ...op.responses };
      op.security ??= [];
      op.operationId ??=
        method +
        path
          .split(/[/.{}-]+/)
          .filter(Boolean)
          .map((w) => w[0]!.toUpperCase() + w.slice(1))
          .join('');
    }
  }
  return paths;
}

export function buildOpenApi() {
  const components = Object.fromEntries(
    Object.entries(schemas).map(([name, s]) => [
      name,
      z.toJSONSchema(s as z.ZodType, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' }),
    ]),
  );
  for (const c of Object.values(components)) delete (c as Record<string, unknown>).$schema;
  return {
    openapi: '3.1.0',
    servers: [{ url: '/', description: 'The instance serving this document' }],
    info: {
      title: 'shortline API',
      version: '1',
      license: { name: 'Proprietary', identifier: 'LicenseRef-shortline' },
      description:
        'Live waits at walk-in sites. Every non-2xx answer is an Error body. Raw carrier counts are never served. The read-only public GETs (live, sites, sites.geojson, sites.csv, sites/{id}, history, summary, meta, notices, trends, codes) answer CORS for any origin without credentials (Access-Control-Allow-Origin: *; preflight answered); every other endpoint refuses other origins with 403 cross_origin_refused.',
    },
    components: {
      schemas: components,
      securitySchemes: {
        staffToken: { type: 'http', scheme: 'bearer', description: 'Staff token bound to one site.' },
        adminToken: { type: 'http', scheme: 'bearer', description: 'ADMIN_TOKEN.' },
        feedKey: {
          type: 'apiKey',
          in: 'header',
          name: 'X-Feed-Key',
          description:
            'With X-Feed-Timestamp (unix s) and X-Feed-Signature: sha256=HMAC-SHA256(secret, "<timestamp>.<raw body>"), hex; comma-separate several during rotation.',
        },
      },
    },
    paths: complete({
      '/api/sites': {
        get: {
          summary: 'The site registry',
          responses: {
            200: ok('Sites', {
              type: 'object',
              properties: { sites: { type: 'array', items: ref('Site') } },
              required: ['sites'],
            }),
            ...etagged,
          },
        },
      },
      '/api/live': {
        get: {
          summary: 'Live state of every site',
          responses: {
            200: {
              ...ok('Snapshot', ref('Snapshot')),
              headers: {
                [LIVE_EPOCH_HEADER]: {
                  description:
                    "The version sequence the body's `version` belongs to (it restarts with the server): a compact-feed socket resumes from that version with `auth: { feed: 'compact', since, epoch }`.",
                  schema: { type: 'string' },
                },
              },
            },
            ...etagged,
          },
        },
      },
      '/api/summary': {
        get: { summary: 'City and district totals', responses: { 200: ok('Summary', ref('Summary')) } },
      },
      '/api/sites.geojson': {
        get: {
          summary:
            'Open data: every site as a GeoJSON Point feature (WGS-84, [lng, lat]); properties are the Site fields, its short code and its live state',
          responses: {
            200: {
              description: 'FeatureCollection',
              content: {
                'application/geo+json': {
                  schema: {
                    type: 'object',
                    properties: { type: { const: 'FeatureCollection' }, features: { type: 'array' } },
                  },
                },
              },
            },
          },
        },
      },
      '/api/sites.csv': {
        get: {
          summary:
            'Open data: every site as CSV (UTF-8 with BOM, CRLF), columns id, code, name, district, street, community, address, lat, lng, lanes, tags, status, level, waitMinutes, queue, source, updatedAt',
          responses: {
            200: { description: 'CSV, one site a row', content: { 'text/csv': { schema: { type: 'string' } } } },
          },
        },
      },
      '/api/codes/{code}': {
        get: {
          summary: 'The site of a short code (4 characters of 34679ACDEFGHJKMNPRTWXY; case, spaces and dashes ignored)',
          parameters: [{ name: 'code', in: 'path', required: true, schema: { type: 'string' } }],
          responses: {
            200: ok('Code and site id', {
              type: 'object',
              properties: { code: { type: 'string' }, siteId: { type: 'string' } },
              required: ['code', 'siteId'],
            }),
            404: err('unknown_code'),
          },
        },
      },
      '/api/meta': { get: { summary: 'Deployment settings pages need', responses: { 200: ok('Meta', ref('Meta')) } } },
      '/api/sites/{id}': {
        get: {
          summary: 'One site, its live state and its service rate (learned or configured)',
          parameters: [siteId],
          responses: {
            200: ok('Site and live state', {
              type: 'object',
              properties: { site: ref('Site'), live: ref('LiveState'), rate: ref('ServiceRate') },
            }),
            404: err('unknown_site'),
          },
        },
      },
      '/api/service-rates': {
        get: {
          summary:
            "Every site's service rate per open lane: learned from staff reports' cumulative served counters, else configured",
          responses: { 200: ok('Rates', ref('ServiceRates')) },
        },
      },
      '/api/sites/{id}/history': {
        get: {
          summary: 'Per-minute history of the shown queue and wait',
          parameters: [
            siteId,
            { name: 'hours', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 72, default: 6 } },
          ],
          responses: { 200: ok('History', ref('History')), 400: err('invalid hours'), 404: err('unknown_site') },
        },
      },
      '/api/sites/{id}/reports': {
        post: {
          summary: "Staff report (absolute count) for the token's own site",
          security: [{ staffToken: [] }],
          parameters: [siteId],
          requestBody: { required: true, ...json(ref('StaffReport')) },
          responses: {
            200: ok('Applied, outdated, or the first answer to a replayed reportId', ref('StaffReportAnswer')),
            400: err('invalid body, observedAt too far ahead or too old'),
            401: err('no, unknown or revoked token'),
            403: err('token of another site'),
            404: err('unknown site'),
            413: err('body too large'),
            415: err('compressed or not utf-8'),
            422: err('idempotency_mismatch'),
            429: err('rate_limited'),
            503: err('store_unavailable (Retry-After)'),
          },
        },
      },
      '/api/feeds/carrier': {
        post: {
          summary: 'Signed carrier batch',
          security: [{ feedKey: [] }],
          requestBody: { required: true, ...json(ref('CarrierBatch')) },
          responses: {
            200: ok('Accepted or duplicate', ref('CarrierAnswer')),
            400: err('invalid body'),
            401: err('key, timestamp or signature'),
            413: err('too large'),
            415: err('unsupported_encoding'),
            429: err('rate_limited'),
            503: err('store_unavailable'),
          },
        },
      },
      '/api/admin/staff-tokens': {
        post: {
          summary: 'Issue a staff token',
          security: [{ adminToken: [] }],
          requestBody: { required: true, ...json(ref('StaffTokenRequest')) },
          responses: {
            201: ok('Created; the token is shown only now', ref('StaffTokenCreated')),
            401: err('unauthorized'),
            403: err('admin_disabled'),
            404: err('unknown_site'),
          },
        },
        get: {
          summary: 'List staff tokens (never the tokens themselves)',
          security: [{ adminToken: [] }],
          parameters: [{ name: 'siteId', in: 'query', schema: { type: 'string' } }],
          responses: {
            200: ok('Tokens', {
              type: 'object',
              properties: { tokens: { type: 'array', items: ref('StaffTokenInfo') } },
            }),
          },
        },
      },
      '/api/admin/staff-tokens/{tokenId}': {
        delete: {
          summary: 'Revoke a staff token, also on open sockets',
          security: [{ adminToken: [] }],
          parameters: [{ name: 'tokenId', in: 'path', required: true, schema: { type: 'string' } }],
          responses: { 204: { description: 'Revoked' }, 404: err('unknown_token') },
        },
      },
      '/api/notices': {
        get: {
          summary: 'Active notices to residents',
          responses: {
            200: ok('Notices', { type: 'object', properties: { notices: { type: 'array', items: ref('Notice') } } }),
          },
        },
      },
      '/api/intents': {
        post: {
          summary:
            'Anonymous "I\'m going": counts a person on their way to a site until the ETA plus a grace period; nothing identifying is kept',
          requestBody: { required: true, ...json(ref('IntentInput')) },
          responses: {
            202: ok('Counted', ref('IntentAccepted')),
            400: err('invalid body'),
            404: err('unknown_site'),
            429: err('rate_limited (Retry-After)'),
          },
        },
        get: {
          summary: 'People on their way per site (the ranking adds them to the wait)',
          responses: { 200: ok('Counts', ref('IntentCounts')) },
        },
      },
      '/api/admin/notices': {
        post: {
          summary: 'Post a notice (site closed, go elsewhere) with an expiry',
          security: [{ adminToken: [] }],
          requestBody: { required: true, ...json(ref('NoticeInput')) },
          responses: {
            201: ok('Created', ref('Notice')),
            400: err('invalid body'),
            401: err('unauthorized'),
            404: err('unknown_site'),
          },
        },
      },
      '/api/admin/notices/{id}': {
        delete: {
          summary: 'Remove a notice',
          security: [{ adminToken: [] }],
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
          responses: { 204: { description: 'Removed' }, 404: err('unknown_notice') },
        },
      },
      '/api/openapi.json': {
        get: {
          summary: 'This document',
          responses: { 200: { description: 'OpenAPI 3.1', content: { 'application/json': {} } } },
        },
      },
      '/api/staff/me': {
        get: {
          summary: 'Which site a staff token reports for',
          security: [{ staffToken: [] }],
          responses: {
            200: ok('Token info', {
              type: 'object',
              properties: {
                tokenId: { type: 'string' },
                siteId: { type: 'string' },
                label: { type: ['string', 'null'] },
              },
            }),
            401: err('unauthorized'),
            429: err('rate_limited: too many failed sign-ins'),
            503: err('store_unavailable'),
          },
        },
      },
      '/api/trends': {
        get: {
          summary: 'City and district series per minute (queue, average wait, sites by level)',
          parameters: [
            { name: 'hours', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 24, default: 6 } },
          ],
          responses: { 200: ok('Trends', ref('Trends')), 400: err('invalid hours') },
        },
      },
      '/api/trends/daily': {
        get: {
          summary: 'Today so far against the same hours of the same weekday last week (null: no data yet)',
          responses: { 200: ok('Daily', ref('Daily')) },
        },
      },
      '/api/alerts': {
        get: {
          summary: 'Open alerts and those resolved in the last 24 h',
          responses: { 200: ok('Alerts', ref('AlertList')) },
        },
      },
      '/api/admin/alerts/{id}/ack': {
        post: {
          summary: 'Acknowledge an alert (who and when are kept; a second acknowledgement keeps the first)',
          security: [{ adminToken: [] }],
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
          requestBody: { required: true, ...json(ref('AlertAck')) },
          responses: {
            200: ok('The alert', ref('Alert')),
            400: err('invalid body'),
            401: err('unauthorized'),
            404: err('unknown_alert'),
          },
        },
      },
      '/api/admin/export': {
        get: {
          summary: 'Daily report: per site and hour, mean and max wait and queue, served, lanes, minutes by source',
          security: [{ adminToken: [] }],
          parameters: [
            {
              name: 'from',
              in: 'query',
              required: true,
              schema: { type: 'string', description: 'ISO-8601 date-time or date' },
            },
            {
              name: 'to',
              in: 'query',
              required: true,
              schema: { type: 'string', description: 'ISO-8601; at most 168 h after from' },
            },
            { name: 'format', in: 'query', schema: { type: 'string', enum: ['csv', 'json'], default: 'json' } },
            { name: 'district', in: 'query', schema: { type: 'string' } },
          ],
          responses: {
            200: {
              description: 'Rows; CSV has a header row of the same field names',
              content: {
                'application/json': {
                  schema: {
                    type: 'object',
                    properties: {
                      from: { type: 'string' },
                      to: { type: 'string' },
                      rows: { type: 'array', items: ref('ExportRow') },
                    },
                  },
                },
                'text/csv': { schema: { type: 'string' } },
              },
            },
            400: err('invalid query'),
            401: err('unauthorized'),
            403: err('admin_disabled'),
          },
        },
      },
      '/api/trends/sites': {
        get: {
          summary: 'Per site: queue 15 minutes ago, last seen, staff/carrier disagreement',
          responses: { 200: ok('Site trends', ref('SiteTrends')) },
        },
      },
      '/healthz': { get: { summary: 'Liveness', responses: { 200: { description: 'Process runs' } } } },
      '/readyz': {
        get: {
          summary: 'Readiness',
          responses: { 200: { description: 'Store answers' }, 503: err('store_unavailable') },
        },
      },
      '/metrics': {
        get: {
          summary: 'Prometheus metrics',
          responses: { 200: { description: 'Prometheus text', content: { 'text/plain': {} } } },
        },
      },
    }),
  };
}
