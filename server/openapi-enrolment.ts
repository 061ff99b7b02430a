// POST /api/admin/enrolment-links in the OpenAPI document (openapi.ts merges these in; the admin
// and body errors common to every admin operation with a body are added there by `complete`).
import { EnrolmentLinksRequestSchema, EnrolmentLinksSchema } from '../shared/enrolment.js';

export const enrolmentSchemas = {
  EnrolmentLinksRequest: EnrolmentLinksRequestSchema,
  EnrolmentLinks: EnrolmentLinksSchema,
} as const;

const ref = (name: keyof typeof enrolmentSchemas | 'Error') => ({
  content: { 'application/json': { schema: { $ref: `#/components/schemas/${name}` } } },
});

export const enrolmentPaths = {
  '/api/admin/enrolment-links': {
    post: {
      summary:
        'Tablet links for an enrolment sheet: per site its existing link printed again, or a new one when it has none, when rotate is true or when its links cannot be printed again; replaced links are revoked at once (their tablets are signed out)',
      security: [{ adminToken: [] }],
      requestBody: { required: true, ...ref('EnrolmentLinksRequest') },
      responses: {
        200: {
          description: 'One link per site, in the order asked; each says reused, new, rotated or replaced',
          ...ref('EnrolmentLinks'),
        },
        400: {
          description: 'invalid body, or unknown_site (issues name each siteIds.<i>); nothing issued',
          ...ref('Error'),
        },
        503: {
          description:
            'store_unavailable: no link is shown; when the new links could not be stored nothing changed, when a revocation failed the request may be sent again to finish',
          ...ref('Error'),
        },
      },
    },
  },
};
