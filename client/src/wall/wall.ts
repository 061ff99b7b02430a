// The wall: builds the screen once, then keeps it current from the live feed (sites), the trend
// endpoints (charts, 15-minute rises, last sightings, disagreement) and the notice push. Renders
// are coalesced, so a burst of deltas costs one pass over the 986 sites, not one per delta.
import {
  MetaSchema,
  ServiceRatesSchema,
  SiteSchema,
  type Notice,
  type ServiceRate,
  type Site,
  type Summary,
} from '../../../shared/schemas.js';
import { summarize } from '../../../shared/summary.js';
import type { SiteTrend } from '../../../shared/trends.js';
import { loadShift, mapDatum } from '../lib/datum.js';
import { h } from '../lib/dom.js';
import { LiveFeed } from '../lib/live.js';
import { rankActions } from '../../../shared/actions.js';
import { DailySchema } from '../../../shared/trends.js';
import { AdminApi, savedToken } from './admin/api.js';
import { actionsView, ACTION_ROWS, lanesText } from './actions.js';
import { alertsView } from './alerts.js';
import { wallCharts } from './charts.js';
import { headView } from './head.js';
import { pageLang, wallTranslator } from './i18n.js';
import { listsView } from './lists.js';
import { wallMap } from './map.js';
import { disagreements, LastSeen, longestWaits, risingFastest, ServerClock, staleSites } from './model.js';
import { noticesView, watchNotices } from './notices.js';
import { districtTable, kpiView } from './totals.js';
import { TrendsFeed } from './trends-feed.js';
import './wall.css';

const HOURS = 6;
/** Coalescing window of renders; the server itself sends at most one frame per FRAME_MS. */
const RENDER_MS = 250;
/** The newest chart minute follows the live totals at most this often. */
const CHART_LIVE_MS = 1_000;

/** Retries until the server answers: a wall is switched on before the server, or survives its restart. */
async function getJSON(url: string): Promise<unknown> {
  for (let wait = 1_000; ; wait = Math.min(wait * 2, 15_000)) {
    try {
      const res = await fetch(url);
      if (res.ok) return await res.json();
    } catch {
      /* retry */
    }
    await new Promise((r) => setTimeout(r, wait));
  }
}

