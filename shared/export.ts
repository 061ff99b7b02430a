// The daily report's rows: GET /api/admin/export, per site and hour.
import { z } from 'zod';

/** At most this much per export: a week of 986 sites is ~166,000 rows. */
export const EXPORT_MAX_HOURS = 7 * 24;

export const ExportQuerySchema = z
  .object({
    /** ISO-8601 date-time (or a date, read as UTC midnight); the hour it falls in is the first row. */
    from: z.iso.datetime({ offset: true }).or(z.iso.date()),
    to: z.iso.datetime({ offset: true }).or(z.iso.date()),
    format: z.enum(['csv', 'json']).default('json'),
    /** Optional filter: one district. */
    district: z.string().max(100).optional(),
  })
  .refine((q) => Date.parse(q.to) > Date.parse(q.from), { path: ['to'], message: 'must be after from' })
  .refine((q) => Date.parse(q.to) - Date.parse(q.from) <= EXPORT_MAX_HOURS * 3600_000, {
    path: ['to'],
    message: `at most ${EXPORT_MAX_HOURS} hours after from`,
  });

export const ExportRowSchema = z.object({
  siteId: z.string(),
  name: z.string(),
  district: z.string(),
  /** Start of the hour, ISO-8601 UTC. */
  hour: z.iso.datetime(),
  /** Over the minutes with a fresh figure; null when the hour had none. */
  waitMean: z.number().nullable(),
  waitMax: z.number().int().nullable(),
  queueMean: z.number().nullable(),
  queueMax: z.number().int().nullable(),
  /**
   * People served in the hour: the increase of the staff reports' cumulative `served` counter (a
   * drop is a reset, counted on from the new value); null when no report with a counter was fresh
   * in the hour.
   */
  served: z.number().int().nullable(),
  /** Lanes the site has (registry). */
  lanes: z.number().int(),
  /** Mean lanes open over the minutes with a fresh figure, one decimal; null when none had lanes. */
  lanesOpenMean: z.number().nullable(),
  /** Minutes of the hour whose figure came from staff, from the carrier, or from nothing fresh. */
  staffMinutes: z.number().int(),
  carrierMinutes: z.number().int(),
  noneMinutes: z.number().int(),
});
export type ExportRow = z.infer<typeof ExportRowSchema>;
export const EXPORT_COLUMNS = Object.keys(ExportRowSchema.shape) as (keyof ExportRow)[];
