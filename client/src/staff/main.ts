// The staff tablet page: boot (enrolment), then the reporting screen wired to the outbox, the
// sender and the live feed. Logic lives in the modules it imports; this file only connects them.
import './staff.css';
import type { LiveState, Site } from '../../../shared/schemas.js';
import { $, h } from '../lib/dom.js';
import { currentLang, setLang, type Lang } from '../lib/i18n.js';
import { LiveFeed } from '../lib/live.js';
import { fetchMe, fetchSites, postReport } from './api.js';
import { enrolFromUrl, fromStorage, markRevoked, openOutbox, resolveEnrolment, type Boot } from './boot.js';
import { tokenFromHash } from './enrol.js';
import { nearestSites, type NearbySite } from './nearby.js';
import type { Outbox } from './outbox.js';
import { Reporter, savedDraft, type Draft } from './reporter.js';
import { registerServiceWorker } from './sw-register.js';
import { createBar } from './view/bar.js';
import { createContext } from './view/context.js';
import { createControls } from './view/controls.js';
import { createCounter } from './view/counter.js';
import type { Actions, ViewModel } from './view/model.js';
import { createNotices } from './view/notices.js';
import { createScreen, type Screen } from './view/screens.js';

const NEARBY_KEY = 'shortline.staff.nearby';
/** While enrolment waits for the network, try this often (and at once on the "online" event). */
const BOOT_RETRY_MS = 10_000;

let lang: Lang = currentLang();
document.documentElement.lang = lang;
registerServiceWorker();

const root = $('#app');
const screen = createScreen(() => toggleLang());
root.append(screen.el);
let redraw: () => void = () => undefined;
let screenState: { s: Screen; pending?: number; siteName?: string | null } = { s: 'loading' };

function showScreen(s: Screen, extra: { pending?: number; siteName?: string | null } = {}): void {
  screenState = { s, ...extra };
  document.body.dataset.screen = s;
  screen.render(s, lang, extra);
}

function toggleLang(): void {
  lang = lang === 'zh-CN' ? 'en' : 'zh-CN';
  setLang(lang);
  if (document.body.dataset.screen !== 'report') showScreen(screenState.s, screenState);
  redraw();
}

function draftFrom(live: LiveState | null | undefined, site: Site | null): Draft {
  const lanes = site?.lanes ?? 1;
  if (!live || live.source !== 'staff' || live.status === 'closed')
    return { queue: live?.queue ?? 0, lanesOpen: lanes, status: 'open', pauseReason: null };
  return {
    queue: live.queue ?? 0,
    lanesOpen: live.lanesOpen ?? lanes,
    status: live.status,
    pauseReason: live.pauseReason,
  };
}

/** Nearby sites as last fetched for this site, so they show after a reload while offline. */
function cachedNearby(siteId: string): NearbySite[] {
  try {
    const c = JSON.parse(localStorage.getItem(NEARBY_KEY) ?? 'null') as { siteId: string; nearby: NearbySite[] } | null;
    return c?.siteId === siteId ? c.nearby : [];
  } catch {
    return [];
  }
}

interface Running {
  revoke(): void;
  setSite(site: Site): void;
}

