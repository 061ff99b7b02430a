// Command-centre reads: city and district series over the last hours, and per-site facts the live
// state does not carry (queue 15 minutes ago, when a dark site was last seen, staff-vs-carrier
// disagreement). Both come from every site's history, so each answer is computed at most once per
// server minute and shared by every wall asking in that minute.
import { Router } from 'express';
import { z } from 'zod';
import { levelFor, sourceGap } from '../../shared/domain.js';
import type { Source } from '../../shared/schemas.js';
import { staleMsBySource } from '../../shared/stale.js';
import { staleMs } from '../config.js';
import {
  DISAGREEMENT,
  RISE_WINDOW_MINUTES,
  TREND_HOURS,
  type SiteTrend,
  type SiteTrends,
  type TrendSeries,
  type Trends,
} from '../../shared/trends.js';
import type { AppContext } from '../context.js';
import { resample } from '../live/history.js';
import type { HistoryPoint } from '../store/types.js';
import { nextTurn } from '../turns.js';
import { parse } from '../validate.js';

/** What these routes use of the app; a Pick so tests can see the dependencies at a glance. */
export type TrendDeps = Pick<AppContext, 'engine' | 'store' | 'clock' | 'config' | 'sites'>;

const TrendsQuery = z.object({
  hours: z.coerce.number().int().min(TREND_HOURS.min).max(TREND_HOURS.max).default(TREND_HOURS.default),
});

const MINUTE = 60_000;
/** History reads in flight at once: enough to hide Redis round trips, few enough not to flood it. */
const READ_CONCURRENCY = 32;

/** Per-minute memo: one computation per key and server minute, shared by concurrent requests. */
export class MinuteCache<V> {
  private readonly entries = new Map<string, { minute: number; value: Promise<V> }>();

  get(key: string, minute: number, compute: () => Promise<V>): Promise<V> {
    const hit = this.entries.get(key);
    if (hit && hit.minute === minute) return hit.value;
    const value = compute();
    this.entries.set(key, { minute, value });
    // A failed computation (store down) must not be served for the rest of the minute.
    value.catch(() => {
      if (this.entries.get(key)?.value === value) this.entries.delete(key);
    });
    return value;
  }
}

/** The newest `hours` of a longer answer: the series end at the same minute. */
export function sliceTrends(t: Trends, hours: number): Trends {
  if (t.hours === hours) return t;
  const n = hours * 60 + 1;
  const cut = <V>(a: V[]) => a.slice(-n);
  const series = (s: TrendSeries): TrendSeries => ({
    queue: cut(s.queue),
    waitAvg: cut(s.waitAvg),
    low: cut(s.low),
    medium: cut(s.medium),
    high: cut(s.high),
    none: cut(s.none),
  });
  return {
    ...t,
    hours,
    times: cut(t.times),
    city: series(t.city),
    districts: t.districts.map((d) => ({ district: d.district, ...series(d) })),
  };
}

/**
 * One trend computation per minute whatever the mix of `hours` asked: a shorter window is cut from
 * a longer one of the same minute, so asking for every value of `hours` costs no more than 24 h once.
 */
export class TrendCache {
  private entry: { minute: number; hours: number; value: Promise<Trends> } | null = null;

  get(hours: number, minute: number, compute: (hours: number) => Promise<Trends>): Promise<Trends> {
    const e = this.entry;
    if (e && e.minute === minute && e.hours >= hours) return e.value.then((t) => sliceTrends(t, hours));
    const value = compute(hours);
    const mine = { minute, hours, value };
    this.entry = mine;
    value.catch(() => {
      if (this.entry === mine) this.entry = null;
    });
    return value;
  }
}

interface Acc {
  queue: number[];
  queueN: number[];
  waitSum: number[];
  waitN: number[];
  low: number[];
  medium: number[];
  high: number[];
  none: number[];
}

const newAcc = (n: number): Acc => {
  const z0 = () => new Array<number>(n).fill(0);
  return { queue: z0(), queueN: z0(), waitSum: z0(), waitN: z0(), low: z0(), medium: z0(), high: z0(), none: z0() };
};

function addPoint(
  acc: Acc,
  i: number,
  queue: number | null,
  wait: number | null,
  level: 'low' | 'medium' | 'high' | 'none',
): void {
  if (queue !== null) {
    acc.queue[i]! += queue;
    acc.queueN[i]! += 1;
  }
  acc[level][i]! += 1;
  if (wait !== null) {
    acc.waitSum[i]! += wait;
    acc.waitN[i]! += 1;
  }
}

const finish = (a: Acc): TrendSeries => ({
  // A minute in which no site had a fresh count is unknown, not "nobody queuing": charts draw a gap.
  queue: a.queue.map((q, i) => (a.queueN[i] ? q : null)),
  low: a.low,
  medium: a.medium,
  high: a.high,
  none: a.none,
  waitAvg: a.waitSum.map((s, i) => (a.waitN[i] ? Math.round((s / a.waitN[i]!) * 10) / 10 : null)),
});

/**
 * Runs `fn` over `items`, at most READ_CONCURRENCY at a time. Between batches the event loop gets a
 * turn (turns.ts), so a city-wide
 * computation never holds up frames or requests for more than a few milliseconds.
 */
export async function eachBatched<T>(items: readonly T[], fn: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += READ_CONCURRENCY) {
    await Promise.all(items.slice(i, i + READ_CONCURRENCY).map(fn));
    await nextTurn();
  }
}

const staleOf = (deps: TrendDeps): Record<Source, number> => staleMsBySource(staleMs(deps.config));

/**
 * resample()'s values for each minute from `fromMs` to `toMs`, without building its objects and ISO
 * strings: a city-wide 6-hour pass is 986 x 361 minutes, and those strings were most of its time.
 * trends.test.ts checks that it agrees with resample() on arbitrary histories.
 */
