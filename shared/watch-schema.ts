// The schemas of "notify me" over Web Push (POST /api/watches, the push message's payload), for
// the server and the OpenAPI document; apart from watch.ts so the resident page does not load zod.
import { z } from 'zod';
import { SiteIdSchema } from './schemas.js';

const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
/** Bytes a base64url text decodes to (shared code has neither Buffer nor atob's alphabet). */
const decodedLength = (s: string) => Math.floor((s.replace(/=+$/, '').length * 3) / 4);
/** Its first byte: six bits of the first character and two of the second. */
const firstByte = (s: string) => (B64URL.indexOf(s[0]!) << 2) | (B64URL.indexOf(s[1]!) >> 4);

/** Base64url (padding tolerated) that decodes to exactly `bytes` bytes. */
const base64url = (bytes: number, what: string) =>
  z
    .string()
    .regex(/^[A-Za-z0-9_-]+={0,2}$/, `${what}: base64url`)
    .refine((s) => decodedLength(s) === bytes, `${what}: ${bytes} bytes`);

/** What the browser's PushSubscription.toJSON() gives (RFC 8291 keys: P-256 point, auth secret). */
export const PushSubscriptionSchema = z.object({
  // Push services are always https; anything else is not a browser's subscription.
  endpoint: z.url({ protocol: /^https$/, error: 'endpoint: an https URL' }).max(2048),
  expirationTime: z.number().nullable().optional(),
  keys: z.object({
    p256dh: base64url(65, 'p256dh').refine((s) => firstByte(s) === 4, 'p256dh: an uncompressed P-256 point'),
    auth: base64url(16, 'auth'),
  }),
});
export type PushSubscriptionInput = z.infer<typeof PushSubscriptionSchema>;

export const WatchInputSchema = z
  .strictObject({
    subscription: PushSubscriptionSchema,
    siteId: SiteIdSchema,
    belowMinutes: z.number().int().min(1).max(180).optional().describe('Notify once the wait is at most this'),
    reopen: z.literal(true).optional().describe('Notify once the site is open again'),
    lang: z.enum(['zh-CN', 'en']).optional().describe("The notification's language; default zh-CN"),
  })
  .refine((w) => (w.belowMinutes === undefined) !== (w.reopen === undefined), {
    message: 'exactly one of belowMinutes and reopen',
  });
export type WatchInput = z.infer<typeof WatchInputSchema>;

export const WatchCreatedSchema = z.object({
  id: z.string().describe('Keep it to cancel the watch (DELETE /api/watches/{id}); it is the only key'),
  expiresAt: z.iso.datetime(),
});

/** The JSON body of the push message (decrypted by the browser, shown by the page's service worker). */
export const WatchPushSchema = z.object({
  siteId: SiteIdSchema,
  /** The site's name in the watch's language (pinyin in English where the registry has it). */
  name: z.string(),
  waitMinutes: z.number().int().nullable(),
  kind: z.enum(['below', 'reopen']),
  belowMinutes: z.number().int().optional(),
  lang: z.enum(['zh-CN', 'en']),
});
export type WatchPush = z.infer<typeof WatchPushSchema>;