function start(boot: Extract<Boot, { kind: 'ready' }>, outbox: Outbox, storageOk: boolean): Running {
  const { enrolment } = boot;
  let site = boot.site;
  const siteId = enrolment.siteId;
  let nearby: NearbySite[] = cachedNearby(siteId);
  let feed: LiveFeed | null = null;

  const revoke = () => {
    if (reporter.state.revoked) return;
    markRevoked();
    reporter.revoke();
    feed?.close();
    showScreen('revoked', { pending: reporter.state.pending.length, siteName: site?.name ?? null });
  };
  const reporter = new Reporter({
    siteId,
    outbox,
    initial: savedDraft(siteId) ?? draftFrom(boot.live, site),
    post: (entry) => postReport(enrolment.token, entry.siteId, entry.report),
    onRevoked: revoke,
  });

  const actions: Actions = {
    change: (patch) => reporter.change(patch),
    reconfirm: () => reporter.reconfirm(),
    toggleLang,
    dismiss: (at) => reporter.dismiss(at),
  };
  const bar = createBar(actions);
  const notices = createNotices(actions);
  const counter = createCounter(actions);
  const controls = createControls(actions);
  const context = createContext();
  root.append(
    h(
      'div',
      { class: 'report', id: 'report', 'data-site-id': siteId },
      bar.el,
      notices.el,
      h('main', { class: 'grid' }, counter.el, controls.el, context.el),
    ),
  );

  let scheduled = false;
  redraw = () => {
    if (scheduled) return;
    scheduled = true;
    queueMicrotask(() => {
      scheduled = false;
      const m: ViewModel = {
        lang,
        now: Date.now(),
        online: navigator.onLine && (feed?.state.connected ?? false),
        site,
        tokenLabel: enrolment.label,
        reporter: reporter.state,
        live: feed?.sites ?? new Map(),
        liveAsOf: feed?.state.lastDataAt ?? null,
        nearby,
        storageOk,
      };
      for (const v of [bar, notices, counter, controls, context]) v.render(m);
    });
  };

  feed = new LiveFeed({
    token: enrolment.token,
    onRevoked: revoke,
    // A refused handshake may be a revoked token; the API says for sure.
    onAuthError: () => void fetchMe(enrolment.token).then((me) => !me.ok && me.status === 401 && revoke()),
  });
  let wasConnected = false;
  feed.onState((s) => {
    if (s.connected && !wasConnected) reporter.retryNow();
    wasConnected = s.connected;
    redraw();
  });
  feed.onChange((changed) => {
    const own = changed.find((l) => l.siteId === siteId);
    if (own?.source === 'staff' && own.status !== 'closed' && own.updatedAt)
      reporter.adopt(draftFrom(own, site), Date.parse(own.updatedAt));
    redraw();
  });

  const loadNearby = async () => {
    if (!site) return;
    const all = await fetchSites();
    if (!all.ok) return;
    nearby = nearestSites(site, all.data.sites);
    try {
      localStorage.setItem(NEARBY_KEY, JSON.stringify({ siteId, nearby }));
    } catch {
      /* shown from memory this time */
    }
    redraw();
  };
  void loadNearby();

  reporter.subscribe(redraw);
  window.addEventListener('online', () => {
    reporter.retryNow();
    if (nearby.length === 0) void loadNearby();
    redraw();
  });
  window.addEventListener('offline', redraw);
  // Taps still being collected go to the outbox before the page may be frozen or closed.
  document.addEventListener('visibilitychange', () => document.visibilityState === 'hidden' && reporter.flush());
  window.addEventListener('pagehide', () => reporter.flush());
  setInterval(redraw, 1000);

  document.body.dataset.screen = 'report';
  reporter.sender.kick();
  redraw();
  return {
    revoke,
    setSite: (fresh) => {
      const first = site === null;
      site = fresh;
      if (first || nearby.length === 0) void loadNearby();
      redraw();
    },
  };
}

async function main(): Promise<void> {
  // A new enrolment link opened in this tab while the page is open changes only the fragment,
  // which does not reload the page: start over so it is taken like any enrolment.
  window.addEventListener('hashchange', () => {
    if (tokenFromHash(location.hash).token) location.reload();
  });
  const enrolment = enrolFromUrl();
  const { outbox, storageOk } = await openOutbox();
  const known = fromStorage(enrolment);
  if (known) {
    // A tablet enrolled before starts at once from what it stored; the token and the site are
    // checked in the background, so a weak link never holds up the count.
    const running = start(known, outbox, storageOk);
    void resolveEnrolment(enrolment).then((b) => {
      if (b.kind === 'revoked') running.revoke();
      else if (b.kind === 'ready' && b.site) running.setSite(b.site);
    });
    return;
  }
  const boot = await resolveEnrolment(enrolment);
  switch (boot.kind) {
    case 'ready':
      start(boot, outbox, storageOk);
      return;
    case 'revoked':
      return showScreen('revoked', { pending: outbox.entries.length });
    case 'notEnrolled':
      return showScreen('notEnrolled');
    case 'needNetwork': {
      showScreen('needNetwork');
      // Starting over is simplest once the server can be asked: the token is already stored.
      const retry = () => location.reload();
      window.addEventListener('online', retry, { once: true });
      setInterval(
        () => void resolveEnrolment(boot.enrolment).then((b) => b.kind !== 'needNetwork' && retry()),
        BOOT_RETRY_MS,
      );
      return;
    }
  }
}

void main();
