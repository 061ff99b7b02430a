// Shapes of the command-centre endpoints (/api/trends, /api/trends/sites). Series are columnar
// (one array per measure, index = minute) because a 6-hour city and district answer is thousands
// of numbers and the wall replaces its chart data in place from these arrays.
import { z } from 'zod';
import { SiteIdSchema } from './schemas.js';

/** Hours of trend a client may ask for; the wall shows 6. */
export const TREND_HOURS = { min: 1, max: 24, default: 6 } as const;
/** "Rising fastest" compares the live queue with the queue this many minutes ago. */
export const RISE_WINDOW_MINUTES = 15;

/**
 * Staff and carrier disagree when the calibrated carrier queue differs from the staff count by at
 * least `minPeople` and by at least `minRelative` of the larger of the two (small queues always
 * differ by a few people, and that is not worth a dispatcher's attention), and by more than `minSd`
 * standard deviations once the count's age and the carrier's own uncertainty are allowed for
 * (shared/domain.ts sourceGap): a busy site drains a ten-minute-old count long before the next.
 */
export const DISAGREEMENT = { minPeople: 10, minRelative: 0.5, minSd: 2 } as const;

const count = z.number().int().min(0);

export const TrendSeriesSchema = z.object({
  /** People queuing: sum of the queues with a fresh source at that minute; null when none had one. */
  queue: z.array(count.nullable()),
  /** Mean wait over the sites with a fresh wait at that minute, one decimal; null when none. */
  waitAvg: z.array(z.number().min(0).nullable()),
  low: z.array(count),
  medium: z.array(count),
  high: z.array(count),
  /** No fresh source, or closed: history does not tell those apart. */
  none: z.array(count),
});
export type TrendSeries = z.infer<typeof TrendSeriesSchema>;

export const TrendsSchema = z.object({
  /** Server time the series were computed at (the start of the current minute). */
  at: z.iso.datetime(),
  hours: z.number().int().min(TREND_HOURS.min).max(TREND_HOURS.max),
  /** The minutes of every series, oldest first, one a minute up to `at`. */
  times: z.array(z.iso.datetime()),
  city: TrendSeriesSchema,
  districts: z.array(TrendSeriesSchema.extend({ district: z.string() })),
});
export type Trends = z.infer<typeof TrendsSchema>;

export const SiteTrendSchema = z.object({
  siteId: SiteIdSchema,
  /** Queue RISE_WINDOW_MINUTES ago (history, same freshness rules as the live view); null: no data then. */
  queueBefore: z.number().int().min(0).nullable(),
  /** Newest staff or carrier observation ever stored; lets the wall say how long a site has been dark. */
  lastSeenAt: z.iso.datetime().nullable(),
  /**
   * Present only while both staff and carrier are fresh: calibrated carrier queue / staff queue,
   * one decimal (null when the staff queue is 0), and whether that is a disagreement worth showing.
   * Raw carrier counts are never exposed, only this ratio of calibrated estimates.
   */
  disagreement: z.object({ ratio: z.number().min(0).nullable(), flagged: z.boolean() }).nullable(),
});
export type SiteTrend = z.infer<typeof SiteTrendSchema>;

export const SiteTrendsSchema = z.object({
  at: z.iso.datetime(),
  windowMinutes: z.number().int(),
  sites: z.array(SiteTrendSchema),
});
export type SiteTrends = z.infer<typeof SiteTrendsSchema>;

/** One day so far (local midnight to now) in a few numbers; null when history has nothing for it. */
export const DayFactsSchema = z
  .object({
    queueAvg: z.number().min(0),
    queuePeak: z.number().int().min(0),
    waitAvg: z.number().min(0).nullable(),
    /** Minutes of the window with any fresh figure. */
    minutes: z.number().int().min(0),
  })
  .nullable();
export type DayFacts = z.infer<typeof DayFactsSchema>;

/** GET /api/trends/daily: today so far against the same hours of the same weekday a week before. */
export const DailySchema = z.object({
  at: z.iso.datetime(),
  since: z.iso.datetime(),
  today: DayFactsSchema,
  lastWeek: DayFactsSchema,
});
export type Daily = z.infer<typeof DailySchema>;
