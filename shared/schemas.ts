// The contract's data shapes, declared once. Server and client both import these schemas and the
// types inferred from them; no shape is written twice.
import { z } from 'zod';
import { NOTICE_KINDS } from './notice-kinds.js';

export const SITE_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
export const SiteIdSchema = z.string().regex(SITE_ID_PATTERN, 'site id: 1-64 of A-Za-z0-9_-');

// "24:00" is accepted as a closing time so a site open until midnight can say so.
const HHMM = z.string().regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, 'time as HH:MM');

export const OpeningHoursSchema = z.object({
  days: z.array(z.number().int().min(1).max(7)).min(1).max(7).optional(),
  open: HHMM,
  close: HHMM,
});
export type OpeningHours = z.infer<typeof OpeningHoursSchema>;

const text = (max: number) => z.string().trim().min(1).max(max);

/**
 * Extension: the words the resident page shows (name, district, street, address) in toneless pinyin
 * as an English reader says them ("Baisha Jiedao"), and the initials of their syllables for search
 * ("yq" finds 羊桥). The server makes them from the registry (server/registry/pinyin.ts), so phones
 * carry no pinyin dictionary. Bounds: up to 6 letters and a space per character of the Chinese.
 */
export const SitePinyinSchema = z.object({
  name: text(1600),
  district: text(800),
  street: text(800).optional(),
  address: text(2400).optional(),
  /** Syllable initials of name, district and street (those present), space-separated: "yqsqhscyd pjq bsjd". */
  initials: z.string().max(1600),
});
export type SitePinyin = z.infer<typeof SitePinyinSchema>;

export const SiteSchema = z.object({
  id: SiteIdSchema,
  name: text(200),
  district: text(100),
  street: text(100).optional(),
  /** Residents' committee or village the site serves (extension of the contract). */
  community: text(100).optional(),
  address: text(300).optional(),
  lat: z.number().min(-90).max(90),
  lng: z.number().min(-180).max(180),
  lanes: z.number().int().min(1).max(50),
  hours: z.array(OpeningHoursSchema).max(14).optional(),
  serviceRatePerLane: z.number().positive().max(100).optional(),
  tags: z.array(text(32)).max(20).optional(),
  /** Extension: added when the registry is loaded, unless the registry gives it (to fix a reading). */
  pinyin: SitePinyinSchema.optional(),
});
export type Site = z.infer<typeof SiteSchema>;

export const SiteStatusSchema = z.enum(['open', 'paused', 'closed']);
export type SiteStatus = z.infer<typeof SiteStatusSchema>;
export const LevelSchema = z.enum(['low', 'medium', 'high', 'closed', 'unknown']);
export type Level = z.infer<typeof LevelSchema>;
export const SourceSchema = z.enum(['staff', 'carrier', 'none']);
export type Source = z.infer<typeof SourceSchema>;
export const PauseReasonSchema = z.enum(['break', 'supplies', 'staffing', 'weather', 'other']);
export type PauseReason = z.infer<typeof PauseReasonSchema>;

export const LiveStateSchema = z.object({
  siteId: SiteIdSchema,
  status: SiteStatusSchema,
  lanesOpen: z.number().int().min(0).nullable(),
  queue: z.number().int().min(0).nullable(),
  waitMinutes: z.number().int().min(0).nullable(),
  level: LevelSchema,
  source: SourceSchema,
  updatedAt: z.iso.datetime().nullable(),
  /** Extension: 0-1, how sure the estimate is (staff count high, uncalibrated carrier low). */
  confidence: z.number().min(0).max(1).nullable(),
  /** Extension: why staff paused the site, while it is paused. */
  pauseReason: PauseReasonSchema.nullable(),
  /** Extension: the estimate's likely wait range [lo, hi] in minutes (from its variance). */
  waitRange: z
    .tuple([z.number().int().min(0), z.number().int().min(0)])
    .nullable()
    .optional(),
  /** Extension: the estimated queue change per minute (people), for predictions on arrival. */
  trendPerMin: z.number().nullable().optional(),
});
export type LiveState = z.infer<typeof LiveStateSchema>;

/** A site with no current data: what fusion shows when nothing fresh supports a number. */
export const noDataState = (siteId: string): LiveState => ({
  siteId,
  status: 'open',
  lanesOpen: null,
  queue: null,
  waitMinutes: null,
  level: 'unknown',
  source: 'none',
  updatedAt: null,
  confidence: null,
  pauseReason: null,
  waitRange: null,
  trendPerMin: null,
});

