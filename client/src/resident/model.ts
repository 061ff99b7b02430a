// Everything the page knows, in flat arrays indexed by the site's position in the registry, so
// that 50,000 sites cost no per-frame allocation: live states are typed-array columns (as the
// worker sends them), a LiveState object is only built for the few sites a view actually shows,
// and views compare a site's `stamp` with the one they drew instead of being told about each change.
import { normaliseCode, shortCodes } from '../../../shared/short-code.js';
import type { Level, LiveState, Meta, Notice, Site } from '../../../shared/schemas.js';
import { isOpenAt, localTime, minutesUntilClose, type LocalTime } from '../../../shared/hours.js';
import type { ConnectionState } from '../lib/live.js';
import { type Ageing, LEVELS, LiveTable, LOOKS, PAUSES, SOURCES, type StateColumns, STATUSES } from './columns.js';
import type { Look } from './looks.js';
import type { DatumShift } from '../lib/datum.js';
import { projectOnTiles } from './map/project.js';
import { matchesQuery, searchHay, type SearchHay, type SearchQuery } from './search.js';

export interface Filters {
  q: string;
  openNow: boolean;
  green: boolean;
  h24: boolean;
}

export const GREEN_TAG = 'green-channel';
export const H24_TAG = '24h';
/** The contract's default service rate, for sites that set none (meta does not carry it). */
export const DEFAULT_RATE = 2;
const S_OPEN = STATUSES.indexOf('open');
const L_CLOSED = LEVELS.indexOf('closed');
const L_UNKNOWN = LEVELS.indexOf('unknown');

export class SiteModel {
  readonly sites: Site[] = [];
  readonly index = new Map<string, number>();
  /** Each site's words as search matches them: Chinese, pinyin, initials. */
  /** Each site's search text, built at its first search (986 of them cost ~55 ms on a cheap phone). */
  private readonly hay: Array<SearchHay | undefined> = [];
  /** Zoom-0 pixels where each site is drawn: over the tiles, so in their datum. */
  readonly px: number[] = [];
  readonly py: number[] = [];
  /** Observed change of the wait (minutes per minute), for the arrival prediction. */
  trend = new Float32Array(0);
  /** Bumped when what a site shows may have changed. */
  stamp = new Uint32Array(0);
  private table = new LiveTable(0);
  private ageCache: Ageing | null = null;
  private objects: (LiveState | undefined)[] = [];
  private tick = 1;
  sitesDone = false;
  /** Version of the last snapshot/delta fully applied; -1 before the first. */
  version = -1;
  conn: ConnectionState = { connected: false, lastDataAt: null, disconnectedAt: null };
  private skew = 0;
  notices: Notice[] = [];
  /** Whether the notices have been heard at all (socket or HTTP): no advice before that. */
  noticesKnown = false;
  sitesError: string | null = null;

  constructor(
    readonly meta: Meta,
    /** Into the map's datum (TILE_CRS when there are tiles); sites and the registry stay WGS-84. */
    readonly shift: DatumShift,
  ) {}

  get size(): number {
    return this.sites.length;
  }

  /** The server's clock, as best this device can tell. */
  now(): number {
    return Date.now() + this.skew;
  }

  /**
   * Server clock minus this device's (the feed worker's estimate). What has aged out depends on it,
   * so the cached ageing goes and every site is redrawn: a device clock running ahead would
   * otherwise keep judging data by its own time (the cache is kept while within a second of now).
   */
  setSkew(ms: number): void {
    this.skew = ms;
    this.ageCache = null;
    this.touchAll();
  }

  local(): LocalTime {
    return localTime(this.now(), this.meta.timezone);
  }

  addSites(chunk: Site[]): void {
    for (const s of chunk) {
      this.index.set(s.id, this.sites.length);
      this.sites.push(s);
      const [x, y] = projectOnTiles(s.lat, s.lng, this.shift);
      this.px.push(x);
      this.py.push(y);
    }
  }

