// The resident page at `/`. This first, small module starts the feed worker and the data fetches
// at once, then loads the page itself (app.ts, with Leaflet) while the worker is already busy:
// the first render waits for whichever is slower, not for both in a row.
// Leaflet's stylesheet up front: 5.6 KB, and the map placeholder keeps its final layout (no shift).
import 'leaflet/dist/leaflet.css';
import './resident.css';
import { localTime } from '../../../shared/hours.js';
import { LIVE_EPOCH_HEADER } from '../../../shared/live-epoch.js';
import type { Meta } from '../../../shared/schemas.js';
import { type DatumShift, loadShift, mapDatum, NO_SHIFT } from '../lib/datum.js';
import { currentLang } from '../lib/i18n.js';
import type { FromWorker } from './feed-protocol.js';
import { ResidentFeed } from './feed.js';
import { elderlyMode } from './prefs.js';
import { FALLBACK_META } from './fallback-meta.js';

document.documentElement.lang = currentLang();
document.documentElement.classList.toggle('elderly', elderlyMode());

// The worker's first messages wait in this queue until the page is built.
const early: FromWorker[] = [];
let handle: (m: FromWorker) => void = (m) => early.push(m);
const feed = new ResidentFeed((m) => handle(m));
// Both were preloaded by index.html; the registry goes to the worker unparsed (it parses there).
const metaResponse = fetch('/api/meta').catch(() => null);
const sitesIn = fetch('/api/sites')
  .then(
    (res) => (res.ok ? res.arrayBuffer() : null),
    () => null,
  )
  .then((body) => feed.send({ type: 'sites-body', body }, body ? [body] : []));
// The live states as the server has them now, compressed over HTTP: the worker's live feed starts
// from them and asks the socket only for what changed since (resident/feed-live.ts).
async function liveBody(): Promise<{ body: ArrayBuffer; epoch: string | null } | null> {
  try {
    const res = await fetch('/api/live');
    return res.ok ? { body: await res.arrayBuffer(), epoch: res.headers.get(LIVE_EPOCH_HEADER) } : null;
  } catch {
    return null;
  }
}
const liveIn = liveBody().then((got) =>
  feed.send({ type: 'live-body', body: got?.body ?? null, epoch: got?.epoch ?? null }, got ? [got.body] : []),
);

async function loadMeta(): Promise<Meta> {
  try {
    const res = await metaResponse;
    if (res?.ok) return (await res.json()) as Meta;
  } catch {
    /* offline: fall through to defaults */
  }
  return FALLBACK_META;
}

const metaReady = loadMeta();
// The page's first local time (opening hours) builds an Intl.DateTimeFormat for the city's zone:
// ~60 ms on a cheap phone. Built in a task of its own while the registry is still on its way, not
// in the one that shows the list (shared/hours.ts keeps it per zone).
void metaReady.then((m) => setTimeout(() => localTime(Date.now(), m.timezone)));

/** The datum conversion, fetched (in parallel with app.js) only for tiles in an offset datum. */
async function loadMetaAndShift(): Promise<[Meta, DatumShift]> {
  const meta = await metaReady;
  try {
    return [meta, await loadShift(mapDatum(meta))];
  } catch {
    // Its chunk unreachable (offline, never cached): sites drawn unshifted beat no page at all.
    return [meta, NO_SHIFT];
  }
}

// No top-level await: the build targets browsers from 2020.
void Promise.all([import('./app.js'), loadMetaAndShift()]).then(([app, [meta, shift]]) => {
  // Marks along the way to the first render, for the budget test and for anyone profiling.
  performance.mark('resident:meta');
  app.start({
    feed,
    meta,
    shift,
    early,
    dataIn: Promise.all([sitesIn, liveIn]),
    listen: (h) => {
      handle = h;
    },
  });
});