export async function startWall(root: HTMLElement): Promise<void> {
  document.documentElement.classList.add('wall-page');
  const lang = pageLang();
  document.documentElement.lang = lang;
  const t = wallTranslator(lang);
  root.className = 'wall';
  root.replaceChildren(h('p', {}, t('conn.reconnecting')));

  const [metaRaw, sitesRaw] = await Promise.all([getJSON('/api/meta'), getJSON('/api/sites')]);
  const meta = MetaSchema.parse(metaRaw);
  // Sites on the map are moved into the tiles' datum (TILE_CRS) through this.
  const shift = await loadShift(mapDatum(meta));
  const sites: Site[] = SiteSchema.array().parse((sitesRaw as { sites: unknown }).sites);
  const byId = new Map(sites.map((s) => [s.id, s]));
  const title = t('title', { city: (lang === 'en' ? meta.cityNameEn : meta.cityName) ?? meta.cityName ?? '' });
  document.title = title;
  // Admin mode: this browser holds the admin token (signed in at /wall/admin).
  const adminToken = savedToken();
  const admin = adminToken ? new AdminApi(adminToken) : null;
  // The service rate per site: learned from the tablets' served counters once there is evidence
  // (GET /api/service-rates, read every few minutes), else its own, else SERVICE_RATE.
  const rates = new Map<string, ServiceRate>();
  const learnedRate = (id: string) => {
    const r = rates.get(id);
    return r?.learned ? r.perLane : null;
  };
  const ratePerLane = (s: Site) => learnedRate(s.id) ?? s.serviceRatePerLane ?? meta.serviceRate ?? 2;

  const clock = new ServerClock();
  const lastSeen = new LastSeen();
  let siteTrends = new Map<string, SiteTrend>();
  let notices: Notice[] = [];
  const feed = new LiveFeed();

  const head = headView(t, title, t('demo'), meta.timezone);
  head.setDemo(meta.demo);
  const kpis = kpiView(t);
  const table = districtTable(t);
  const lists = listsView(
    t,
    (l) => t(`level.${l}`),
    (r) => lanesText(t, r.live, r.site),
  );
  const noticePanel = noticesView(t, byId, meta.timezone, (id) => feed.sites.get(id)?.level ?? 'unknown');
  const actions = actionsView({
    t,
    byId,
    liveOf: (id) => feed.sites.get(id),
    learnedRate,
    postNotice: admin ? async (input) => void (await admin.call('POST', '/api/admin/notices', input)) : undefined,
  });
  const alerts = alertsView({
    t,
    byId,
    liveOf: (id) => feed.sites.get(id),
    serverNow: () => clock.now(),
    acknowledge: admin
      ? async (id, by) => void (await admin.call('POST', `/api/admin/alerts/${encodeURIComponent(id)}/ack`, { by }))
      : undefined,
  });
  const dailyLine = h('small', { 'data-daily': '' }, '');
  const mapEl = h('div', { class: 'map' });
  const legend = h(
    'div',
    { class: 'legend' },
    ...(['high', 'medium', 'low', 'unknown', 'closed'] as const).map((l) =>
      h('span', {}, h('i', { class: `chip chip-${l}` }), t(`level.${l}`)),
    ),
    h('span', {}, h('i', { class: 'action-key' }, '1'), t('map.actions')),
  );
  const cityCanvas = h('canvas', { 'data-chart': 'city' });
  const districtCanvas = h('canvas', { 'data-chart': 'districts' });
  const chartPanel = (title: string, canvas: HTMLCanvasElement, extra?: HTMLElement) =>
    h('section', { class: 'panel' }, h('h2', {}, title, extra ?? null), h('div', { class: 'chart-box' }, canvas));

  root.replaceChildren(
    head.root,
    kpis.root,
    h(
      'div',
      { class: 'w-left' },
      h('section', { class: 'panel map-panel' }, h('h2', {}, t('map.legend')), mapEl, legend),
      noticePanel.root,
    ),
    h(
      'div',
      { class: 'w-mid' },
      actions.root,
      h('section', { class: 'panel' }, h('h2', {}, t('district.title'), dailyLine), table.root),
      h(
        'div',
        { class: 'w-charts' },
        chartPanel(t('chart.city', { h: HOURS }), cityCanvas),
        chartPanel(t('chart.districts', { h: HOURS }), districtCanvas),
      ),
    ),
    h('div', { class: 'w-right' }, alerts.root, ...lists.panels),
  );

  const map = wallMap(mapEl, sites, meta, shift);
  const charts = wallCharts(t, cityCanvas, districtCanvas, meta.timezone);
  let summary: Summary | null = null;
  let chartLiveAt = 0;

  const render = () => {
    const now = clock.now();
    summary = summarize(sites, feed.sites, now);
    const stale = staleSites(byId, feed.sites.values(), (id) => lastSeen.get(id));
    kpis.render(summary.totals, stale.dark);
    table.render(summary);
    lists.longest(longestWaits(byId, feed.sites.values()));
    lists.rising(risingFastest(byId, feed.sites.values(), siteTrends));
    lists.stale(stale.rows, stale.dark, () => clock.now());
    const disagree = disagreements(byId, feed.sites, siteTrends, Infinity);
    lists.disagree(disagree);
    const ranked = rankActions({
      sites: byId,
      lives: feed.sites.values(),
      levelMinutes: meta.levelMinutes,
      ratePerLane,
      stale: stale.rows.map((r) => r.site.id),
      disagree: new Map(disagree.map((r) => [r.site.id, r.ratio])),
    });
    actions.render(ranked);
    map.markActions(ranked.slice(0, ACTION_ROWS).map((a) => a.siteId));
    alerts.render();
    noticePanel.render(notices, now);
    // Before the first snapshot the summary is all zeros; it must not be drawn as "now".
    if (feed.version >= 0) {
      if (Date.now() - chartLiveAt >= CHART_LIVE_MS) {
        chartLiveAt = Date.now();
        charts.setLive(summary);
      } else {
        setTimeout(schedule, CHART_LIVE_MS);
      }
      root.dataset.ready = 'true';
    }
  };
  let pending: ReturnType<typeof setTimeout> | null = null;
  const schedule = () => {
    pending ??= setTimeout(() => {
      pending = null;
      render();
    }, RENDER_MS);
  };

  const trends = new TrendsFeed(HOURS, clock, {
    onTrends: (tr) => {
      charts.setTrends(tr);
      if (summary && feed.version >= 0) charts.setLive(summary);
    },
    onSites: (s) => {
      clock.observe(s.at);
      siteTrends = new Map(s.sites.map((x) => [x.siteId, x]));
      lastSeen.setServer(s.sites);
      schedule();
    },
  });

  feed.socket.on('live:snapshot', (s) => clock.observe(s.at, true));
  feed.socket.on('live:delta', (d) => {
    clock.observe(d.at);
    trends.check();
  });
  feed.socket.on('summary:updated', (s) => clock.observe(s.at));

  let unseenDark = false;
  feed.onChange((changed) => {
    for (const l of changed) {
      lastSeen.observe(l);
      if (l.level === 'unknown' && lastSeen.get(l.siteId) === null) unseenDark = true;
    }
    map.update(changed);
    schedule();
  });
  // A site that went dark before this screen ever saw it: ask the server when it was last seen.
  setInterval(() => {
    if (!unseenDark) return;
    unseenDark = false;
    trends.refreshSites();
  }, 10_000);

  watchNotices(feed.socket, (list) => {
    notices = list;
    schedule();
  });

  // Today so far against the same weekday last week; "no data yet" until history reaches back a week.
  const people = (n: number | undefined) => (n === undefined ? t('daily.none') : t('daily.people', { n }));
  const daily = async () => {
    try {
      const res = await fetch('/api/trends/daily', { cache: 'no-store' });
      if (!res.ok) return;
      const d = DailySchema.parse(await res.json());
      dailyLine.textContent = t('daily.label', { a: people(d.today?.queueAvg), b: people(d.lastWeek?.queueAvg) });
      dailyLine.dataset.lastWeek = d.lastWeek ? 'true' : 'false';
    } catch {
      /* next round */
    }
  };
  void daily();
  setInterval(() => void daily(), 5 * 60_000);

  const loadRates = async () => {
    try {
      const res = await fetch('/api/service-rates', { cache: 'no-store' });
      if (!res.ok) return;
      for (const r of ServiceRatesSchema.parse(await res.json()).rates) rates.set(r.siteId, r);
      schedule();
    } catch {
      /* next round */
    }
  };
  void loadRates();
  setInterval(() => void loadRates(), 5 * 60_000);

  feed.onState((s) => head.render(s, clock.now()));
  setInterval(() => head.render(feed.state, clock.now()), 1_000);
  // Durations ("dark for 12 min") and notice expiry move with time even when no data arrives.
  setInterval(schedule, 15_000);
  schedule();
}
