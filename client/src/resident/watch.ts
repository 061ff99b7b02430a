// "Notify me" on the page: the watches this device keeps (localStorage, a few at most, surviving
// reloads), checked against every live update the page receives, foreground or background tab.
// When a watch's condition comes true (shared/watch.ts, the rule the server's pushes follow too)
// the page shows one notification and the watch ends.
import { avoidReason } from './advice.js';
import { MAX_WATCHES, WATCH_TTL_MS, watchMet, type WatchCondition, type WatchKind } from '../../../shared/watch.js';
import { pastHours } from '../../../shared/hours.js';
import { siteName } from './names.js';
import type { SiteModel } from './model.js';
import { WATCHES_KEY } from './watch-key.js';
import { wt } from './watch-text.js';

export interface KeptWatch {
  siteId: string;
  cond: WatchCondition;
  /** Epoch ms on the server's clock (model.now()). */
  expiresAt: number;
  /** The server's watch (POST /api/watches) when Web Push took it, so cancelling cancels both. */
  pushId?: string;
}

const isKept = (w: unknown): w is KeptWatch => {
  const k = w as KeptWatch | null;
  return typeof k?.siteId === 'string' && typeof k.expiresAt === 'number' && typeof k.cond === 'object' && !!k.cond;
};

function read(): KeptWatch[] {
  try {
    const v: unknown = JSON.parse(localStorage.getItem(WATCHES_KEY) ?? '[]');
    return Array.isArray(v) ? v.filter(isKept).slice(0, MAX_WATCHES) : [];
  } catch {
    return [];
  }
}

function write(list: KeptWatch[]): void {
  try {
    if (list.length) localStorage.setItem(WATCHES_KEY, JSON.stringify(list));
    else localStorage.removeItem(WATCHES_KEY);
  } catch {
    /* storage blocked: the watch still works for this page view */
  }
}

/** The notification's words; the service worker says the same for a push (resident-sw.js). */
export function notificationText(name: string, kind: WatchKind, wait: number | null, cond: WatchCondition) {
  const body =
    kind === 'below'
      ? wt('watch.nBelow', { wait: wait ?? '', n: cond.belowMinutes ?? '' })
      : wait === null
        ? wt('watch.nReopen')
        : wt('watch.nReopenWait', { wait });
  return { title: wt('watch.nTitle', { name }), body };
}

/**
 * Through the service worker when it runs (a tap then opens the site, see resident-sw.js), else a
 * page notification. The tag is per site, so a push for the same watch replaces it, not doubles it.
 */
async function show(siteId: string, text: { title: string; body: string }): Promise<void> {
  const options: NotificationOptions = { body: text.body, tag: `watch-${siteId}`, data: { siteId } };
  const reg = await navigator.serviceWorker?.getRegistration().catch(() => undefined);
  if (reg?.active) return reg.showNotification(text.title, options);
  const n = new Notification(text.title, options);
  n.onclick = () => {
    window.focus();
    location.assign(`/?site=${encodeURIComponent(siteId)}`);
  };
}

export class Watches {
  private list = read();
  /** Told after any change: a view shows the new state. `fired` names a site just notified. */
  readonly listeners = new Set<(fired?: string) => void>();

  constructor(private readonly model: SiteModel) {}

  of(siteId: string): KeptWatch | undefined {
    return this.list.find((w) => w.siteId === siteId);
  }

  get full(): boolean {
    return this.list.length >= MAX_WATCHES;
  }

  /** Keeps a watch (replacing the site's earlier one); false when the device already keeps the most. */
  add(siteId: string, cond: WatchCondition): boolean {
    const others = this.list.filter((w) => w.siteId !== siteId);
    if (others.length >= MAX_WATCHES) return false;
    this.list = [...others, { siteId, cond, expiresAt: this.model.now() + WATCH_TTL_MS }];
    this.changed();
    return true;
  }

  setPushId(siteId: string, pushId: string): void {
    const w = this.of(siteId);
    if (w) w.pushId = pushId;
    this.changed();
  }

  remove(siteId: string): KeptWatch | undefined {
    const w = this.of(siteId);
    this.list = this.list.filter((x) => x !== w);
    this.changed();
    return w;
  }

  /** Called on every live update: ends expired watches and notifies those whose condition came true. */
  check(): void {
    if (this.list.length === 0) return;
    const now = this.model.now();
    const local = this.model.local();
    const due: Array<[KeptWatch, WatchKind, number]> = [];
    const keep = this.list.filter((w) => {
      const i = this.model.index.get(w.siteId);
      if (w.expiresAt <= now) return false;
      if (i === undefined) return true;
      // Only what the page shows counts: data aged out while disconnected is no news. Nobody is
      // told "go now" where a notice or the site's hours say not to.
      const away = avoidReason(this.model, w.siteId) !== null || pastHours(this.model.sites[i]!.hours, local);
      const kind = watchMet(w.cond, this.model.shown(i), away);
      if (kind) due.push([w, kind, i]);
      return !kind;
    });
    if (keep.length === this.list.length) return;
    this.list = keep;
    this.changed();
    for (const [w, kind, i] of due) {
      const text = notificationText(
        siteName(this.model.sites[i]!),
        kind,
        this.model.shown(i)?.waitMinutes ?? null,
        w.cond,
      );
      show(w.siteId, text).catch((err: unknown) => console.warn('notification failed', err));
      for (const l of this.listeners) l(w.siteId);
    }
  }

  private changed(): void {
    write(this.list);
    for (const l of this.listeners) l();
  }
}
