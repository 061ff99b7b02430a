// "Needs action": what the command centre should do now, ranked by expected harm. Pure functions of
// the registry, the live states and a service rate per site, so the wall and the server compute the
// same list and tests need no browser. The service rate is an input: today the site's configured
// rate (or SERVICE_RATE), later the learned rate from GET /api/service-rates plugs in unchanged.
import type { LiveState, Site } from './schemas.js';
import { distanceMetres, walkMinutes } from './rank.js';

export type ActionKind = 'open-lane' | 'send-staff' | 'check-data';

export interface RedirectTarget {
  siteId: string;
  walkMinutes: number;
  /** People it can take before its own wait reaches the lower level bound. */
  spare: number;
}

export interface Action {
  siteId: string;
  kind: ActionKind;
  /** People x minutes spent over the upper level bound by the present queue; 0 when unknown. */
  harm: number;
  queue: number | null;
  waitMinutes: number | null;
  lanesOpen: number | null;
  lanes: number;
  /** open-lane: lanes to open now (never past the site's lanes); send-staff: lanes more than it has. */
  lanesNeeded: number;
  /** Nearest sites with spare capacity, by walking time (crowded sites only). */
  redirect: RedirectTarget[];
  /** check-data: why. */
  reason?: 'stale' | 'disagree';
}

export interface ActionInput {
  sites: ReadonlyMap<string, Site>;
  lives: Iterable<LiveState>;
  /** [low, high] minutes (LEVEL_MINUTES). Harm counts minutes over `high`; spare capacity up to `low`. */
  levelMinutes: readonly [number, number];
  /** People served per minute per open lane at a site (configured, or learned). */
  ratePerLane: (site: Site) => number;
  /** Sites gone dark that had data once (the wall's stale list). */
  stale?: Iterable<string>;
  /** Sites whose staff and carrier figures disagree, with carrier/staff ratio (null: staff 0). */
  disagree?: ReadonlyMap<string, number | null>;
}

export const ACTION_DEFAULTS = {
  /** Redirect targets offered per crowded site. */
  redirectTargets: 3,
  /** Further than this on foot is no redirect. */
  maxWalkMinutes: 30,
  /** A target must be able to take at least this many people to be worth a notice. */
  minSpare: 5,
} as const;

/**
 * People x minutes over `bound` for a queue of `queue` served by `lanes` x `rate` a minute: person n
 * waits n / capacity minutes, so those past bound x capacity add up to excess^2 / (2 x capacity).
 */
export function harmOf(queue: number, lanes: number, rate: number, bound: number): number {
  const capacity = lanes * rate;
  if (capacity <= 0) return queue > 0 ? queue * bound : 0;
  const excess = Math.max(0, queue - bound * capacity);
  return Math.round((excess * excess) / (2 * capacity));
}

/** Lanes needed so that the wait of `queue` is at most `bound` minutes. */
export function lanesFor(queue: number, rate: number, bound: number): number {
  return Math.max(1, Math.ceil(queue / (Math.max(rate, 1e-6) * bound)));
}

const usable = (l: LiveState) =>
  l.status === 'open' && l.level !== 'unknown' && l.level !== 'closed' && l.queue !== null;

/** Nearest open sites with fresh data whose wait stays under the low bound with room to spare. */
export function redirectTargets(
  from: Site,
  input: ActionInput,
  opts: { n?: number; maxWalkMinutes?: number } = {},
): RedirectTarget[] {
  const n = opts.n ?? ACTION_DEFAULTS.redirectTargets;
  const max = opts.maxWalkMinutes ?? ACTION_DEFAULTS.maxWalkMinutes;
  const out: RedirectTarget[] = [];
  for (const live of input.lives) {
    const site = input.sites.get(live.siteId);
    if (!site || site.id === from.id || !usable(live)) continue;
    const lanes = Math.max(1, live.lanesOpen ?? 1);
    const spare = Math.floor(input.levelMinutes[0] * lanes * input.ratePerLane(site) - live.queue!);
    if (spare < ACTION_DEFAULTS.minSpare) continue;
    const walk = walkMinutes(distanceMetres(from, site));
    if (walk > max) continue;
    out.push({ siteId: site.id, walkMinutes: walk, spare });
  }
  return out
    .sort((a, b) => a.walkMinutes - b.walkMinutes || b.spare - a.spare || a.siteId.localeCompare(b.siteId))
    .slice(0, n);
}

/**
 * One action per site that needs one, most harm first. A crowded site with closed lanes gets
 * "open a lane"; one with every lane open gets "send staff" (and how many more lanes would bring its
 * wait under the bound); both carry redirect targets. Sites whose numbers cannot be trusted get
 * "check data": a disagreement is ranked by the harm the other source's figure would mean, a dark
 * site (no figure at all) after everything with a figure.
 */
export function rankActions(input: ActionInput, limit = Infinity): Action[] {
  const bound = input.levelMinutes[1];
  const out: Action[] = [];
  const seen = new Set<string>();
  const lives = [...input.lives];
  const liveById = new Map(lives.map((l) => [l.siteId, l]));
  for (const live of lives) {
    const site = input.sites.get(live.siteId);
    if (!site || !usable(live) || live.waitMinutes === null || live.waitMinutes <= bound) continue;
    const rate = input.ratePerLane(site);
    const open = live.lanesOpen ?? 1;
    const needed = lanesFor(live.queue!, rate, bound);
    const canOpen = open < site.lanes;
    out.push({
      siteId: site.id,
      kind: canOpen ? 'open-lane' : 'send-staff',
      harm: harmOf(live.queue!, open, rate, bound),
      queue: live.queue,
      waitMinutes: live.waitMinutes,
      lanesOpen: live.lanesOpen,
      lanes: site.lanes,
      lanesNeeded: canOpen ? Math.max(1, Math.min(site.lanes, needed) - open) : Math.max(1, needed - site.lanes),
      redirect: redirectTargets(site, { ...input, lives }),
    });
    seen.add(site.id);
  }
  for (const [siteId, ratio] of input.disagree ?? []) {
    const site = input.sites.get(siteId);
    const live = liveById.get(siteId);
    if (!site || !live || seen.has(siteId)) continue;
    const rate = input.ratePerLane(site);
    const other = ratio === null ? bound * rate : (live.queue ?? 0) * ratio;
    out.push({
      siteId,
      kind: 'check-data',
      reason: 'disagree',
      harm: harmOf(Math.round(other), live.lanesOpen ?? 1, rate, bound),
      queue: live.queue,
      waitMinutes: live.waitMinutes,
      lanesOpen: live.lanesOpen,
      lanes: site.lanes,
      lanesNeeded: 0,
      redirect: [],
    });
    seen.add(siteId);
  }
  for (const siteId of input.stale ?? []) {
    const site = input.sites.get(siteId);
    const live = liveById.get(siteId);
    if (!site || seen.has(siteId)) continue;
    out.push({
      siteId,
      kind: 'check-data',
      reason: 'stale',
      harm: 0,
      queue: null,
      waitMinutes: null,
      lanesOpen: live?.lanesOpen ?? null,
      lanes: site.lanes,
      lanesNeeded: 0,
      redirect: [],
    });
    seen.add(siteId);
  }
  // Stable: equal harm keeps the order above (crowded, then disagreements, then dark sites).
  return out
    .map((a, i) => ({ a, i }))
    .sort((x, y) => y.a.harm - x.a.harm || x.i - y.i)
    .map((x) => x.a)
    .slice(0, limit);
}
