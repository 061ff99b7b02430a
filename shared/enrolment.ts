// Enrolment sheets: POST /api/admin/enrolment-links gives one tablet link per site, the site's
// existing one when it can be printed again, else a new one.
import { z } from 'zod';
import { SiteIdSchema } from './schemas.js';

/** Sites per request: the whole bundled city (986) with room to grow. */
export const ENROLMENT_MAX_SITES = 5000;

export const EnrolmentLinksRequestSchema = z.strictObject({
  siteIds: z
    .array(SiteIdSchema)
    .min(1)
    .max(ENROLMENT_MAX_SITES)
    .refine((ids) => new Set(ids).size === ids.length, 'each site once'),
  /** New links for every site, and the old ones revoked (their tablets are signed out). */
  rotate: z.boolean().optional(),
  /** Kept on the links made by this request; reused links keep their own. */
  label: z.string().trim().min(1).max(100).optional(),
});
export type EnrolmentLinksRequest = z.infer<typeof EnrolmentLinksRequestSchema>;

/**
 * What happened to a site's link:
 * - `reused`: its existing link, printed again;
 * - `new`: it had no link, one was made;
 * - `rotated`: rotation was asked; a new link, the old ones revoked;
 * - `replaced`: its links could not be printed again (issued before links were kept sealed, or
 *   sealed under another key), so they were revoked and a new one made.
 */
export const EnrolmentLinkStatusSchema = z.enum(['reused', 'new', 'rotated', 'replaced']);
export type EnrolmentLinkStatus = z.infer<typeof EnrolmentLinkStatusSchema>;

export const EnrolmentLinkSchema = z.object({
  siteId: SiteIdSchema,
  tokenId: z.string(),
  token: z.string(),
  enrollUrl: z.string(),
  status: EnrolmentLinkStatusSchema,
  /** Ids of the site's tokens revoked by this request (their tablets are signed out). */
  revoked: z.array(z.string()),
});
export type EnrolmentLink = z.infer<typeof EnrolmentLinkSchema>;

/** In the order of the request's siteIds. */
export const EnrolmentLinksSchema = z.object({ links: z.array(EnrolmentLinkSchema) });
export type EnrolmentLinks = z.infer<typeof EnrolmentLinksSchema>;
