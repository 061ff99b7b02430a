// Web Push for "notify me", when the server has VAPID keys (GET /api/meta vapidPublicKey): the page
// subscribes with the browser's push service through its service worker and hands the
// subscription to the server (POST /api/watches), which pushes even when the page is closed.
// Anything failing here leaves the page's own notifications, which need the page open.
import type { WatchCondition } from '../../../shared/watch.js';
import { currentLang } from '../lib/i18n.js';

/** A push service that has not answered by then will not: the page-open watch stands alone. */
const SUBSCRIBE_TIMEOUT_MS = 10_000;

const keyBytes = (b64url: string): Uint8Array<ArrayBuffer> => {
  const b64 = b64url.replace(/-/g, '+').replace(/_/g, '/');
  return Uint8Array.from(atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4)), (c) => c.charCodeAt(0));
};

function timeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error('timeout')), ms))]);
}

/** The server's watch id, or null when push is unavailable here (no worker, refused, no answer). */
export async function pushWatch(vapidKey: string, siteId: string, cond: WatchCondition): Promise<string | null> {
  try {
    const reg = await navigator.serviceWorker?.getRegistration();
    if (!reg?.active || !('pushManager' in reg)) return null;
    const sub =
      (await reg.pushManager.getSubscription()) ??
      (await timeout(
        reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(vapidKey) }),
        SUBSCRIBE_TIMEOUT_MS,
      ));
    const res = await fetch('/api/watches', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ subscription: sub.toJSON(), siteId, ...cond, lang: currentLang() }),
    });
    return res.status === 201 ? ((await res.json()) as { id: string }).id : null;
  } catch {
    return null;
  }
}

/** Cancels the server's watch; a watch that already fired or expired answers 404, which is fine. */
export function cancelPushWatch(id: string): void {
  void fetch(`/api/watches/${encodeURIComponent(id)}`, { method: 'DELETE', keepalive: true }).catch(() => undefined);
}