export function eachMinute(
  points: readonly HistoryPoint[],
  fromMs: number,
  toMs: number,
  staleMs: Record<Source, number>,
  fn: (index: number, queue: number | null, waitMinutes: number | null) => void,
): void {
  let i = 0;
  let k = 0;
  let last: HistoryPoint | null = null;
  for (let m = Math.ceil(fromMs / MINUTE) * MINUTE; m <= toMs; m += MINUTE, k++) {
    while (i < points.length && points[i]!.atMs <= m) last = points[i++]!;
    const fresh = last !== null && m - last.atMs <= staleMs[last.source];
    fn(k, fresh ? last!.queue : null, fresh ? last!.waitMinutes : null);
  }
}

/** The city and district series for the `hours` up to the minute `toMs` (a whole minute). */
export async function computeTrends(deps: TrendDeps, hours: number, toMs: number): Promise<Trends> {
  const fromMs = toMs - hours * 3600_000;
  const stale = staleOf(deps);
  const lookback = Math.max(stale.staff, stale.carrier);
  const times = resample([], fromMs, toMs, stale).map((p) => p.at);
  const n = times.length;
  const city = newAcc(n);
  const byDistrict = new Map<string, Acc>();
  for (const s of deps.sites) if (!byDistrict.has(s.district)) byDistrict.set(s.district, newAcc(n));
  const bounds = deps.config.levelMinutes;

  await eachBatched(deps.sites, async (site) => {
    const raw = await deps.store.history(site.id, fromMs - lookback, toMs);
    const district = byDistrict.get(site.district)!;
    eachMinute(raw, fromMs, toMs, stale, (i, queue, wait) => {
      const level = wait === null ? 'none' : (levelFor(wait, bounds) as 'low' | 'medium' | 'high');
      addPoint(city, i, queue, wait, level);
      addPoint(district, i, queue, wait, level);
    });
  });
  return {
    at: new Date(toMs).toISOString(),
    hours,
    times,
    city: finish(city),
    districts: [...byDistrict.entries()].map(([district, acc]) => ({ district, ...finish(acc) })),
  };
}

/** Each site's queue RISE_WINDOW_MINUTES before the minute `toMs`, from history. */
export async function queuesBefore(deps: TrendDeps, toMs: number): Promise<Map<string, number>> {
  const at = toMs - RISE_WINDOW_MINUTES * MINUTE;
  const stale = staleOf(deps);
  const out = new Map<string, number>();
  await eachBatched(deps.sites, async (site) => {
    const raw = await deps.store.history(site.id, at - Math.max(stale.staff, stale.carrier), at);
    const q = resample(raw, at, at, stale)[0]?.queue ?? null;
    if (q !== null) out.set(site.id, q);
  });
  return out;
}

/**
 * Disagreement from the engine's raw data, now (shared/domain.ts sourceGap): the staff count as
 * typed against the carrier's calibrated queue, flagged by the DISAGREEMENT rule.
 */
export function disagreementOf(deps: TrendDeps, siteId: string): SiteTrend['disagreement'] {
  const site = deps.engine.site(siteId);
  if (!site) return null;
  const gap = sourceGap(site, deps.engine.rawOf(siteId), deps.engine.fuseCtx());
  if (!gap) return null;
  const { staffQueue: staffQ, carrierQueue: carrierQ } = gap;
  const diff = Math.abs(carrierQ - staffQ);
  const flagged =
    diff >= DISAGREEMENT.minPeople &&
    diff / Math.max(staffQ, carrierQ, 1) >= DISAGREEMENT.minRelative &&
    gap.z > DISAGREEMENT.minSd;
  return { ratio: staffQ > 0 ? Math.round((carrierQ / staffQ) * 10) / 10 : null, flagged };
}

function lastSeenOf(deps: TrendDeps, siteId: string): string | null {
  const raw = deps.engine.rawOf(siteId);
  const t = Math.max(raw.staff?.observedAt ?? -Infinity, raw.carrier?.observedAt ?? -Infinity);
  return Number.isFinite(t) ? new Date(t).toISOString() : null;
}

export function trendRoutes(deps: TrendDeps): Router {
  const r = Router();
  const series = new TrendCache();
  const before = new MinuteCache<Map<string, number>>();

  r.get('/trends', async (req, res) => {
    const { hours } = parse(TrendsQuery, req.query, 'query');
    const minute = Math.floor(deps.clock.now() / MINUTE) * MINUTE;
    const body = await series.get(hours, minute, (h) => computeTrends(deps, h, minute));
    res.setHeader('Cache-Control', 'no-cache');
    res.json(body);
  });

  // Sites with nothing to say (no history 15 min ago, never seen, no disagreement) are left out.
  r.get('/trends/sites', async (_req, res) => {
    const now = deps.clock.now();
    const minute = Math.floor(now / MINUTE) * MINUTE;
    const queues = await before.get('sites', minute, () => queuesBefore(deps, minute));
    const sites: SiteTrend[] = [];
    for (const s of deps.sites) {
      const t: SiteTrend = {
        siteId: s.id,
        queueBefore: queues.get(s.id) ?? null,
        lastSeenAt: lastSeenOf(deps, s.id),
        disagreement: disagreementOf(deps, s.id),
      };
      if (t.queueBefore !== null || t.lastSeenAt !== null || t.disagreement !== null) sites.push(t);
    }
    const body: SiteTrends = { at: new Date(now).toISOString(), windowMinutes: RISE_WINDOW_MINUTES, sites };
    res.setHeader('Cache-Control', 'no-cache');
    res.json(body);
  });
  return r;
}
