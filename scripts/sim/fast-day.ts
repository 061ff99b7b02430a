// A simulated day as fast as the machine allows: the simulator drives the server's ManualClock,
// observers post through the real HTTP API, and every simulated minute the public live state is
// read back and compared with the truth.
import type { Site } from '../../shared/schemas.js';
import { ShortlineApi } from './api.js';
import type { CarrierStats } from './carrier.js';
import { startFastApp } from './fast-app.js';
import { Recorder } from './measure.js';
import type { Scenario } from './scenario.js';
import { Simulation } from './simulation.js';
import type { StaffStats } from './staff.js';

export interface FastDayOptions {
  sites: readonly Site[];
  scenario: Scenario;
  /** First simulated instant (epoch ms), usually a local midnight. */
  startMs: number;
  minutes: number;
  /** Simulated time between two observer turns. */
  stepMs?: number;
  /** Sites with a tablet; default: the scenario's staffed share. */
  staffed?: number[];
  /** Called before the day starts, e.g. to set a site's carrier bias. */
  prepare?: (sim: Simulation) => void;
  /** Called about every simulated hour. */
  progress?: (minute: number, sim: Simulation) => void;
}

export interface DayResult {
  scenario: Scenario;
  sites: readonly Site[];
  recorder: Recorder;
  staffed: Set<number>;
  staff: StaffStats;
  carrier: CarrierStats;
  intents: Simulation['intentStats'];
  carrierBias: Float64Array;
  /** Service rate per lane of each site as simulated. */
  rates: Float64Array;
  /** Residents still queued when the drain gave up (should be 0). */
  unsettled: number;
  wallMs: number;
}

/** After the last minute nobody new comes; queues are served out for at most this long. */
const DRAIN_MS = 4 * 3600_000;

export async function runFastDay(opts: FastDayOptions): Promise<DayResult> {
  const t0 = performance.now();
  const stepMs = opts.stepMs ?? 20_000;
  // Observers act and the view is read on whole minutes; steps must land on them.
  if (60_000 % stepMs !== 0 || opts.startMs % 60_000 !== 0)
    throw new Error('startMs must be a whole minute and stepMs divide a minute');
  const fast = await startFastApp(opts.sites, opts.startMs);
  const api = new ShortlineApi(fast.url);
  try {
    let recorder: Recorder | undefined;
    const sim = new Simulation({
      sites: opts.sites,
      scenario: opts.scenario,
      api,
      adminToken: fast.adminToken,
      carrierKey: fast.carrierKey,
      timezone: fast.config.timezone,
      defaultRate: fast.config.serviceRate,
      startMs: opts.startMs,
      hooks: (view) => (recorder = new Recorder(view, opts.startMs, opts.minutes, fast.config.levelMinutes)),
    });
    opts.prepare?.(sim);
    const staffed = await sim.enrol(opts.staffed);
    const rec = recorder!;
    const city = sim.city;
    const endMs = opts.startMs + opts.minutes * 60_000;
    for (let t = opts.startMs; t < endMs; t += stepMs) {
      fast.setTime(t);
      await sim.observe();
      if (t % 60_000 === 0) {
        await sim.refreshView();
        rec.sampleMinute(
          t,
          (i) => city.queues[i]!.waiting,
          (i) => city.accepting[i] === 1,
        );
        const m = (t - opts.startMs) / 60_000;
        if (m % 60 === 0) opts.progress?.(m, sim);
      }
      sim.advance(t + stepMs);
    }
    city.generating = false;
    while (!city.settled && sim.now < endMs + DRAIN_MS) sim.advance(sim.now + 60_000);
    return {
      scenario: opts.scenario,
      sites: opts.sites,
      recorder: rec,
      staffed: new Set(staffed),
      staff: sim.staff.stats,
      carrier: sim.carrier.stats,
      intents: sim.intentStats,
      carrierBias: sim.carrier.bias,
      rates: city.rates,
      unsettled: city.totalWaiting(),
      wallMs: performance.now() - t0,
    };
  } finally {
    api.close();
    await fast.close();
  }
}