export const SnapshotSchema = z.object({
  version: z.number().int().min(0),
  at: z.iso.datetime(),
  sites: z.array(LiveStateSchema),
});
export type Snapshot = z.infer<typeof SnapshotSchema>;

export const DeltaSchema = z.object({
  version: z.number().int().min(0),
  since: z.number().int().min(0),
  at: z.iso.datetime(),
  sites: z.array(LiveStateSchema),
});
export type Delta = z.infer<typeof DeltaSchema>;

export const CountsSchema = z.object({
  sites: z.number().int(),
  open: z.number().int(),
  /** Extension: sites paused by staff. */
  paused: z.number().int(),
  queue: z.number().int(),
  waitMinutesAvg: z.number().nullable(),
  low: z.number().int(),
  medium: z.number().int(),
  high: z.number().int(),
  closed: z.number().int(),
  unknown: z.number().int(),
});
export type Counts = z.infer<typeof CountsSchema>;

export const SummarySchema = z.object({
  at: z.iso.datetime(),
  totals: CountsSchema,
  districts: z.array(CountsSchema.extend({ district: z.string() })),
});
export type Summary = z.infer<typeof SummarySchema>;

export const StaffReportSchema = z.strictObject({
  reportId: z.string().min(8).max(64),
  queue: z.number().int().min(0).max(10_000),
  lanesOpen: z.number().int().min(0).max(50).optional(),
  status: SiteStatusSchema.optional(),
  observedAt: z.iso.datetime({ offset: true }).optional(),
  note: z.string().max(200).optional(),
  /** Extension: why the site is paused; only meaningful with status "paused". */
  pauseReason: PauseReasonSchema.optional(),
  /** Extension: cumulative people served at the site today (the contract's `served`). */
  served: z.number().int().min(0).max(1_000_000).optional(),
});
export type StaffReport = z.infer<typeof StaffReportSchema>;

export const StaffReportAnswerSchema = z.object({
  applied: z.boolean(),
  reason: z.literal('outdated').optional(),
  live: LiveStateSchema,
});
export type StaffReportAnswer = z.infer<typeof StaffReportAnswerSchema>;

export const CarrierReadingSchema = z.strictObject({
  siteId: z.string().min(1).max(64),
  people: z.number().int().min(0).max(100_000),
  confidence: z.number().min(0).max(1).optional(),
});
export type CarrierReading = z.infer<typeof CarrierReadingSchema>;

export const MAX_CARRIER_READINGS = 50_000;
export const CarrierBatchSchema = z.strictObject({
  batchId: z.string().min(8).max(128),
  observedAt: z.iso.datetime({ offset: true }),
  readings: z.array(CarrierReadingSchema).min(1).max(MAX_CARRIER_READINGS),
});
export type CarrierBatch = z.infer<typeof CarrierBatchSchema>;

export const CarrierAnswerSchema = z.object({
  accepted: z.number().int(),
  unknownSites: z.array(z.string()),
  duplicate: z.boolean(),
});
export type CarrierAnswer = z.infer<typeof CarrierAnswerSchema>;

export const HistoryPointSchema = z.object({
  at: z.iso.datetime(),
  queue: z.number().int().nullable(),
  waitMinutes: z.number().int().nullable(),
});
export const HistorySchema = z.object({ siteId: SiteIdSchema, points: z.array(HistoryPointSchema) });
export type History = z.infer<typeof HistorySchema>;

export const StaffTokenRequestSchema = z.strictObject({
  siteId: SiteIdSchema,
  label: z.string().trim().min(1).max(100).optional(),
});
export const StaffTokenCreatedSchema = z.object({
  tokenId: z.string(),
  token: z.string(),
  siteId: SiteIdSchema,
  enrollUrl: z.string(),
});
export type StaffTokenCreated = z.infer<typeof StaffTokenCreatedSchema>;

export const StaffTokenInfoSchema = z.object({
  tokenId: z.string(),
  siteId: SiteIdSchema,
  label: z.string().nullable(),
  createdAt: z.iso.datetime(),
});
export type StaffTokenInfo = z.infer<typeof StaffTokenInfoSchema>;

/** GET /api/staff/me: which site a staff token reports for. */
export const StaffMeSchema = z.object({ tokenId: z.string(), siteId: SiteIdSchema, label: z.string().nullable() });
export type StaffMe = z.infer<typeof StaffMeSchema>;

export const ErrorBodySchema = z.object({
  error: z.string(),
  message: z.string(),
  issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});
