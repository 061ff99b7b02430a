// The resident page, loaded by main.ts while the feed worker fetches and connects: wires the model
// and the views, owns the address bar (`/?site=<id>`) and the render loop (one pass per frame).
import type { Meta } from '../../../shared/schemas.js';
import { walkMinutes } from '../../../shared/rank.js';
import type { DatumShift } from '../lib/datum.js';
import { currentLang, setLang } from '../lib/i18n.js';
import { Banners } from './banners.js';
import { EnRoute } from './advice.js';
import { BestChoice } from './best.js';
import { SiteDetails } from './details.js';
import type { FromWorker } from './feed-protocol.js';
import type { ResidentFeed } from './feed.js';
import { FilterBar } from './filters.js';
import { buildLayout } from './layout.js';
import { Liveness } from './liveness.js';
import { SiteList } from './list.js';
import type { MapView } from './map/view.js';
import { SiteModel } from './model.js';
import { elderlyMode, setElderlyMode } from './prefs.js';
import { Sheet } from './sheet.js';
import { registerServiceWorker } from './sw-register.js';
import { type Origin, ResidentState } from './state.js';
import { hasKeptWatches } from './watch-key.js';
import type { WatchKit } from './watch-view.js';

/** "2 min ago" texts and offline ageing move on without data frames. */
const AGE_TICK_MS = 30_000;
/** The map is built after the first list with live numbers, or this long after the registry. */
const MAP_AT_LATEST_MS = 3000;

export interface Boot {
  feed: ResidentFeed;
  meta: Meta;
  /** Between the registry's WGS-84 and the tiles' datum (lib/datum.ts). */
  shift: DatumShift;
  /** Messages the worker sent before the page was ready, in order. */
  early: FromWorker[];
  /** Settles once the registry's and the live states' bodies are in (or failed). */
  dataIn: Promise<unknown>;
  /** Where the worker's messages go from now on. */
  listen(handler: (m: FromWorker) => void): void;
}

