// "Best choice for me": rank open sites by walking time plus the wait predicted for the moment the
// resident arrives, and spread residents over near-equal choices instead of sending everyone to the
// same quiet site (herding). Pure functions: no clock, no randomness of their own; the caller passes
// a per-device seed so one person's list is stable while different people's lists differ.
// The method is documented in README.resident.md ("How recommendations are spread").
import type { Level, SiteStatus } from './schemas.js';

export interface LatLng {
  lat: number;
  lng: number;
}

export interface RankCandidate {
  id: string;
  lat: number;
  lng: number;
  status: SiteStatus;
  level: Level;
  waitMinutes: number | null;
  lanesOpen: number | null;
  /** People served per minute per open lane at this site. */
  ratePerLane: number;
  /** 0-1; null counts as "unsure". */
  confidence: number | null;
  /** Minutes until the site closes; null when it never closes (or has no hours). */
  minutesUntilClose: number | null;
  /** Observed change of the wait, minutes of wait per minute of time; 0 or absent when unknown. */
  trendPerMin?: number;
  /** People on their way there (GET /api/intents), not yet in the queue the wait was made from. */
  enRoute?: number;
  /** A command-centre notice on the site telling people not to come ("closed", or "redirect": go elsewhere). */
  notice?: 'closed' | 'redirect' | null;
}

/** Why a site is not recommended (see ineligible). */
export type Ineligible = 'notice' | 'closed' | 'paused' | 'no_data' | 'closing';

export interface RankOptions {
  origin: LatLng;
  /** Per-device seed (uint32): decides the order among near-equal sites. */
  seed: number;
  limit?: number;
  /** Walking speed in metres per minute; 70 m/min is an unhurried 4.2 km/h. */
  walkMetresPerMin?: number;
  /** Streets are not straight lines: walked distance over crow-fly distance. */
  detour?: number;
  /** Sites further than this are not recommended on foot. */
  maxWalkMinutes?: number;
  /** Others likely to follow the same advice during one walk; they lengthen small sites' queues most. */
  herdPeople?: number;
  /** Near-equal band: scores closer than max(spreadMinutes, spreadFraction x score) may swap. */
  spreadMinutes?: number;
  spreadFraction?: number;
  /**
   * The nearest eligible site's head start: another site must beat it by more than
   * max(stayMinutes, stayFraction x its score) to come first. Walking is a sure cost and a
   * predicted wait an uncertain saving; when many follow, small predicted savings move crowds.
   */
  stayMinutes?: number;
  stayFraction?: number;
}

export interface Ranked {
  id: string;
  distanceM: number;
  walkMinutes: number;
  /** Predicted wait when the resident gets there. */
  waitMinutes: number;
  /** walkMinutes + waitMinutes, what the resident spends. */
  totalMinutes: number;
  /** What the order was decided on (total plus penalties plus the spreading jitter). */
  score: number;
}

export const RANK_DEFAULTS = {
  limit: 3,
  walkMetresPerMin: 70,
  detour: 1.3,
  maxWalkMinutes: 60,
  herdPeople: 6,
  spreadMinutes: 2,
  spreadFraction: 0.15,
  stayMinutes: 5,
  stayFraction: 0.3,
} as const;

const EARTH_M = 6_371_000;
const rad = (d: number) => (d * Math.PI) / 180;

export function distanceMetres(a: LatLng, b: LatLng): number {
  const dLat = rad(b.lat - a.lat);
  const dLng = rad(b.lng - a.lng);
  const s = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_M * Math.asin(Math.min(1, Math.sqrt(s)));
}

export function walkMinutes(distanceM: number, opts: Pick<RankOptions, 'walkMetresPerMin' | 'detour'> = {}): number {
  const speed = opts.walkMetresPerMin ?? RANK_DEFAULTS.walkMetresPerMin;
  const detour = opts.detour ?? RANK_DEFAULTS.detour;
  return Math.max(1, Math.round((distanceM * detour) / speed));
}

/**
 * The wait expected on arrival. Without arrival counts the honest assumption is a steady queue
 * (people arrive about as fast as they are served), corrected by the trend seen on this page,
 * damped by half and looked at no more than 30 minutes ahead, because trends do not last.
 */
export function predictWaitOnArrival(
  waitMinutes: number,
  walkMin: number,
  trendPerMin = 0,
  enRouteMinutes = 0,
): number {
  const trend = Math.max(-1, Math.min(1, trendPerMin));
  return Math.max(0, Math.round(waitMinutes + trend * Math.min(walkMin, 30) * 0.5 + enRouteMinutes));
}

