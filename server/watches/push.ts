// Sends one watch's push with web-push (RFC 8291 aes128gcm payload, RFC 8292 VAPID), and says
// what the push service answered in the three ways the checker acts on.
import type { Agent } from 'node:https';
import type { VapidConfig } from '../config.js';
import type { WatchPush } from '../../shared/watch-schema.js';
import type { WatchRecord } from './types.js';

/** A push nobody could deliver within this long is not worth showing: the moment has passed. */
export const PUSH_TTL_S = 15 * 60;
/** How long one push service request may take before it counts as failed. */
const PUSH_TIMEOUT_MS = 10_000;

/** sent: accepted by the push service; gone: the subscription no longer exists (404/410). */
export type PushOutcome = 'sent' | 'gone' | 'failed';
export type PushSender = (w: WatchRecord, payload: WatchPush) => Promise<PushOutcome>;

type WebPush = typeof import('web-push');

/** web-push is CommonJS: its exports arrive as the default export of the dynamic import. */
async function loadWebPush(): Promise<WebPush> {
  const m = (await import('web-push')) as WebPush & { default?: WebPush };
  return m.default ?? m;
}

/**
 * `agent`: how to reach push services; tests pass one trusting their local push service's
 * self-signed certificate. Production uses Node's default (the system's CAs).
 */
export function webPushSender(vapid: VapidConfig, agent?: Agent): PushSender {
  // Loaded with the first push, not at start: web-push and its crypto helpers cost every instance
  // ~4 MB of memory whether or not anyone ever watches a site.
  let lib: Promise<WebPush> | undefined;
  return async (w, payload) => {
    const webpush = await (lib ??= loadWebPush());
    const { WebPushError } = webpush;
    try {
      await webpush.sendNotification(w.subscription, JSON.stringify(payload), {
        vapidDetails: vapid,
        TTL: PUSH_TTL_S,
        // "high": the resident is waiting for exactly this; phones may otherwise batch it.
        urgency: 'high',
        timeout: PUSH_TIMEOUT_MS,
        ...(agent ? { agent } : {}),
      });
      return 'sent';
    } catch (err) {
      if (err instanceof WebPushError && (err.statusCode === 404 || err.statusCode === 410)) return 'gone';
      return 'failed';
    }
  };
}
