// Service worker of the staff page (scope /staff). It only makes the page open without a network:
// the page shell network-first, its hashed assets from cache. Reports never pass through here;
// the page's own outbox (IndexedDB) sends them, and /api/* and /socket.io/* are never touched.
/* eslint-env serviceworker */
'use strict';

const CACHE = 'shortline-staff-shell-v1';
const SHELL = '/staff';
const STATIC = ['/staff.webmanifest', '/icons/staff.svg', '/icons/staff-192.png', '/icons/staff-512.png'];
/** On a flaky link, a page that has not started answering by then comes from the cache. */
const NAV_TIMEOUT_MS = 4000;

/** The /assets/* files a built page references (script, modulepreload and stylesheet links). */
function assetsOf(html) {
  const urls = new Set();
  for (const m of html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)) urls.add(m[1]);
  return [...urls];
}

/**
 * Fetches the shell, caches it with every asset it names, and forgets assets of older builds:
 * hashed names change on each build, so the first visit after a deploy would otherwise leave the
 * new page unusable offline until each asset happened to be requested once more.
 */
async function refreshShell(response) {
  const cache = await caches.open(CACHE);
  const html = await response.clone().text();
  const assets = assetsOf(html);
  await Promise.all(assets.map(async (url) => {
    if (!(await cache.match(url))) await cache.add(url);
  }));
  await cache.put(SHELL, response.clone());
  const keep = new Set(assets.map((a) => new URL(a, self.location.origin).href));
  for (const req of await cache.keys()) {
    if (new URL(req.url).pathname.startsWith('/assets/') && !keep.has(req.url)) await cache.delete(req);
  }
}

self.addEventListener('install', (event) => {
  // Lenient on purpose: on a flaky link a strict install (all or nothing) may never succeed, and
  // a worker with part of the shell still fills the rest on the next online load.
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    await Promise.allSettled(STATIC.map((url) => cache.add(url)));
    try {
      const res = await fetch(SHELL, { cache: 'no-store' });
      if (res.ok) await refreshShell(res);
    } catch { /* the next navigation caches the shell */ }
    await self.skipWaiting();
  })());
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const key of await caches.keys()) if (key.startsWith('shortline-staff-') && key !== CACHE) await caches.delete(key);
    // Control the page that registered us, so its later asset requests are cached too.
    await self.clients.claim();
  })());
});

function withTimeout(promise, ms) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('timeout')), ms);
    promise.then((v) => { clearTimeout(timer); resolve(v); }, (e) => { clearTimeout(timer); reject(e); });
  });
}

async function navigate(event) {
  const network = fetch(event.request);
  try {
    const res = await withTimeout(network, NAV_TIMEOUT_MS);
    if (res.ok) event.waitUntil(refreshShell(res.clone()).catch(() => undefined));
    return res;
  } catch {
    const cached = await caches.match(SHELL);
    if (cached) {
      // A slow network may still answer: keep the shell fresh for next time.
      event.waitUntil(network.then((res) => (res.ok ? refreshShell(res) : undefined)).catch(() => undefined));
      return cached;
    }
    return network;
  }
}

/** Stale-while-revalidate; for hashed assets the cached copy is simply the right one. */
async function staleWhileRevalidate(event) {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(event.request);
  const network = fetch(event.request).then((res) => {
    if (res.ok) event.waitUntil(cache.put(event.request, res.clone()));
    return res;
  });
  if (cached) {
    event.waitUntil(network.catch(() => undefined));
    return cached;
  }
  return network;
}

self.addEventListener('fetch', (event) => {
  const req = event.request;
  if (req.method !== 'GET') return;
  const url = new URL(req.url);
  if (url.origin !== self.location.origin) return;
  // Live data and reports: straight to the network, never cached, never answered from here.
  if (url.pathname.startsWith('/api/') || url.pathname.startsWith('/socket.io/')) return;
  if (req.mode === 'navigate' && (url.pathname === SHELL || url.pathname === `${SHELL}/`)) {
    event.respondWith(navigate(event));
    return;
  }
  if (url.pathname.startsWith('/assets/') || STATIC.includes(url.pathname)) event.respondWith(staleWhileRevalidate(event));
});
