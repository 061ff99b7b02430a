// The pieces of the OpenAPI document (openapi.ts) every path uses: the zod schemas it publishes,
// helpers for common answers, and `complete`, which adds what every operation shares.
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
import { TypicalWeekSchema } from '../shared/typical-schema.js';
import { enrolmentSchemas } from './openapi-enrolment.js';
import { WatchCreatedSchema, WatchInputSchema, WatchPushSchema } from '../shared/watch-schema.js';

export const schemas = {
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
  WatchInput: WatchInputSchema,
  WatchCreated: WatchCreatedSchema,
  WatchPush: WatchPushSchema,
  ServiceRate: ServiceRateSchema,
  ServiceRates: ServiceRatesSchema,
  Alert: AlertSchema,
  AlertList: AlertListSchema,
  AlertAck: AlertAckSchema,
  ExportRow: ExportRowSchema,
  Daily: DailySchema,
  ...enrolmentSchemas,
  TypicalWeek: TypicalWeekSchema,
} as const;

type Name = keyof typeof schemas;
export const ref = (n: Name) => ({ $ref: `#/components/schemas/${n}` });
export const json = (schema: object) => ({ content: { 'application/json': { schema } } });
export const err = (description: string) => ({ description, ...json(ref('Error')) });
export const ok = (description: string, schema: object) => ({ description, ...json(schema) });

export const siteId = {
  name: 'id',
  in: 'path',
  required: true,
  schema: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$' },
};
export const etagged = { 304: { description: 'Not modified (If-None-Match matched the ETag).' } };

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
export function complete(paths: Record<string, Record<string, Operation>>) {
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
