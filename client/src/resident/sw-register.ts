// The resident page's service worker (public/resident-sw.js): an offline shell for `/`.
// Registered after the first render, so that it never competes with the page's own loading.
export const SW_URL = '/resident-sw.js';

export function registerServiceWorker(): void {
  // Dev server pages change on every save; caching them would only confuse.
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return;
  navigator.serviceWorker
    .register(SW_URL, { scope: '/' })
    .then(async () => {
      const ready = await navigator.serviceWorker.ready;
      const urls = performance
        .getEntriesByType('resource')
        .map((e) => new URL(e.name).pathname)
        .filter((p) => p.startsWith('/assets/'));
      ready.active?.postMessage({ type: 'assets', urls });
    })
    .catch((err: unknown) => {
      console.warn('service worker registration failed; the page works, but not offline', err);
    });
}