  /** The registry is complete: size the state columns. */
  finishSites(): void {
    const n = this.sites.length;
    this.table = new LiveTable(n);
    this.trend = new Float32Array(n);
    this.stamp = new Uint32Array(n).fill(this.tick);
    this.objects = new Array<LiveState | undefined>(n);
    this.sitesDone = true;
  }

  /** Applies a chunk of states from the worker. */
  applyColumns(c: StateColumns): void {
    const t = ++this.tick;
    const m = this.table.c;
    this.table.apply(c, (i, k) => {
      this.trend[i] = nextTrend(m.wait[i]!, m.updatedAt[i]!, c.wait[k]!, c.updatedAt[k]!, this.trend[i]!);
      this.objects[i] = undefined;
      this.stamp[i] = t;
    });
  }

  /** Marks every site changed: language switch, ageing while offline, filters. */
  touchAll(): void {
    this.stamp.fill(++this.tick);
  }

  /** The live state as received, or null before any arrived. Built on demand and kept. */
  state(i: number): LiveState | null {
    if (i >= this.table.n || !this.table.has(i)) return null;
    let l = this.objects[i];
    if (!l) {
      const m = this.table.c;
      const num = (v: number) => (v < 0 ? null : v);
      l = this.objects[i] = {
        siteId: this.sites[i]!.id,
        status: STATUSES[m.status[i]!]!,
        lanesOpen: num(m.lanes[i]!),
        queue: num(m.queue[i]!),
        waitMinutes: num(m.wait[i]!),
        level: LEVELS[m.level[i]!]!,
        source: SOURCES[m.source[i]!]!,
        updatedAt: Number.isNaN(m.updatedAt[i]) ? null : new Date(m.updatedAt[i]!).toISOString(),
        confidence: Number.isNaN(m.confidence[i]) ? null : Math.round(m.confidence[i]! * 100) / 100,
        pauseReason: PAUSES[m.pause[i]!] ?? null,
        waitRange: m.lo[i]! < 0 ? null : [m.lo[i]!, m.hi[i]!],
      };
    }
    return l;
  }

  /** While connected the server ages data out itself; while disconnected this page does. */
  ageing(): Ageing {
    // Asked once per site in loops over every site: one object per second is plenty.
    const now = this.now();
    const a = this.ageCache;
    if (a && a.connected === this.conn.connected && Math.abs(now - a.nowMs) < 1000) return a;
    return (this.ageCache = {
      connected: this.conn.connected,
      nowMs: now,
      staffStaleMs: this.meta.staffStaleMinutes * 60_000,
      carrierStaleMs: this.meta.carrierStaleMinutes * 60_000,
    });
  }

  /** The level shown. */
  level(i: number): Level {
    return i < this.table.n ? LEVELS[this.table.levelCode(i, this.ageing())]! : 'unknown';
  }

  /** The level, or "paused" for a paused site with a number: what the shape and colour say. */
  look(i: number): Look {
    return i < this.table.n ? LOOKS[this.table.lookCode(i, this.ageing())]! : 'unknown';
  }

  /** The live state as shown: null when there is none or it has aged out. */
  shown(i: number): LiveState | null {
    return i < this.table.n && this.table.aged(i, this.ageing()) ? null : this.state(i);
  }

  isOpenNow(i: number, local: LocalTime): boolean {
    const level = this.table.levelCode(i, this.ageing());
    if (level === L_CLOSED) return false;
    if (level !== L_UNKNOWN) return this.table.c.status[i] === S_OPEN;
    return isOpenAt(this.sites[i]!.hours, local);
  }

  minutesUntilClose(i: number, local: LocalTime): number | null {
    return minutesUntilClose(this.sites[i]!.hours, local);
  }

