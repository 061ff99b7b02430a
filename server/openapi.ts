// GET /api/openapi.json: the HTTP API as OpenAPI 3.1, generated from the same zod schemas that
// validate requests, so the document cannot drift from the code. The schema table, the shared
// answers and `complete` are in openapi-parts.ts, the admin operations in openapi-admin.ts; the
// paths stay listed here in the document's order.
import { z } from 'zod';
import { LIVE_EPOCH_HEADER } from '../shared/live-epoch.js';
import { adminPaths } from './openapi-admin.js';
import { enrolmentPaths } from './openapi-enrolment.js';
import { complete, err, etagged, json, ok, ref, schemas, siteId } from './openapi-parts.js';

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
      '/api/sites/{id}/typical': {
        get: {
          summary: 'Typical wait by local hour, weekdays and weekends apart, from the hourly archive (enough: 7+ days)',
          parameters: [siteId],
          responses: { 200: ok('Typical week', ref('TypicalWeek')), 404: err('unknown_site') },
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
      '/api/admin/staff-tokens': adminPaths['/api/admin/staff-tokens'],
      '/api/admin/staff-tokens/{tokenId}': adminPaths['/api/admin/staff-tokens/{tokenId}'],
      ...enrolmentPaths,
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
          summary:
            "People on their way per site (the ranking adds them to the wait): intents until their ETA plus the grace period, but not those whose ETA is before the site's updatedAt (that count already has them)",
          responses: { 200: ok('Counts', ref('IntentCounts')) },
        },
      },
      '/api/watches': {
        post: {
          summary:
            "Notify me (Web Push, only with VAPID_*): one push when the site's wait is at most belowMinutes, or when it reopens; then the watch ends. Expires after 12 h; at most 5 per subscription. The push body is a WatchPush (JSON, aes128gcm).",
          requestBody: { required: true, ...json(ref('WatchInput')) },
          responses: {
            201: ok('Watching', ref('WatchCreated')),
            400: err('invalid body'),
            403: err('push_disabled: VAPID_* not configured'),
            404: err('unknown_site'),
            409: err('too_many_watches'),
            429: err('rate_limited (Retry-After)'),
            503: err('store_unavailable'),
          },
        },
      },
      '/api/watches/{id}': {
        delete: {
          summary: 'Cancel a watch (its id is the only key)',
          parameters: [
            { name: 'id', in: 'path', required: true, schema: { type: 'string', pattern: '^w_[A-Za-z0-9_-]{22}$' } },
          ],
          responses: {
            204: { description: 'Cancelled' },
            400: err('invalid watch id'),
            404: err('unknown_watch: fired, expired or never was'),
            429: err('rate_limited (Retry-After)'),
            503: err('store_unavailable'),
          },
        },
      },
      '/api/admin/notices': adminPaths['/api/admin/notices'],
      '/api/admin/notices/{id}': adminPaths['/api/admin/notices/{id}'],
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
      '/api/admin/alerts/{id}/ack': adminPaths['/api/admin/alerts/{id}/ack'],
      '/api/admin/export': adminPaths['/api/admin/export'],
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
