// The service worker keeps the page shell so the tablet opens the page with no network at all.
// Reports never depend on it: the outbox lives in IndexedDB and is sent by the page itself
// (no Background Sync, which iPads lack).
export const SW_URL = '/staff-sw.js';
export const SW_SCOPE = '/staff';

export function registerServiceWorker(): void {
  // Dev server pages change on every save; caching them would only confuse.
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return;
  navigator.serviceWorker.register(SW_URL, { scope: SW_SCOPE }).catch((err: unknown) => {
    console.warn('service worker registration failed; the page works, but not from a cold offline start', err);
  });
}
