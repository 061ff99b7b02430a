// The admin operations of the OpenAPI document (openapi.ts lists them in the document's order).
import { err, json, ok, ref } from './openapi-parts.js';

/** /api/admin/*: every operation takes the admin token (adminGuard in auth/failures.ts). */
export const adminPaths = {
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
      summary:
        'Daily report: per site and hour, mean and max wait and queue, served, lanes (registry and mean open), minutes by source',
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
};
