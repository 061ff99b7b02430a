// One simulated city wired to a running shortline: the true model, the residents' view of the
// public API, the staff tablets and the carrier feed. Drivers (fast-day.ts, live.ts) decide how
// time passes; this only knows how to move from one instant to the next.
import type { Site } from '../../shared/schemas.js';
import type { CarrierKey, ShortlineApi } from './api.js';
import { CarrierFeed } from './carrier.js';
import { City, type CityHooks } from './city.js';
import type { Scenario } from './scenario.js';
import { StaffTeam } from './staff.js';
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
      sites: opts.sites, scenario: opts.scenario, timezone: opts.timezone, defaultRate: opts.defaultRate,
      view: this.view, hooks: opts.hooks?.(this.view),
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
  }

  /** Reads GET /api/live into the residents' view. */
  async refreshView(): Promise<void> {
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
