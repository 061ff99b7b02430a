// Service worker of the resident page (scope /). It gives `/` an offline shell: the page network-
// first (cached copy when the network is gone or too slow), its hashed assets from cache, and the
// registry and meta it needs to draw (/api/sites, /api/meta) network-first with the cached copy
// as fallback. The last live numbers are not fetched here: the page's feed worker keeps the last
// snapshot in the `shortline-resident-data` cache (snapshot-cache.ts) and shows it, with its age.
// Other pages (/staff has its own worker; /wall) and the socket are never answered from here.
/* eslint-env serviceworker */
'use strict';

const CACHE = 'shortline-resident-shell-v1';
const SHELL = '/';
const STATIC = ['/resident.webmanifest', '/icons/resident.svg', '/icons/resident-192.png', '/icons/resident-512.png'];
const DATA = ['/api/sites', '/api/meta'];
/** On a flaky link, a page or data that has not started answering by then comes from the cache. */
const NET_TIMEOUT_MS = 4000;

function assetsOf(html) {
  const urls = new Set();
  for (const m of html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)) urls.add(m[1]);
  return [...urls];
}

/** Caches the shell with every asset it names (and the lazily loaded ones as they come). */
async function refreshShell(response) {
  const cache = await caches.open(CACHE);
  const html = await response.clone().text();
  await Promise.allSettled(assetsOf(html).map(async (url) => {
    if (!(await cache.match(url))) await cache.add(url);
  }));
  await cache.put(SHELL, response.clone());
}

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    await Promise.allSettled([...STATIC, ...DATA].map((url) => cache.add(url)));
    try {
      const res = await fetch(SHELL, { cache: 'no-store' });
      if (res.ok) await refreshShell(res);
    } catch { /* the next navigation caches the shell */ }
    await self.skipWaiting();
  })());
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const key of await caches.keys()) if (key.startsWith('shortline-resident-shell-') && key !== CACHE) await caches.delete(key);
    await self.clients.claim();
  })());
});

// The page names the assets it loaded before this worker controlled it (lazily loaded chunks
// and the feed worker's script are not in the HTML), so that the next offline start has them.
self.addEventListener('message', (event) => {
  const urls = event.data && event.data.type === 'assets' && Array.isArray(event.data.urls) ? event.data.urls : [];
  const own = urls.filter((u) => typeof u === 'string' && u.startsWith('/assets/'));
  event.waitUntil(caches.open(CACHE).then((cache) => Promise.allSettled(own.map(async (url) => {
    if (!(await cache.match(url))) await cache.add(url);
  }))));
});

function withTimeout(promise, ms) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('timeout')), ms);
    promise.then((v) => { clearTimeout(timer); resolve(v); }, (e) => { clearTimeout(timer); reject(e); });
  });
}

/** Network first; the cached copy (under `key`) when the network fails or is too slow. */
async function networkFirst(event, key, onFresh) {
  const network = fetch(event.request);
  try {
    const res = await withTimeout(network, NET_TIMEOUT_MS);
    if (res.ok) event.waitUntil(onFresh(res.clone()).catch(() => undefined));
    return res;
  } catch {
    const cached = await caches.match(key, { ignoreSearch: true });
    if (cached) {
      event.waitUntil(network.then((res) => (res.ok ? onFresh(res) : undefined)).catch(() => undefined));
      return cached;
    }
    return network;
  }
}

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
  if (req.mode === 'navigate') {
    if (url.pathname === SHELL) event.respondWith(networkFirst(event, SHELL, refreshShell));
    return;
  }
  if (DATA.includes(url.pathname)) {
    event.respondWith(networkFirst(event, url.pathname, async (res) => (await caches.open(CACHE)).put(url.pathname, res)));
    return;
  }
  if (url.pathname.startsWith('/api/') || url.pathname.startsWith('/socket.io/')) return;
  if (url.pathname.startsWith('/assets/') || STATIC.includes(url.pathname)) event.respondWith(staleWhileRevalidate(event));
});

// "Notify me" (resident/watch.ts): a Web Push from the server when a watched site's wait came down
// or it reopened. The payload is a WatchPush (shared/watch-schema.ts); the words are kept here too
// (the page's own are in watch-text.ts), as this worker is plain script and loads nothing.
const WATCH_WORDS = {
  'zh-CN': {
    title: '排队提醒：{name}',
    below: '现在约 {wait} 分钟，已降到 {n} 分钟以内',
    reopen: '已恢复开放',
    reopenWait: '已恢复开放，现在约 {wait} 分钟',
  },
  en: {
    title: 'Queue alert: {name}',
    below: 'About {wait} min now: down to {n} min or less',
    reopen: 'Open again',
    reopenWait: 'Open again, about {wait} min now',
  },
};

function watchNotification(p) {
  const w = WATCH_WORDS[p.lang] || WATCH_WORDS['zh-CN'];
  const fill = (s) => s.replace('{name}', p.name).replace('{wait}', String(p.waitMinutes)).replace('{n}', String(p.belowMinutes));
  const body = p.kind === 'below' ? w.below : p.waitMinutes === null ? w.reopen : w.reopenWait;
  // The same tag as the page's own notification for this site: shown once even if both fire.
  return [fill(w.title), { body: fill(body), tag: `watch-${p.siteId}`, data: { siteId: p.siteId }, icon: '/icons/resident-192.png' }];
}

self.addEventListener('push', (event) => {
  let p = null;
  try {
    p = event.data ? event.data.json() : null;
  } catch { /* not ours */ }
  if (!p || typeof p.siteId !== 'string' || typeof p.name !== 'string') return;
  const [title, options] = watchNotification(p);
  event.waitUntil(self.registration.showNotification(title, options));
});

// A tap opens the site: in the resident page already open (focused, navigated there), else a new one.
self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const siteId = event.notification.data && event.notification.data.siteId;
  const url = new URL(siteId ? `/?site=${encodeURIComponent(siteId)}` : '/', self.location.origin).href;
  event.waitUntil((async () => {
    const pages = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
    const page = pages.find((c) => new URL(c.url).pathname === '/');
    if (page) {
      const focused = await page.focus();
      if (new URL(focused.url).search !== new URL(url).search) await focused.navigate(url).catch(() => undefined);
      return;
    }
    await self.clients.openWindow(url);
  })());
});
