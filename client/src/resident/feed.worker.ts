// The page's data pipe, off the main thread: fetches the registry, runs the live feed on the
// compact encoding (feed-live.ts: the page's /api/live body, then deltas, version chain, resync),
// forwards everything in chunks (states as columns),
// and paints the map canvas when the page hands it over (map/worker-paint.ts).
import type { LiveState, Site, Snapshot } from '../../../shared/schemas.js';
import { fetchEnRoute, fetchNotices } from './advice-fetch.js';
import { encodeStates, transferables } from './columns.js';
import { asSnapshot, CompactLiveFeed } from './feed-live.js';
import { SITE_CHUNK, STATE_CHUNK, type FromWorker, type ToWorker } from './feed-protocol.js';
import { WorkerPaint } from './map/worker-paint.js';
import { SnapshotCache } from './snapshot-cache.js';

const scope = self as unknown as {
  postMessage(m: FromWorker, transfer?: Transferable[]): void;
  onmessage: ((e: MessageEvent<ToWorker>) => void) | null;
};
const post = (m: FromWorker, transfer: Transferable[] = []) => scope.postMessage(m, transfer);

const RETRY_MS = [1000, 2000, 5000, 10_000];
/** People on their way are re-read this often while the page is open. */
const INTENTS_EVERY_MS = 30_000;
/** Re-age while disconnected even without new data. */
const AGE_TICK_MS = 30_000;
/** Site id to its position in the registry, which is how the page indexes sites. */
const index = new Map<string, number>();
let skew = 0;
/** The socket has delivered the notices: the HTTP answer, older, is then dropped. */
let noticesFromFeed = false;
let stale = { staffStaleMs: 15 * 60_000, carrierStaleMs: 5 * 60_000 };

// Settled once the registry is in `index` (the compact feed names sites by registry position).
let registry: (ids: readonly string[]) => void;
const feed = new CompactLiveFeed(
  new Promise<readonly string[]>((resolve) => {
    registry = resolve;
  }),
  {
    // Server heartbeats show the link is alive between frames (liveness.ts judges silence by them).
    heartbeat: () => post({ type: 'ping', at: Date.now() }),
    notices: (notices) => {
      noticesFromFeed = true;
      void sitesReady.then(() => post({ type: 'notices', notices }));
    },
    connectError: () => fromCache(),
  },
);
const paint = new WorkerPaint(
  () => ({ connected: feed.state.connected, nowMs: Date.now() + skew, ...stale }),
  (seq) => post({ type: 'painted', seq }),
);

/** The page sends the registry it fetched along with the HTML; until then, and if that failed, we fetch. */
let fromPage: (body: ArrayBuffer | null) => void;
const pageBody = new Promise<ArrayBuffer | null>((resolve) => {
  fromPage = resolve;
});

async function loadSites(): Promise<void> {
  let body = await pageBody;
  for (let attempt = 0; ; attempt++) {
    try {
      if (!body) {
        const res = await fetch('/api/sites', { headers: { accept: 'application/json' } });
        if (!res.ok) throw new Error(`HTTP ${res.status}`);
        body = await res.arrayBuffer();
      }
      const { sites } = JSON.parse(new TextDecoder().decode(body)) as { sites: Site[] };
      body = null;
      sites.forEach((s, i) => index.set(s.id, i));
      registry(sites.map((s) => s.id));
      paint.setSites(sites.length);
      for (let i = 0; i < sites.length || i === 0; i += SITE_CHUNK) {
        post({ type: 'sites', sites: sites.slice(i, i + SITE_CHUNK), done: i + SITE_CHUNK >= sites.length });
      }
      return;
    } catch (err) {
      body = null;
      post({ type: 'sites-error', message: String(err) });
      await new Promise((r) => setTimeout(r, RETRY_MS[Math.min(attempt, RETRY_MS.length - 1)]));
    }
  }
}

// States may arrive before the registry; they wait for it so that every state has its position.
const sitesReady = loadSites();

// The notices over HTTP, for the moment before the socket delivers them: the page shows the
// preloaded live states at once and must not recommend from them a site the command centre already
// sent people away from. Whichever comes first; the socket's are newer and always win.
void Promise.all([fetchNotices(), sitesReady]).then(([notices]) => {
  if (notices && !noticesFromFeed) post({ type: 'notices', notices });
});
async function readEnRoute(): Promise<void> {
  const enRoute = await fetchEnRoute();
  if (enRoute) post({ type: 'en-route', enRoute });
}
void readEnRoute();
setInterval(() => void readEnRoute(), INTENTS_EVERY_MS);

function forward(states: LiveState[], full: boolean, version: number): void {
  if (states.length === 0) return;
  for (let i = 0; i < states.length; i += STATE_CHUNK) {
    const cols = encodeStates(states.slice(i, i + STATE_CHUNK), index);
    paint.table.apply(cols);
    post({ type: 'states', cols, full, last: i + STATE_CHUNK >= states.length, version }, transferables(cols));
  }
  paint.changed();
}

const lastSnapshot = new SnapshotCache();
feed.onChange((changed, _all, full) => {
  const version = feed.version;
  if (feed.atMs !== null) noteClock(feed.atMs);
  void sitesReady.then(() => forward(changed, full, version));
  lastSnapshot.changed(() => ({
    version: feed.version,
    at: new Date(Date.now() + skew).toISOString(),
    sites: [...feed.sites.values()],
  }));
});
// Offline before any live data: the last snapshot this device kept, shown with its time until
// the feed has data.
let triedCache = false;
function fromCache(): void {
  if (triedCache || feed.version >= 0) return;
  triedCache = true;
  void Promise.all([lastSnapshot.load(), sitesReady]).then(([snap]) => {
    if (!snap || feed.version >= 0) return;
    forward(snap.sites, true, snap.version);
    post({ type: 'cached', at: Date.parse(snap.at) - skew });
  });
}
/** The page's /api/live body is where the feed starts; without one it asks for a snapshot. */
function livePage(body: ArrayBuffer | null, epoch: string | null): void {
  let snap: Snapshot | null = null;
  try {
    if (body) snap = asSnapshot(JSON.parse(new TextDecoder().decode(body)));
  } catch {
    /* no usable body: the socket's snapshot it is */
  }
  feed.start(snap, epoch);
}
if (!navigator.onLine) fromCache();
let connected = false;
feed.onState((state) => {
  post({ type: 'conn', state });
  if (state.connected !== connected) paint.changed();
  connected = state.connected;
});

function noteClock(atMs: number): void {
  const s = atMs - Date.now();
  if (Number.isFinite(s) && Math.abs(s - skew) > 2000) post({ type: 'clock', skewMs: (skew = s) });
}
setInterval(() => {
  if (!feed.state.connected) paint.changed();
}, AGE_TICK_MS);

scope.onmessage = (e) => {
  const m = e.data;
  if (m.type === 'resync') feed.resync();
  else if (m.type === 'sites-body') fromPage(m.body);
  else if (m.type === 'live-body') livePage(m.body, m.epoch);
  else if (m.type === 'meta') stale = { staffStaleMs: m.staffStaleMs, carrierStaleMs: m.carrierStaleMs };
  else if (m.type === 'positions') paint.setPositions(m.px, m.py);
  else if (m.type === 'canvas') paint.attach(m.canvas);
  else if (m.type === 'view') void sitesReady.then(() => paint.setView(m.view, m.mask));
};