  matches(i: number, f: Filters, query: SearchQuery, local: LocalTime): boolean {
    const s = this.sites[i]!;
    if (f.green && !s.tags?.includes(GREEN_TAG)) return false;
    if (f.h24 && !s.tags?.includes(H24_TAG)) return false;
    if (f.openNow && !this.isOpenNow(i, local)) return false;
    // A typed short code (from a poster or a loudspeaker) finds its site.
    if (query.tokens.length === 1) {
      const code = normaliseCode(query.tokens[0]!);
      if (code && this.codeOf(i) === code) return true;
    }
    return query.tokens.length === 0 || matchesQuery((this.hay[i] ??= searchHay(this.sites[i]!)), query);
  }

  private codes: Map<string, string> | null = null;
  private codesFor = -1;
  /** The site's short code; computed over the whole registry once it is loaded (collisions resolve across it). */
  codeOf(i: number): string | undefined {
    if (this.codesFor !== this.sites.length) {
      this.codes = shortCodes(this.sites.map((s) => s.id));
      this.codesFor = this.sites.length;
    }
    return this.codes!.get(this.sites[i]!.id);
  }

  /** Shown wait in minutes, or -1 when there is none (closed, no data, aged). */
  waitOf(i: number): number {
    const level = this.table.levelCode(i, this.ageing());
    return level === L_CLOSED || level === L_UNKNOWN ? -1 : this.table.c.wait[i]!;
  }

  /** Whether any site has a live number at all (else the page says so plainly). */
  anyLiveData(): boolean {
    for (let i = 0; i < this.table.n; i++) if (this.waitOf(i) >= 0) return true;
    return false;
  }

  /** Active notices: city-wide first, then by site. */
  activeNotices(): Notice[] {
    const now = this.now();
    return this.notices
      .filter((n) => Date.parse(n.expiresAt) > now)
      .sort((a, b) => Number(a.siteId !== null) - Number(b.siteId !== null) || a.createdAt.localeCompare(b.createdAt));
  }

  noticesFor(siteId: string): Notice[] {
    return this.activeNotices().filter((n) => n.siteId === siteId);
  }

  /** Centre of each district's sites, for plain-map labels; `site` is one of them, to name it by. */
  districts(): Array<{ name: string; site: number; lat: number; lng: number; count: number }> {
    return centres(this.sites, (s) => s.district).map((c) => ({ ...c, name: c.key }));
  }

  /** Centre of each street's sites (district when a site has no street), for "start from here". */
  areas(): Array<{ district: string; street: string | null; site: number; lat: number; lng: number }> {
    return centres(this.sites, (s) => `${s.district}\u0000${s.street ?? ''}`).map((c) => {
      const [district, street] = c.key.split('\u0000') as [string, string];
      return { district, street: street || null, site: c.site, lat: c.lat, lng: c.lng };
    });
  }
}

function centres(
  sites: readonly Site[],
  key: (s: Site) => string,
): Array<{ key: string; site: number; lat: number; lng: number; count: number }> {
  const acc = new Map<string, { site: number; lat: number; lng: number; count: number }>();
  for (const [i, s] of sites.entries()) {
    const k = key(s);
    const a = acc.get(k) ?? { site: i, lat: 0, lng: 0, count: 0 };
    a.lat += s.lat;
    a.lng += s.lng;
    a.count += 1;
    acc.set(k, a);
  }
  return [...acc].map(([k, a]) => ({
    key: k,
    site: a.site,
    lat: a.lat / a.count,
    lng: a.lng / a.count,
    count: a.count,
  }));
}

/**
 * Smoothed slope of the wait (minutes per minute) between two readings 1-30 minutes apart; a
 * missing or much older reading resets it, so a trend is only ever what this page has just seen.
 * Waits of -1 and times of NaN mean "none".
 */
export function nextTrend(prevWait: number, prevAt: number, wait: number, at: number, trend: number): number {
  if (prevWait < 0 || wait < 0 || Number.isNaN(prevAt) || Number.isNaN(at)) return 0;
  const dtMin = (at - prevAt) / 60_000;
  if (dtMin > 30) return 0;
  if (dtMin < 1) return trend;
  return 0.5 * trend + 0.5 * ((wait - prevWait) / dtMin);
}