export type ErrorBody = z.infer<typeof ErrorBodySchema>;

/**
 * The datum the map tiles are drawn in (TILE_CRS). Sites are WGS-84; AutoNavi/Gaode and Tencent
 * tiles are GCJ-02, so pages move sites into it before drawing. Baidu's BD-09 is not offered: its
 * tiles also use their own projection and grid, which Leaflet's Web Mercator does not match.
 */
export const TileCrsSchema = z.enum(['wgs84', 'gcj02']);
export type TileCrs = z.infer<typeof TileCrsSchema>;

/** What a page needs to know about this deployment before it draws anything. */
export const MetaSchema = z.object({
  demo: z.boolean(),
  timezone: z.string(),
  levelMinutes: z.tuple([z.number(), z.number()]),
  staffStaleMinutes: z.number(),
  carrierStaleMinutes: z.number(),
  frameMs: z.number(),
  tileUrl: z.string().nullable(),
  tileAttribution: z.string(),
  /** Extension: TILE_CRS, the tiles' datum; absent means WGS-84. */
  tileCrs: TileCrsSchema.optional(),
  /** PUBLIC_URL when configured: printed posters and enrolment links use it. */
  publicUrl: z.string().nullable().optional(),
  /** Extension: CITY_NAME / CITY_NAME_EN, the wall's title. */
  cityName: z.string().optional(),
  cityNameEn: z.string().optional(),
  /** Extension: SERVICE_RATE, people per minute per lane where a site sets none. */
  serviceRate: z.number().optional(),
  /** Extension: VAPID_PUBLIC_KEY when Web Push is configured, for PushManager.subscribe (base64url). */
  vapidPublicKey: z.string().optional(),
});
export type Meta = z.infer<typeof MetaSchema>;

/** A command-centre notice to residents (site closed, go elsewhere), shown until it expires. */
export const NoticeKindSchema = z.enum(NOTICE_KINDS);
export { keepsPeopleAway } from './notice-kinds.js';
export const NoticeInputSchema = z.strictObject({
  /** Null or absent: city-wide. */
  siteId: SiteIdSchema.nullable().optional(),
  kind: NoticeKindSchema,
  message: z.string().trim().min(1).max(500),
  /** For kind "redirect": where to go instead. */
  redirectSiteId: SiteIdSchema.optional(),
  /** 5 minutes to 7 days. */
  ttlMinutes: z
    .number()
    .int()
    .min(5)
    .max(7 * 24 * 60),
});
export type NoticeInput = z.infer<typeof NoticeInputSchema>;
export const NoticeSchema = z.object({
  id: z.string(),
  siteId: SiteIdSchema.nullable(),
  kind: NoticeKindSchema,
  message: z.string(),
  redirectSiteId: SiteIdSchema.nullable(),
  createdAt: z.iso.datetime(),
  expiresAt: z.iso.datetime(),
});
export type Notice = z.infer<typeof NoticeSchema>;

// Intents: an anonymous "I'm going" (POST /api/intents), counted per site until the ETA plus a
// grace period; GET /api/intents gives the counts, which the ranking adds to a site's wait.
export const IntentInputSchema = z.strictObject({
  siteId: SiteIdSchema,
  etaMinutes: z.number().int().min(1).max(180),
});
export type IntentInput = z.infer<typeof IntentInputSchema>;
export const IntentAcceptedSchema = z.object({ expiresAt: z.iso.datetime() });
export const IntentCountsSchema = z.object({
  at: z.iso.datetime(),
  /** People on their way per site id; sites with none are absent. */
  enRoute: z.record(z.string(), z.number().int().min(0)),
});
export type IntentCounts = z.infer<typeof IntentCountsSchema>;

/** Extension (issue 14): a site's service rate per open lane, learned from `served` counters. */
export const ServiceRateSchema = z.object({
  siteId: SiteIdSchema,
  /** People served per minute per open lane that the wait is computed with. */
  perLane: z.number().min(0),
  /** true: learned from this site's reports; false: the site's configured rate or SERVICE_RATE. */
  learned: z.boolean(),
  /** Pairs of consecutive `served` counters the learned rate rests on. */
  samples: z.number().int().min(0),
  /** The configured rate (the site's own, else SERVICE_RATE), for comparison. */
  configured: z.number().min(0),
});
export type ServiceRate = z.infer<typeof ServiceRateSchema>;
export const ServiceRatesSchema = z.object({ rates: z.array(ServiceRateSchema) });
