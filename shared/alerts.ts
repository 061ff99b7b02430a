// Alerts of the command centre: what GET /api/alerts answers and the wall shows.
import { z } from 'zod';
import { SiteIdSchema } from './schemas.js';

export const AlertRuleSchema = z.enum(['wait', 'rise', 'stale', 'disagree']);
export type AlertRule = z.infer<typeof AlertRuleSchema>;

export const AlertSchema = z.object({
  /** Stable for the alert's life; webhook deliveries use `${id}:${state}` as their idempotency id. */
  id: z.string(),
  rule: AlertRuleSchema,
  siteId: SiteIdSchema,
  /** What crossed the threshold when it opened: wait minutes, people risen, minutes dark, or the factor. */
  value: z.number(),
  openedAt: z.iso.datetime(),
  acknowledgedAt: z.iso.datetime().nullable(),
  acknowledgedBy: z.string().nullable(),
  resolvedAt: z.iso.datetime().nullable(),
});
export type Alert = z.infer<typeof AlertSchema>;

export const AlertListSchema = z.object({ alerts: z.array(AlertSchema) });

export const AlertAckSchema = z.strictObject({
  /** Who acknowledges: the admin token is shared by a room, so the person names themself. */
  by: z.string().trim().min(1).max(60),
});
