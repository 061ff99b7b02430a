// One simulated city wired to a running shortline: the true model, the residents' view of the
// public API, the staff tablets and the carrier feed. Drivers (fast-day.ts, live.ts) decide how
// time passes; this only knows how to move from one instant to the next.
import type { Site } from '../../shared/schemas.js';
import type { CarrierKey, ShortlineApi } from './api.js';
import { CarrierFeed } from './carrier.js';
import { City, type CityHooks } from './city.js';
import type { Scenario } from './scenario.js';
import { StaffTeam } from './staff.js';
import { inPool } from './pool.js';
import { LiveView } from './view.js';

export interface SimulationOptions {
  sites: readonly Site[];
  scenario: Scenario;
  api: ShortlineApi;
  adminToken: string;
  carrierKey: CarrierKey;
  /** The server's TIMEZONE: opening hours must be read the same way on both sides. */
  timezone: string;
  /** The server's SERVICE_RATE. */
  defaultRate: number;
  startMs: number;
  /** Measurement hooks (fast runs); the demo has none. */
  hooks?: (view: LiveView) => CityHooks;
}

/** Intents posted at once (the server answers each in well under a millisecond). */
const INTENT_CONCURRENCY = 32;

/** A resident's phone's address, from their seed: distinct per resident (10.x.y.z). */
const phoneAddress = (seed: number) => `10.${(seed >>> 16) & 255}.${(seed >>> 8) & 255}.${seed & 255}`;

/** The city never moves more than this in one go: nobody walks for less than a minute. */
export const MAX_STEP_MS = 20_000;

export class Simulation {
  readonly view: LiveView;
  readonly city: City;
  readonly staff: StaffTeam;
  readonly carrier: CarrierFeed;
  private t: number;

  constructor(readonly opts: SimulationOptions) {
    this.view = new LiveView(opts.sites);
    this.city = new City({
      sites: opts.sites,
      scenario: opts.scenario,
      timezone: opts.timezone,
      defaultRate: opts.defaultRate,
      view: this.view,
      hooks: opts.hooks?.(this.view),
    });
    this.staff = new StaffTeam(this.city, opts.api, (site, live) => {
      this.view.patch(live);
      this.city.chooser.refreshSite(site);
    });
    this.carrier = new CarrierFeed(this.city, opts.api, opts.carrierKey, opts.startMs);
    this.t = opts.startMs;
  }

  get now(): number {
    return this.t;
  }

  /** Enrols the tablets of the scenario's staffed sites, or of `sites` when given. */
  async enrol(sites = StaffTeam.staffedSites(this.city), firstWithinMs = 0): Promise<number[]> {
    await this.staff.enrol(this.opts.adminToken, sites, this.t, firstWithinMs);
    return sites;
  }

  /** Runs the model alone (no observers) up to `toMs`: queues exist before anyone reports. */
  warmUp(fromMs: number, toMs: number): void {
    for (let t = fromMs; t < toMs; t += MAX_STEP_MS) this.city.step(t, Math.min(toMs, t + MAX_STEP_MS));
    this.t = toMs;
  }

  /** Observers act at the current instant: the carrier's minute batches, the staff counts. */
  async observe(): Promise<void> {
    await this.carrier.tick(this.t);
    await this.staff.tick(this.t);
    await this.sendIntents();
  }

  /** Posts the intents followers decided on since the last turn, each from its own phone's address. */
  private async sendIntents(): Promise<void> {
    const batch = this.city.chooser.intents;
    if (batch.length === 0) return;
    this.city.chooser.intents = [];
    await inPool(batch, INTENT_CONCURRENCY, async (it) => {
      const a = await this.opts.api.intent(it.siteId, it.etaMinutes, phoneAddress(it.seed));
      this.intentStats.sent += 1;
      if (a.status !== 202) this.intentStats.refused[a.status] = (this.intentStats.refused[a.status] ?? 0) + 1;
    });
  }

  readonly intentStats: { sent: number; refused: Record<number, number> } = { sent: 0, refused: {} };

  /** Reads GET /api/live (and GET /api/intents when followers send intents) into the residents' view. */
  async refreshView(): Promise<void> {
    if (this.opts.scenario.followersSendIntents && this.opts.scenario.followShare > 0)
      this.view.applyIntents(await this.opts.api.intents());
    this.view.applySnapshot(await this.opts.api.live());
    if (this.city.local) this.city.chooser.refresh(this.city.local);
  }

  /** Moves the true city to `toMs`. */
  advance(toMs: number): void {
    while (this.t < toMs) {
      const next = Math.min(toMs, this.t + MAX_STEP_MS);
      this.city.step(this.t, next);
      this.t = next;
    }
  }
}