/** People a site serves per minute with its open lanes (at least one lane, at least 0.1 a minute). */
const capacityPerMin = (lanesOpen: number | null, ratePerLane: number): number =>
  Math.max(1, lanesOpen ?? 1) * Math.max(0.1, ratePerLane);

/**
 * The wait's change per minute from the server's queue trend (LiveState `trendPerMin`, people per
 * minute): ranking works in minutes of wait, and a queue moves its wait by 1/capacity per person.
 */
export function waitTrendPerMin(queuePerMin: number, lanesOpen: number | null, ratePerLane: number): number {
  return queuePerMin / capacityPerMin(lanesOpen, ratePerLane);
}

/**
 * Minutes of queue the people already on their way add: each will be served before someone who
 * sets out now (they set out earlier), at the site's capacity.
 */
export function enRouteMinutes(enRoute: number | undefined, lanesOpen: number | null, ratePerLane: number): number {
  if (!enRoute || enRoute <= 0) return 0;
  return enRoute / capacityPerMin(lanesOpen, ratePerLane);
}

/** Extra minutes the others sent to the same site add: small sites fill up fastest. */
export function herdPenalty(
  lanesOpen: number | null,
  ratePerLane: number,
  herdPeople: number = RANK_DEFAULTS.herdPeople,
): number {
  return herdPeople / capacityPerMin(lanesOpen, ratePerLane);
}

/** An unsure number is worth a little less than a sure one: up to a quarter of the wait added. */
export function uncertaintyPenalty(waitMinutes: number, confidence: number | null): number {
  return (1 - Math.max(0, Math.min(1, confidence ?? 0))) * 0.25 * waitMinutes;
}

/** Stable pseudo-random number in [0, 1) for one (device, site) pair: FNV-1a, then a mix step. */
export function spreadJitter(seed: number, id: string): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < id.length; i++) {
    h ^= id.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  h = (h ^ (h >>> 16)) >>> 0;
  return h / 2 ** 32;
}

/**
 * Why a site is not recommended; null when it may be. A command-centre notice wins over anything
 * the live state says: a site told to send people elsewhere may still look short and open.
 * "closing": the resident would not be served before it closes (walk plus the wait on arrival).
 */
export function ineligible(c: RankCandidate, walkMin: number, waitOnArrival: number): Ineligible | null {
  if (c.notice === 'closed' || c.notice === 'redirect') return 'notice';
  if (c.status === 'closed' || c.level === 'closed') return 'closed';
  if (c.status === 'paused') return 'paused';
  if (c.waitMinutes === null || c.level === 'unknown') return 'no_data';
  if (c.minutesUntilClose !== null && walkMin + waitOnArrival >= c.minutesUntilClose) return 'closing';
  return null;
}

/** The best `limit` sites for a resident at `origin`, best first; fewer when fewer qualify. */
export function rankSites(candidates: Iterable<RankCandidate>, opts: RankOptions): Ranked[] {
  const o = { ...RANK_DEFAULTS, ...opts };
  const out: Ranked[] = [];
  for (const c of candidates) {
    const distanceM = distanceMetres(o.origin, c);
    const walk = walkMinutes(distanceM, o);
    if (walk > o.maxWalkMinutes) continue;
    if (c.waitMinutes === null) continue;
    const wait = predictWaitOnArrival(
      c.waitMinutes,
      walk,
      c.trendPerMin,
      enRouteMinutes(c.enRoute, c.lanesOpen, c.ratePerLane),
    );
    if (ineligible(c, walk, wait)) continue;
    const total = walk + wait;
    const base = total + herdPenalty(c.lanesOpen, c.ratePerLane, o.herdPeople) + uncertaintyPenalty(wait, c.confidence);
    const band = Math.max(o.spreadMinutes, o.spreadFraction * base);
    out.push({
      id: c.id,
      distanceM,
      walkMinutes: walk,
      waitMinutes: wait,
      totalMinutes: total,
      score: base + spreadJitter(o.seed, c.id) * band,
    });
  }
  let nearest: Ranked | undefined;
  // Ties by id: the order must not depend on the order the candidates came in (no flicker).
  for (const r of out)
    if (!nearest || r.distanceM < nearest.distanceM || (r.distanceM === nearest.distanceM && r.id < nearest.id))
      nearest = r;
  if (nearest) nearest.score -= Math.max(o.stayMinutes, o.stayFraction * nearest.score);
  out.sort((a, b) => a.score - b.score || (a.id < b.id ? -1 : 1));
  return out.slice(0, o.limit);
}
