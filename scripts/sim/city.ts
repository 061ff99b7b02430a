// The true city: every site's queue, how it is run, and the residents who come to it. Pure model,
// no I/O: step(t0, t1) moves it forward; observers and measurements read it or listen to hooks.
import { isOpenAt, localTime, type LocalTime } from '../../shared/hours.js';
import type { PauseReason, Site } from '../../shared/schemas.js';
import { Chooser, GREEDY, type Choice, type Resident, type TrueState } from './choice.js';
import { dayProfile, surgeFactor } from './demand.js';
import { homeNear, neighbourIndex, type Neighbours } from './geo.js';
import { TimeHeap } from './heap.js';
import { SiteOps } from './operations.js';
import { SiteQueue, type Person } from './queue.js';
import { chance, lognormal, poisson, stream, uint32, uniform, type Rng } from './random.js';
import type { Scenario } from './scenario.js';
import { LiveView } from './view.js';

/** What measurements listen to. A hook may set `p.record` to find the person again later. */
export interface CityHooks {
  /** A resident reached the site and joined its queue. */
  arrived?(site: number, p: Person, r: Resident, c: Choice): void;
  /** A probe was placed at a site at the start of a minute (see Person.phantom). */
  probed?(site: number, p: Person): void;
  /** Someone (or a probe) started being served. */
  started?(site: number, p: Person, startMs: number): void;
  /** A resident reached a site that had closed meanwhile. */
  turnedAway?(site: number, r: Resident, c: Choice, atMs: number): void;
  /** A resident saw a queue longer than they were prepared to wait and went home. */
  gaveUp?(site: number, r: Resident, c: Choice, atMs: number): void;
}

export interface CityOptions {
  sites: readonly Site[];
  scenario: Scenario;
  timezone: string;
  /** Service rate per lane where a site sets none (config SERVICE_RATE). */
  defaultRate: number;
  /** What residents who follow shortline see; a fresh empty view when omitted. */
  view?: LiveView;
  hooks?: CityHooks;
  /** Demand multiplier by local minute; default the morning-and-evening day profile. */
  profile?: (localMinute: number) => number;
}

interface Trip {
  r: Resident;
  c: Choice;
  patienceMin: number;
}

export class City {
  readonly sites: readonly Site[];
  readonly scenario: Scenario;
  readonly view: LiveView;
  readonly chooser: Chooser;
  readonly queues: SiteQueue[];
  readonly ops: SiteOps[];
  /** True service rate per lane of each site (people per minute). */
  readonly rates: Float64Array;
  /** The rate the registry (or SERVICE_RATE) gives, which is what shortline assumes. */
  readonly registryRates: Float64Array;
  /** Within opening hours now; people still queued after closing are served, none join. */
  readonly accepting: Uint8Array;
  /** People per minute a site draws at a day-profile multiplier of 1. */
  readonly baseDemand: Float64Array;
  readonly neighbours: Neighbours[];
  local: LocalTime | null = null;
  /** Off: nobody new sets out and no probes are placed; those on their way and queued are served. */
  generating = true;
  private readonly tz: string;
  private readonly hooks: CityHooks;
  private readonly profile: (localMinute: number) => number;
  private readonly onTheWay = new TimeHeap<Trip>();
  private readonly rng: { demand: Rng; residents: Rng };
  private day = '';
  /** Epoch ms of the current local day's midnight. */
  midnightMs = 0;
  private minute = -1;

  constructor(opts: CityOptions) {
    const sc = (this.scenario = opts.scenario);
    this.sites = opts.sites;
    this.tz = opts.timezone;
    this.hooks = opts.hooks ?? {};
    this.profile = opts.profile ?? dayProfile;
    this.view = opts.view ?? new LiveView(opts.sites);
    this.rng = { demand: stream(sc.seed, 'demand'), residents: stream(sc.seed, 'residents') };
    const sizing = stream(sc.seed, 'sizing');
    const n = opts.sites.length;
    // What the registry says (all the server and the pages know) and what the site really does.
    this.registryRates = Float64Array.from(opts.sites, (s) => s.serviceRatePerLane ?? opts.defaultRate);
    const trueRate = stream(sc.seed, 'true-rates');
    this.rates = Float64Array.from(
      this.registryRates,
      (r) => r * uniform(trueRate, 1 - sc.serviceRateSpread, 1 + sc.serviceRateSpread),
    );
    this.baseDemand = Float64Array.from(
      opts.sites,
      (s, i) => s.lanes * this.rates[i]! * uniform(sizing, sc.utilisation[0], sc.utilisation[1]),
    );
    this.accepting = new Uint8Array(n);
    this.neighbours = neighbourIndex(opts.sites);
    this.chooser = new Chooser(
      opts.sites,
      this.neighbours,
      sc.homeRadiusM,
      this.view,
      this.registryRates,
      sc.spreading ? sc.rank : GREEDY,
      sc.countEnRoute,
      sc.followersSendIntents,
      sc.followersSeeTruth ? (i) => this.trueState(i) : null,
    );
    const service = stream(sc.seed, 'service');
    this.queues = opts.sites.map(
      (s, i) => new SiteQueue(s.lanes, this.rates[i]!, service, (p, t) => this.hooks.started?.(i, p, t)),
    );
    const opsRng = stream(sc.seed, 'operations');
    this.ops = opts.sites.map((s) => new SiteOps(s.lanes, opsRng));
  }

