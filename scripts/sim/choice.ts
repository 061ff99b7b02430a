// How residents pick a site. Most go to the nearest site that is open (printed schedules tell
// them the hours); followers take shortline's recommendation, ranked by shared/rank.ts (walking
// time plus predicted wait on arrival) on the live state the public API shows.
import { minutesUntilClose, type LocalTime } from '../../shared/hours.js';
import {
  distanceMetres,
  rankSites,
  walkMinutes,
  type LatLng,
  type RankCandidate,
  type RankOptions,
} from '../../shared/rank.js';
import type { Site } from '../../shared/schemas.js';
import type { Neighbours } from './geo.js';
import type { LiveView } from './view.js';

export interface Resident {
  home: LatLng;
  /** The site they were generated around; its neighbours are all they consider. */
  homeSite: number;
  follower: boolean;
  /** Per-device seed for rank's spreading. */
  seed: number;
}

/** A site as it really is (the oracle's view; see Chooser's `truth`). */
export interface TrueState {
  status: 'open' | 'paused' | 'closed';
  /** People waiting over the capacity of the lanes open (at least one), at the true rate. */
  waitMinutes: number;
  lanesOpen: number;
  ratePerLane: number;
}

export interface Choice {
  site: number;
  walkMin: number;
  /** The wait the recommendation predicted, for followers who got one. */
  predictedWait: number | null;
}

/**
 * Sites a follower's app weighs. Further ones would need a wait shorter by the extra walk, and the
 * nearest couple of dozen sites already span 2-3 km in the dense districts.
 */
const FOLLOW_CANDIDATES = 24;

/** Spreading off: rank purely by walk plus predicted wait, as a naive "shortest queue" app would. */
export const GREEDY: Partial<RankOptions> = {
  herdPeople: 0,
  spreadMinutes: 0,
  spreadFraction: 0,
  stayMinutes: 0,
  stayFraction: 0,
};

export class Chooser {
  private readonly candidates: (RankCandidate | null)[];
  private local: LocalTime | null = null;
  /** Followers on their way to each site (used only when `countEnRoute`). */
  private readonly enRoute: Int32Array;

  constructor(
    private readonly sites: readonly Site[],
    private readonly neighbours: readonly Neighbours[],
    /** How far from their site residents live: bounds how much nearer another site can be. */
    private readonly homeRadiusM: number,
    private readonly view: LiveView,
    private readonly rates: Float64Array,
    /** Options for rankSites: greedy, or spreading with these overrides of its defaults. */
    private readonly rankOptions: Partial<RankOptions>,
    /**
     * Adds the followers already sent to a site and not yet there to its wait, as a server could
     * if it counted "navigate" taps. shortline has no such count today: this is an experiment.
     */
    private readonly countEnRoute = false,
    /** Followers send an intent for the site they go to (POST /api/intents, as the page does). */
    private readonly sendIntents = false,
    /**
     * A measurement bound, not shortline: followers rank on each site's true state (what a perfect
     * estimator would show) instead of the view. null: they see what the public API shows.
     */
    private readonly truth: ((i: number) => TrueState) | null = null,
  ) {
    this.candidates = sites.map(() => null);
    this.enRoute = new Int32Array(sites.length);
  }

  /** Intents decided since the last flush, to be posted by the simulation. */
  intents: Array<{ siteId: string; etaMinutes: number; seed: number }> = [];

  /** Rebuilds every candidate from the view; call once a minute (hours and trends move). */
  refresh(local: LocalTime): void {
    this.local = local;
    for (let i = 0; i < this.sites.length; i++) this.refreshSite(i);
  }

  /** Rebuilds one candidate after the view learnt something new about that site. */
  refreshSite(i: number): void {
    if (this.truth) return this.refreshTrue(i);
    const l = this.view.get(i);
    const site = this.sites[i]!;
    const extra = this.countEnRoute ? this.enRoute[i]! / (Math.max(1, l?.lanesOpen ?? site.lanes) * this.rates[i]!) : 0;
    this.candidates[i] =
      l && this.local
        ? {
            id: site.id,
            lat: site.lat,
            lng: site.lng,
            status: l.status,
            level: l.level,
            waitMinutes: l.waitMinutes === null ? null : l.waitMinutes + extra,
            lanesOpen: l.lanesOpen,
            ratePerLane: this.rates[i]!,
            confidence: l.confidence,
            minutesUntilClose: minutesUntilClose(site.hours, this.local),
            trendPerMin: this.view.trendPerMin(i, this.rates[i]!),
            // What GET /api/intents said, as the page reads it.
            enRoute: this.view.enRoute[i]!,
          }
        : null;
  }

  private refreshTrue(i: number): void {
    const t = this.truth!(i);
    const site = this.sites[i]!;
    this.candidates[i] = this.local
      ? {
          id: site.id,
          lat: site.lat,
          lng: site.lng,
          status: t.status,
          level: t.status === 'closed' ? 'closed' : 'low',
          waitMinutes: t.waitMinutes,
          lanesOpen: t.lanesOpen,
          ratePerLane: t.ratePerLane,
          confidence: 1,
          minutesUntilClose: minutesUntilClose(site.hours, this.local),
          enRoute: this.enRoute[i]!,
        }
      : null;
  }

  nearest(r: Resident, accepting: (i: number) => boolean): Choice | null {
    const { sites, metres } = this.neighbours[r.homeSite]!;
    let best = -1;
    let bestD = Infinity;
    for (let k = 0; k < sites.length; k++) {
      // Neighbours come nearest first from the home site; past this one none can be nearer the home.
      if (metres[k]! - this.homeRadiusM > bestD) break;
      const i = sites[k]!;
      if (!accepting(i)) continue;
      const d = distanceMetres(r.home, this.sites[i]!);
      if (d < bestD) {
        bestD = d;
        best = i;
      }
    }
    return best < 0 ? null : { site: best, walkMin: walkMinutes(bestD), predictedWait: null };
  }

  /** The top recommendation; the nearest open site when shortline has nothing to recommend. */
  follow(r: Resident, accepting: (i: number) => boolean): Choice | null {
    const options: RankCandidate[] = [];
    const { sites } = this.neighbours[r.homeSite]!;
    for (let k = 0; k < sites.length && k < FOLLOW_CANDIDATES; k++) {
      const c = this.candidates[sites[k]!];
      if (c && c.waitMinutes !== null && c.status === 'open') options.push(c);
    }
    const [top] = rankSites(options, { ...this.rankOptions, origin: r.home, seed: r.seed, limit: 1 });
    const i = top ? this.view.indexOf(top.id) : undefined;
    if (!top || i === undefined) return this.nearest(r, accepting);
    if (this.countEnRoute || this.truth) {
      this.enRoute[i] = this.enRoute[i]! + 1;
      this.refreshSite(i);
    }
    // The follower taps "go": the page posts an intent (simulation.ts sends it through the API).
    if (this.sendIntents)
      this.intents.push({
        siteId: top.id,
        etaMinutes: Math.max(1, Math.min(180, walkMinutes(top.distanceM))),
        seed: r.seed,
      });
    // From the distance at walking speed: ranking options may weigh walking differently.
    return { site: i, walkMin: walkMinutes(top.distanceM), predictedWait: top.waitMinutes };
  }

  /** A follower reached the site they were sent to (whether they joined it or not). */
  reached(i: number, follower: boolean): void {
    if (!follower || !(this.countEnRoute || this.truth) || this.enRoute[i]! <= 0) return;
    this.enRoute[i] = this.enRoute[i]! - 1;
    this.refreshSite(i);
  }
}
