// What the wall's lists show, as pure functions of the live states, the registry and the
// per-site trends; no DOM, so they are tested without a browser.
import type { LiveState, Site } from '../../../shared/schemas.js';
import type { SiteTrend } from '../../../shared/trends.js';

/**
 * The server's clock as seen from this screen. Ages ("dark for 20 min") are measured against the
 * server's time, not the wall PC's, whose clock may be off, and which tests replace with a manual one.
 */
export class ServerClock {
  private offset = 0;
  private latest = -Infinity;
  /**
   * `iso` is a server timestamp that was current when it arrived. Server time only moves forward
   * here: an HTTP answer computed before the latest live frame can land after it, and taking its
   * older time would turn the clock back (a site dark for 22 minutes shown "dark for 0 min").
   * `fresh` (a new connection's snapshot) is always taken, so a server whose clock was stepped
   * back is followed from its next connection on.
   */
  observe(iso: string | null | undefined, fresh = false): void {
    const t = iso ? Date.parse(iso) : NaN;
    if (!Number.isFinite(t) || (!fresh && t < this.latest)) return;
    this.latest = t;
    this.offset = t - Date.now();
  }
  now(): number {
    return Date.now() + this.offset;
  }
}

export interface Row {
  site: Site;
  live: LiveState;
}
export interface RisingRow extends Row {
  before: number;
  rise: number;
}
export interface StaleRow extends Row {
  lastSeenMs: number;
}
export interface DisagreeRow extends Row {
  ratio: number | null;
}

/** A site counts for "active" lists while staff have not closed it and it is inside its hours. */
const active = (l: LiveState) => l.status !== 'closed';

function rows(sites: ReadonlyMap<string, Site>, lives: Iterable<LiveState>): Row[] {
  const out: Row[] = [];
  for (const live of lives) {
    const site = sites.get(live.siteId);
    if (site) out.push({ site, live });
  }
  return out;
}

export function longestWaits(sites: ReadonlyMap<string, Site>, lives: Iterable<LiveState>, n = 10): Row[] {
  return rows(sites, lives)
    .filter((r) => active(r.live) && r.live.waitMinutes !== null)
    .sort(
      (a, b) =>
        b.live.waitMinutes! - a.live.waitMinutes! ||
        (b.live.queue ?? 0) - (a.live.queue ?? 0) ||
        a.site.id.localeCompare(b.site.id),
    )
    .slice(0, n);
}

export function risingFastest(
  sites: ReadonlyMap<string, Site>,
  lives: Iterable<LiveState>,
  trends: ReadonlyMap<string, SiteTrend>,
  n = 5,
): RisingRow[] {
  const out: RisingRow[] = [];
  for (const r of rows(sites, lives)) {
    const before = trends.get(r.site.id)?.queueBefore ?? null;
    if (!active(r.live) || r.live.queue === null || before === null || r.live.queue <= before) continue;
    out.push({ ...r, before, rise: r.live.queue - before });
  }
  return out.sort((a, b) => b.rise - a.rise || a.site.id.localeCompare(b.site.id)).slice(0, n);
}

/**
 * Open sites with no fresh source that did have data once, most recently gone dark first: a site
 * that just went dark is the one a dispatcher can still do something about. `lastSeen` merges what
 * the server remembers with what this screen saw before the source aged out.
 */
export function staleSites(
  sites: ReadonlyMap<string, Site>,
  lives: Iterable<LiveState>,
  lastSeen: (siteId: string) => number | null,
): { rows: StaleRow[]; total: number; dark: number } {
  let total = 0;
  const dark: StaleRow[] = [];
  for (const r of rows(sites, lives)) {
    if (r.live.level !== 'unknown') continue;
    total += 1;
    const seen = lastSeen(r.site.id);
    if (seen !== null) dark.push({ ...r, lastSeenMs: seen });
  }
  dark.sort((a, b) => b.lastSeenMs - a.lastSeenMs || a.site.id.localeCompare(b.site.id));
  return { rows: dark, total, dark: dark.length };
}

/** Flagged by the server, still counted by staff now; biggest disagreement (either way) first. */
export function disagreements(
  sites: ReadonlyMap<string, Site>,
  lives: ReadonlyMap<string, LiveState>,
  trends: ReadonlyMap<string, SiteTrend>,
  n = 4,
): DisagreeRow[] {
  const out: DisagreeRow[] = [];
  for (const t of trends.values()) {
    const site = sites.get(t.siteId);
    const live = lives.get(t.siteId);
    if (!site || !live || !t.disagreement?.flagged || live.source !== 'staff') continue;
    out.push({ site, live, ratio: t.disagreement.ratio });
  }
  const spread = (r: number | null) => (r === null || r === 0 ? Infinity : Math.abs(Math.log(r)));
  return out.sort((a, b) => spread(b.ratio) - spread(a.ratio) || a.site.id.localeCompare(b.site.id)).slice(0, n);
}

/** Remembers when each site last had a fresh source, as seen by this screen. Bounded by the registry. */
export class LastSeen {
  private readonly seen = new Map<string, number>();
  private server = new Map<string, number>();

  observe(live: LiveState): void {
    if (live.updatedAt) this.bump(this.seen, live.siteId, Date.parse(live.updatedAt));
  }

  setServer(trends: Iterable<SiteTrend>): void {
    this.server = new Map();
    for (const t of trends) if (t.lastSeenAt) this.server.set(t.siteId, Date.parse(t.lastSeenAt));
  }

  get(siteId: string): number | null {
    const a = this.seen.get(siteId) ?? -Infinity;
    const b = this.server.get(siteId) ?? -Infinity;
    const t = Math.max(a, b);
    return Number.isFinite(t) ? t : null;
  }

  private bump(map: Map<string, number>, id: string, t: number): void {
    if (Number.isFinite(t) && t > (map.get(id) ?? -Infinity)) map.set(id, t);
  }
}