  /** A site as it really is now: what a perfect estimator would show (the oracle bound). */
  private trueState(i: number): TrueState {
    const q = this.queues[i]!;
    const lanes = Math.max(1, q.lanesOpen);
    return {
      status: !this.accepting[i] ? 'closed' : q.isPaused ? 'paused' : 'open',
      waitMinutes: q.waiting / (lanes * q.ratePerMin),
      lanesOpen: lanes,
      ratePerLane: q.ratePerMin,
    };
  }

  /** Why a site is paused now, or null; what its staff would report. */
  pauseReason(i: number, nowMs: number): PauseReason | null {
    return this.accepting[i] && this.queues[i]!.isPaused ? this.ops[i]!.pauseAt(nowMs) : null;
  }

  private readonly isAccepting = (i: number): boolean => this.accepting[i] === 1;

  /** Moves the city from t0 to t1 (t1 - t0 at most a minute: nobody walks for less). */
  step(t0: number, t1: number): void {
    const sc = this.scenario;
    const minute = Math.floor(t0 / 60_000);
    // Hours, lanes and pauses change on whole minutes; looking at them every step is wasted work.
    if (minute !== this.minute || !this.local) {
      this.minute = minute;
      const local = (this.local = localTime(t0, this.tz));
      if (local.day !== this.day) this.newDay(t0, local);
      for (let i = 0; i < this.sites.length; i++) {
        this.accepting[i] = isOpenAt(this.sites[i]!.hours, local) ? 1 : 0;
        this.ops[i]!.operate(this.queues[i]!, this.accepting[i] === 1, t0);
      }
      this.view.tickMinute();
      this.chooser.refresh(local);
      if (this.generating) this.probe(t0);
    }
    const local = this.local;

    const dtMin = (t1 - t0) / 60_000;
    const profile = this.profile(local.minutes + (t0 % 60_000) / 60_000) * sc.demandScale;
    const surges = new Map<string, number>();
    for (let i = 0; i < this.sites.length && this.generating; i++) {
      if (!this.accepting[i]) continue;
      const district = this.sites[i]!.district;
      let surge = surges.get(district);
      if (surge === undefined) surges.set(district, (surge = surgeFactor(sc.surges, district, local.minutes)));
      const n = poisson(this.rng.demand, this.baseDemand[i]! * profile * surge * dtMin);
      for (let k = 0; k < n; k++) this.depart(i, t0 + this.rng.demand() * (t1 - t0));
    }

    while (this.onTheWay.peekKey() < t1) {
      const atMs = this.onTheWay.peekKey();
      const trip = this.onTheWay.pop()!;
      const i = trip.c.site;
      this.chooser.reached(i, trip.r.follower);
      if (!this.accepting[i]) {
        this.hooks.turnedAway?.(i, trip.r, trip.c, atMs);
        continue;
      }
      const q = this.queues[i]!;
      // People judge a queue by its length and the lanes working; a paused site looks as slow as usual.
      if (q.waiting / (Math.max(1, q.lanesOpen) * q.ratePerMin) > trip.patienceMin) {
        this.hooks.gaveUp?.(i, trip.r, trip.c, atMs);
        continue;
      }
      const p: Person = { arrivalMs: atMs, phantom: false, record: -1 };
      this.hooks.arrived?.(i, p, trip.r, trip.c);
      q.push(p);
    }
    for (const q of this.queues) q.advance(t1);
  }

  /** A resident near site `home` decides where to go at `t` and starts walking. */
  private depart(home: number, t: number): void {
    const rng = this.rng.residents;
    const r: Resident = {
      home: homeNear(this.sites[home]!, this.scenario.homeRadiusM, rng),
      homeSite: home,
      follower: chance(rng, this.scenario.followShare),
      seed: uint32(rng),
    };
    const c = r.follower ? this.chooser.follow(r, this.isAccepting) : this.chooser.nearest(r, this.isAccepting);
    const patienceMin = lognormal(rng, this.scenario.patienceMedianMin, this.scenario.patienceSigma);
    if (c) this.onTheWay.push(t + c.walkMin * 60_000, { r, c, patienceMin });
  }

  private probe(atMs: number): void {
    if (!this.hooks.probed) return;
    for (let i = 0; i < this.sites.length; i++) {
      if (!this.accepting[i]) continue;
      const p: Person = { arrivalMs: atMs, phantom: true, record: -1 };
      this.hooks.probed(i, p);
      this.queues[i]!.push(p);
    }
  }

  private newDay(t0: number, local: LocalTime): void {
    this.day = local.day;
    this.midnightMs = Math.floor(t0 / 60_000) * 60_000 - local.minutes * 60_000;
    for (const o of this.ops) o.planDay(this.midnightMs, this.scenario);
  }

  /** People queuing in the whole city (for logs and charts). */
  totalWaiting(): number {
    let n = 0;
    for (const q of this.queues) n += q.waiting;
    return n;
  }

  /** Nobody on the way and nobody queued: every wait is known. */
  get settled(): boolean {
    return this.onTheWay.size === 0 && this.queues.every((q) => q.length === 0);
  }
}