export function start({ feed, meta, shift, early, dataIn, listen }: Boot): void {
  const model = new SiteModel(meta, shift);
  const state = new ResidentState(model);
  // Render-loop flags first: views may ask for a frame while they are being built.
  let frameRequested = false;
  let orderDirty = false;
  let mapDirty = false;
  let firstRendered = false;
  let sawSnapshot = false;
  /** Where focus returns when the details close. */
  let openedFrom: HTMLElement | null = null;
  const layout = buildLayout(meta.demo, {
    toggleLang: () => {
      setLang(currentLang() === 'zh-CN' ? 'en' : 'zh-CN');
      relabelAll();
    },
    toggleElderly: () => {
      setElderlyMode(!elderlyMode());
      layout.relabel();
      details.refresh(true);
      mapView?.resized();
    },
  });
  document.getElementById('app')!.replaceWith(layout.root);

  const liveness = new Liveness(
    () => {
      // Not live: the page ages the numbers itself, exactly as while disconnected.
      model.conn = { ...rawConn, connected: rawConn.connected && liveness.state === 'live' };
      model.touchAll();
      banners.renderConn();
      best.setDataAt(liveness.state === 'live' ? null : liveness.dataAt());
      schedule();
    },
    () => {
      banners.renderConn();
      best.setDataAt(liveness.state === 'live' ? null : liveness.dataAt());
    },
  );
  let rawConn = model.conn;
  const banners = new Banners(model, liveness);
  layout.bannerSlot.append(banners.el);
  const list = new SiteList(model, state, (i) => openSite(i));
  list.labelledBy('list-title');
  const filters = new FilterBar(state, () => schedule(true));
  // People on their way (advice.ts): the ranking adds them to a site's wait.
  const enRoute = new EnRoute(() => best.refresh(true));
  const best = new BestChoice(
    model,
    state,
    {
      onOrigin: (o) => setOrigin(o),
      onPick: () => {
        void whenMap.then((m) => m.setPickMode(true));
        best.setPicking(true);
        sheet.set('min');
      },
      onOpen: (i) => openSite(i),
      onRanked: (ranked) => {
        const sites = ranked.map((i) => model.sites[i]!);
        void whenMap.then((m) => m.markRanked(sites, state.origin));
      },
    },
    enRoute,
  );
  const details = new SiteDetails(model, () => closeSite(), elderlyMode);
  details.onNavigate = (siteId) => enRoute.going(siteId);
  details.walkTo = (i) => {
    const d = state.distanceTo(i);
    return d === null ? null : walkMinutes(d);
  };
  // "Notify me" (watch-view.ts) loads with the first details, or at once when watches are kept.
  let watch: WatchKit | null = null;
  let watchLoad: Promise<WatchKit | null> | null = null;
  // A chunk that cannot load (offline, a newer deployment) leaves the details without the block.
  const loadWatch = () =>
    (watchLoad ??= import('./watch-view.js').then(
      (m) => (watch = m.watchKit(model)),
      () => (watchLoad = null),
    ));
  details.onWatchSlot = (i, slot) => void loadWatch().then((w) => w?.mount(i, slot));
  if (hasKeptWatches()) void loadWatch();
  layout.listView.append(best.el, layout.listTitle, filters.el, list.el);
  layout.scroll.append(details.el);

  feed.send({
    type: 'meta',
    staffStaleMs: meta.staffStaleMinutes * 60_000,
    carrierStaleMs: meta.carrierStaleMinutes * 60_000,
  });
  // The map (Leaflet) is fetched once the data is in (no bandwidth taken from it on a slow link;
  // loaded while the worker parses) and built after the first list is on screen: on a slow phone
  // the list with live numbers comes first (issue 16). Until then it is null.
  let mapView: MapView | null = null;
  let resolveMap: (m: MapView) => void;
  const whenMap = new Promise<MapView>((r) => (resolveMap = r));
  let mapChunk: Promise<typeof import('./map/boot.js')> | null = null;
  const loadMap = () => (mapChunk ??= import('./map/boot.js'));
  void dataIn.then(() => setTimeout(() => void loadMap().catch(() => (mapChunk = null)), 0));
  let mapStarted = false;
  function startMap(): void {
    if (mapStarted) return;
    mapStarted = true;
    void loadMap().then(({ createMap }) => {
      performance.mark('resident:map-chunk');
      const m = createMap(model, state, {
        el: layout.mapEl,
        meta,
        paintLink: feed,
        panel: layout.panel,
        overlays: () => [layout.legend, banners.el],
        onSelect: (i) => openSite(i),
        onPickPoint: (p) => {
          best.setPicking(false);
          sheet.set('peek');
          setOrigin({ ...p, kind: 'pick' });
        },
        onMoveEnd: () => {
          state.mapCenter = m.center();
          // Without an origin "nearest" means nearest the map centre; re-sort unless the list is in use.
          if (!state.origin && state.sort === 'near' && !layout.listView.contains(document.activeElement))
            schedule(true);
        },
      });
      mapView = m;
      performance.mark('resident:map-built');
      // What happened before the map existed: the registry, a chosen origin, an open site.
      if (model.sitesDone) m.fitPoints(model.sites);
      if (state.origin) m.focus(state.origin, 14);
      const open = state.selected >= 0 ? model.sites[state.selected] : undefined;
      if (open) m.select(open, false);
      resolveMap(m);
      schedule(false, true);
    });
  }

  const sheet = new Sheet(layout.panel, () => mapView?.resized());
  layout.panel.prepend(sheet.handle);

  function setOrigin(o: Origin): void {
    state.origin = o;
    filters.relabel();
    // Rows show the walk and distance from here: fill them again even where no data changed.
    list.invalidate();
    mapView?.focus(o, 14);
    schedule(true);
  }

  // --- render loop -----------------------------------------------------------------------------

  /** `order`: filters, sort or origin changed; `map`: the map must place sites again (selection). */
  function schedule(order = false, map = false): void {
    orderDirty ||= order;
    mapDirty ||= map;
    if (frameRequested) return;
    frameRequested = true;
    requestAnimationFrame(render);
  }

  function render(): void {
    frameRequested = false;
    if (orderDirty) {
      orderDirty = false;
      mapDirty = true;
      state.recompute();
      list.render();
      best.refresh(true);
    } else {
      list.refresh();
      best.refresh();
    }
    if (mapView && mapDirty) mapView.redraw();
    else mapView?.dataChanged();
    if (mapView) mapDirty = false;
    details.refresh();
    banners.refreshLevels();
    document.body.dataset.liveVersion = String(model.version);
    if (!firstRendered && model.sitesDone && model.version >= 0) {
      firstRendered = true;
      performance.mark('resident:list');
      // The map's turn once the list is painted (a task of its own, after this frame).
      setTimeout(startMap, 0);
      // "Rendered" means the sites are on the map too, not only in the list.
      void whenMap
        .then((m) => m.layer.whenDrawn())
        .then(() => {
          performance.mark('resident:first-render');
          document.body.dataset.ready = '1';
          registerServiceWorker();
        });
    }
  }

  function relabelAll(): void {
    layout.relabel();
    filters.relabel();
    sheet.relabel();
    mapView?.relabel();
    banners.renderConn();
    banners.renderNotices();
    model.touchAll();
    best.refresh(true);
    if (details.current >= 0) details.open(details.current);
    schedule(true);
  }

  // --- feed ------------------------------------------------------------------------------------
  /** The worker paints sites where the page places them (copies: the model keeps its own). */
  function sendPositions(): void {
    const px = Float64Array.from(model.px);
    const py = Float64Array.from(model.py);
    feed.send({ type: 'positions', px, py }, [px.buffer, py.buffer]);
  }

  const handle = (m: FromWorker): void => {
    switch (m.type) {
      case 'sites':
        model.addSites(m.sites);
        if (!m.done) return;
        performance.mark('resident:sites');
        model.finishSites();
        model.sitesError = null;
        sendPositions();
        mapView?.fitPoints(model.sites);
        if (mapView) state.mapCenter = mapView.center();
        // Without live data for long (offline, no snapshot kept), the map still comes.
        setTimeout(startMap, MAP_AT_LATEST_MS);
        best.render();
        syncFromUrl();
        schedule(true);
        return;
      case 'sites-error':
        model.sitesError = m.message;
        schedule();
        return;
      case 'states': {
        model.applyColumns(m.cols);
        if (!m.last) return;
        if (model.version < 0) performance.mark('resident:live');
        model.version = m.version;
        // In a background tab too: no animation frame runs there, but these messages arrive.
        watch?.check();
        // A snapshot may open or close sites: the filtered order is worth redoing then.
        schedule(m.full && (!sawSnapshot || state.filters.openNow || state.sort === 'wait'));
        sawSnapshot ||= m.full;
        return;
      }
      case 'ping':
        liveness.ping(m.at);
        return;
      case 'cached':
        liveness.cached(m.at);
        return;
      case 'conn': {
        rawConn = m.state;
        liveness.setConn(m.state);
        const state = { ...m.state, connected: m.state.connected && liveness.state === 'live' };
        const changed = state.connected !== model.conn.connected;
        model.conn = state;
        banners.renderConn();
        if (changed) {
          model.touchAll();
          schedule();
        }
        return;
      }
      case 'clock':
        model.setSkew(m.skewMs);
        schedule();
        return;
      case 'painted':
        mapView?.layer.painted(m.seq);
        return;
      case 'en-route':
        enRoute.set(m.enRoute);
        return;
      case 'notices':
        model.notices = m.notices;
        model.noticesKnown = true;
        banners.renderNotices();
        details.refreshNotices();
        list.invalidate();
        // A "closed" or "go elsewhere" notice takes a site out of the recommendations at once.
        best.refresh(true);
        schedule();
        return;
    }
  };
  for (const m of early.splice(0)) handle(m);
  listen(handle);

  setInterval(() => {
    banners.renderConn();
    banners.renderNotices();
    model.touchAll();
    // Re-sorting by wait keeps the order honest, but never under a resident's keyboard focus.
    schedule((state.sort === 'wait' || state.filters.openNow) && !layout.listView.contains(document.activeElement));
  }, AGE_TICK_MS);

  // --- address bar and selection ---------------------------------------------------------------
  function openSite(i: number, push = true): void {
    if (i === details.current && !details.el.hidden) return;
    openedFrom = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    state.selected = i;
    details.open(i);
    layout.listView.hidden = true;
    layout.scroll.scrollTop = 0;
    // Half height, not full: the site stays in sight on the map above the details (issue 16).
    if (sheet.phone) sheet.set('peek');
    const site = i >= 0 ? model.sites[i] : undefined;
    mapView?.select(site ?? null);
    if (push && site) history.pushState({ site: site.id }, '', `?site=${encodeURIComponent(site.id)}`);
    details.focusTitle();
    list.invalidate();
    schedule(false, true);
  }

  function closeSite(push = true): void {
    if (details.current === -1 && details.el.hidden) return;
    details.close();
    state.selected = -1;
    mapView?.select(null);
    layout.listView.hidden = false;
    if (sheet.phone) sheet.set('peek');
    if (push) history.pushState(null, '', location.pathname);
    list.invalidate();
    schedule(false, true);
    const back = openedFrom && document.contains(openedFrom) ? openedFrom : layout.listTitle;
    if (back === layout.listTitle) back.tabIndex = -1;
    back.focus();
  }

  function syncFromUrl(): void {
    const id = new URLSearchParams(location.search).get('site');
    if (id === null) return closeSite(false);
    openSite(model.index.get(id) ?? -1, false);
  }

  window.addEventListener('popstate', () => syncFromUrl());
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && !details.el.hidden) closeSite();
  });
  // Phones freeze background pages; coming back, the numbers must be fresh before they are trusted.
  document.addEventListener('visibilitychange', () => {
    if (!document.hidden) feed.send({ type: 'resync' });
  });
  // Back on the network: the feed connects at once rather than at the end of its back-off.
  window.addEventListener('online', () => feed.send({ type: 'resync' }));
  // Links to sites inside notices open in place instead of reloading the page.
  document.addEventListener('click', (e) => {
    const a = (e.target as HTMLElement).closest<HTMLAnchorElement>('a[data-open-site]');
    const i = a ? model.index.get(a.dataset.openSite!) : undefined;
    if (!a || i === undefined || e.ctrlKey || e.metaKey) return;
    e.preventDefault();
    openSite(i);
  });
}
