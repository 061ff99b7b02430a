import { describe, expect, it } from 'vitest';
import {
  emptyRaw,
  fuse,
  fuseContext,
  sourceGap,
  updateCalibration,
  type FusionConfig,
  type RawSiteState,
  type StaffRecord,
} from './domain.js';
import { smoothCarrier } from './carrier-filter.js';
import { carrierQueue, cityPrior, learnCarrier, priorFromRatio, type Calibration } from './estimator.js';
import { learnRate, serviceRate, throughputNow } from './service-rate.js';
import type { Site } from './schemas.js';

const P = priorFromRatio(0.5);

const cfg: FusionConfig = {
  staffStaleMs: 15 * 60_000,
  carrierStaleMs: 5 * 60_000,
  levelMinutes: [15, 30],
  serviceRatePerLane: 2,
  timezone: 'Asia/Shanghai',
  defaultCarrierRatio: 0.5,
};
const NOW = Date.parse('2026-11-22T02:00:00Z');
const MIN = 60_000;
/** A two-lane site serving 2 a minute per lane. */
const FLOW = 4;
const site: Site = { id: 's1', name: 'S', district: 'D', lat: 22.5, lng: 113, lanes: 2 };
const staff = (over: Partial<StaffRecord> = {}): StaffRecord => ({
  reportId: 'rep-00001',
  queue: 40,
  lanesOpen: 2,
  status: 'open',
  pauseReason: null,
  note: null,
  observedAt: NOW,
  ...over,
});
const raw = (over: Partial<RawSiteState> = {}): RawSiteState => ({ ...emptyRaw(), ...over });

/** A small deterministic generator, so the noisy feeds below are the same every run. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}
const gauss = (r: () => number) => Math.sqrt(-2 * Math.log(r() + 1e-12)) * Math.cos(2 * Math.PI * r());

describe('estimator: a staff count ageing', () => {
  it('when a staff count is followed by silence, then the range widens and confidence falls with its age', () => {
    const r = raw({ staff: staff() });
    const widths: number[] = [];
    const conf: number[] = [];
    for (const age of [0, 3, 6, 10, 14]) {
      const l = fuse(site, r, fuseContext(NOW + age * MIN, cfg));
      expect(l.source).toBe('staff');
      widths.push(l.waitRange![1] - l.waitRange![0]);
      conf.push(l.confidence!);
    }
    for (let i = 1; i < widths.length; i++) {
      expect(widths[i]).toBeGreaterThanOrEqual(widths[i - 1]!);
      expect(conf[i]).toBeLessThanOrEqual(conf[i - 1]!);
    }
    expect(widths.at(-1)).toBeGreaterThan(widths[0]! + 3);
    // Past the stale limit nothing fresh supports a number.
    expect(fuse(site, r, fuseContext(NOW + 16 * MIN, cfg)).source).toBe('none');
  });
});

describe('comparing the sources', () => {
  it('when the carrier shows a steep rise since the staff count, then a gap that size is not called a disagreement', () => {
    // Calibrated a = 2, b = 5; the count said 20 ten minutes ago; the carrier now reads a queue of 60.
    const cal = (trend: number): Calibration => ({
      ...{ ratio: 0.5, samples: 10, a: 2, b: 5, paa: 0.01, pbb: 4, pab: 0 },
      ...{ level: 2 * (60 + 2) + 5, trend: 2 * trend, at: NOW + 10 * MIN },
    });
    const carrier = { people: 2 * (60 + 2) + 5, observedAt: NOW + 10 * MIN, confidence: 0.7 };
    const gap = (trend: number) =>
      sourceGap(
        site,
        raw({ staff: staff({ queue: 20 }), carrier, calibration: cal(trend) }),
        fuseContext(NOW + 10 * MIN, cfg),
      )!;
    // Flat readings: 40 people apart is far beyond what ten minutes explain.
    expect(gap(0)).toMatchObject({ staffQueue: 20, carrierQueue: 60 });
    expect(gap(0).z).toBeGreaterThan(2);
    // Readings rising 4 people a minute: exactly what ten minutes of that adds.
    expect(gap(4).z).toBeLessThan(2);
  });
});

describe('estimator: carrier calibration', () => {
  it('when the phones-per-person bias drifts through the day, then the calibration tracks it', () => {
    const r = rng(7);
    let cal: Calibration | null = null;
    const lanes = 2;
    const errors: number[] = [];
    const frozenErrors: number[] = [];
    let frozen: Calibration | null = null;
    // Eight hours; bias drifts from 1.6 to 3.2 phones per person; 20 passers-by; staff every 15 min.
    for (let m = 0; m < 480; m++) {
      const bias = 1.6 + 1.6 * (m / 480);
      const queue = Math.round(30 + 25 * Math.sin(m / 40));
      const people = Math.max(0, Math.round(bias * (queue + lanes) * (1 + 0.08 * gauss(r)) + 20 * (0.5 + r())));
      cal = smoothCarrier(cal, people, NOW + m * MIN, P, FLOW);
      if (m % 15 === 0) {
        const counted = Math.max(0, Math.round(queue * (1 + 0.08 * gauss(r))));
        cal = updateCalibration(
          cal,
          { queue: counted, observedAt: NOW + m * MIN, status: 'open', lanesOpen: lanes },
          { people, observedAt: NOW + m * MIN },
          lanes,
          P,
        );
      }
      if (m === 60) frozen = cal;
      if (m > 360) {
        const est = carrierQueue(cal, { people, ageMin: 0, confidence: null }, lanes, P);
        errors.push(Math.abs(est.queue - queue));
        // What the first hour's calibration, never updated again, would say of the same filtered count.
        const old = carrierQueue(
          { ...frozen!, level: people, trend: 0, filtered: cal!.filtered, noise: cal!.noise },
          { people, ageMin: 0, confidence: null },
          lanes,
          P,
        );
        frozenErrors.push(Math.abs(old.queue - queue));
      }
    }
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(errors)).toBeLessThan(6);
    expect(mean(errors)).toBeLessThan(mean(frozenErrors) / 2);
  });
  it('when the carrier counts fewer people than queue + in service (no passers-by to learn), then a does not run away', () => {
    // People = 2 x the queue only: the best line through (queue + lanes, people) has b < 0, which
    // the bounds forbid. Cutting b at 0 without moving a drove a up to 3-4 on every overstated
    // reading, and the carrier then read queues at a third of their size.
    const r = rng(11);
    const lanes = 3;
    let cal: Calibration | null = null;
    const errors: number[] = [];
    for (let k = 0; k < 40; k++) {
      const m = k * 10;
      const queue = Math.round(5 + 40 * (0.5 + 0.5 * Math.sin(m / 50)) * (0.85 + 0.3 * r()));
      const people = Math.round(2 * queue * (0.9 + 0.2 * r()));
      cal = smoothCarrier(cal, people, NOW + m * MIN, P, FLOW);
      cal = updateCalibration(
        cal,
        { queue, observedAt: NOW + m * MIN, status: 'open', lanesOpen: lanes },
        { people, observedAt: NOW + m * MIN },
        lanes,
        P,
      );
      if (k >= 20)
        errors.push(Math.abs(carrierQueue(cal, { people, ageMin: 0, confidence: null }, lanes, P).queue - queue));
      expect(cal!.a!).toBeLessThan(2.1);
    }
    expect(cal!.b!).toBeGreaterThanOrEqual(0);
    const mean = errors.reduce((x, y) => x + y, 0) / errors.length;
    expect(mean).toBeLessThan(4);
  });

  it('when one reading is absurd, then it is not believed: the calibration keeps its values and the estimate stays with staff', () => {
    let cal: Calibration | null = null;
    for (let i = 0; i < 12; i++) cal = learnCarrier(cal, 30, 2, 2 * 32 + 10, P);
    const before = { a: cal!.a, b: cal!.b };
    const after = learnCarrier(cal, 30, 2, 5_000, P);
    expect({ a: after.a, b: after.b }).toEqual(before);
    const l = fuse(
      site,
      raw({
        staff: staff({ queue: 30, observedAt: NOW - 2 * MIN }),
        carrier: { people: 5_000, confidence: 0.9, observedAt: NOW },
        calibration: cal,
      }),
      fuseContext(NOW, cfg),
    );
    expect(l.source).toBe('staff');
    expect(Math.abs(l.queue! - 30)).toBeLessThanOrEqual(2);
  });
  it('when a site was never checked against a staff count, then its range is wide and its confidence low, and calibration narrows both', () => {
    const uncal = fuse(
      site,
      raw({ carrier: { people: 120, confidence: null, observedAt: NOW } }),
      fuseContext(NOW, cfg),
    );
    let cal: Calibration | null = null;
    for (let i = 0; i < 10; i++) cal = learnCarrier(cal, 50, 2, Math.round(2.4 * 52 + 15), P);
    const calibrated = fuse(
      site,
      raw({ carrier: { people: 120, confidence: null, observedAt: NOW }, calibration: cal }),
      fuseContext(NOW, cfg),
    );
    expect(uncal.source).toBe('carrier');
    expect(uncal.confidence!).toBeLessThan(calibrated.confidence!);
    expect(uncal.waitRange![1] - uncal.waitRange![0]).toBeGreaterThan(
      2 * (calibrated.waitRange![1] - calibrated.waitRange![0]),
    );
  });
});

describe("estimator: the carrier's readings filtered", () => {
  // A calibrated two-lane site: people = 2.5 x (queue + in service) + passers-by.
  const known: Calibration = { ratio: 0.4, samples: 20, a: 2.5, b: 60, paa: 0.01, pbb: 4, pab: 0 };
  const read = (cal: Calibration, people: number) => carrierQueue(cal, { people, ageMin: 0, confidence: null }, 2, P);
  /** Feeds one reading a minute from `people(m)` for `minutes`, starting from `cal`. */
  const feed = (cal: Calibration, minutes: number, people: (m: number) => number, from = 0) => {
    let c = cal;
    for (let m = from; m < from + minutes; m++) c = smoothCarrier(c, people(m), NOW + m * MIN, P, FLOW);
    return c;
  };

  it('when passers-by make every reading noisy, then the filtered queue is closer to the truth than the readings, and its range says how noisy they are', () => {
    const r = rng(5);
    const queue = 20;
    // 60 passers-by on average, half of them either way from one minute to the next.
    const people = () => Math.round(2.5 * (queue + 2) + 60 * (0.5 + r()));
    const busy = feed(known, 60, people);
    const quiet = feed(known, 60, () => Math.round(2.5 * (queue + 2) + 60 + 2 * gauss(r)));
    const rawErrors: number[] = [];
    const filteredErrors: number[] = [];
    let cal = busy;
    for (let m = 60; m < 180; m++) {
      const p = people();
      cal = smoothCarrier(cal, p, NOW + m * MIN, P, FLOW);
      rawErrors.push(
        Math.abs(
          carrierQueue({ ...cal, filtered: undefined }, { people: p, ageMin: 0, confidence: null }, 2, P).queue - queue,
        ),
      );
      filteredErrors.push(Math.abs(read(cal, p).queue - queue));
    }
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(filteredErrors)).toBeLessThan(mean(rawErrors) / 2);
    // The noise is learned per site: the busy street's readings are believed less.
    expect(busy.noise!).toBeGreaterThan(10 * quiet.noise!);
    expect(read(busy, 115).variance).toBeGreaterThan(2 * read(quiet, 115).variance);
  });
  it('when one reading is far off, then it is not believed; when the crowd really grows, the filter follows within a few readings', () => {
    const steady = feed(known, 30, () => 2.5 * 22 + 60);
    expect(read(steady, 115).queue).toBeCloseTo(20, 0);
    // A coach stops at the door for one minute: 120 more phones.
    const odd = smoothCarrier(steady, 235, NOW + 30 * MIN, P, FLOW);
    expect(read(odd, 235).queue).toBeLessThan(24);
    // The queue really grows from 20 to 60 and stays there.
    const grown = feed(steady, 6, () => 2.5 * 62 + 60, 30);
    expect(read(grown, 215).queue).toBeGreaterThan(52);
  });
});

describe('estimator: service rate', () => {
  it('when a site reports cumulative served counts, then its learned rate per lane converges on the true rate', () => {
    const r = rng(3);
    const trueRate = 1.4;
    const lanes = 3;
    let cal: Calibration | null = null;
    let served = 0;
    let prev = { served, queue: 20, lanes, observedAt: NOW, status: 'open' };
    for (let k = 1; k <= 30; k++) {
      const dt = 8 + Math.floor(r() * 10);
      served += Math.round(trueRate * lanes * dt * (1 + 0.1 * gauss(r)));
      const next = {
        served,
        queue: 15 + Math.floor(r() * 20),
        lanes,
        observedAt: prev.observedAt + dt * MIN,
        status: 'open',
      };
      cal = learnRate(cal, prev, next, P) ?? cal;
      prev = next;
    }
    const rate = serviceRate(site, cal, 2);
    expect(rate.learned).toBe(true);
    expect(Math.abs(rate.perLane - trueRate) / trueRate).toBeLessThan(0.08);
    // Until there is evidence, the configured rate stands.
    expect(serviceRate({ ...site, serviceRatePerLane: 1.7 }, null, 2)).toEqual({
      perLane: 1.7,
      learned: false,
      samples: 0,
    });
  });
  it('when the queue was empty or the counter went back, then no rate is learned (that shows demand, not service)', () => {
    const a = { served: 100, queue: 0, lanes: 2, observedAt: NOW, status: 'open' };
    expect(learnRate(null, a, { ...a, served: 110, observedAt: NOW + 10 * MIN }, P)).toBeNull();
    const b = { ...a, queue: 10 };
    expect(learnRate(null, b, { ...b, served: 50, observedAt: NOW + 10 * MIN }, P)).toBeNull();
    expect(learnRate(null, b, { ...b, served: undefined, observedAt: NOW + 10 * MIN }, P)).toBeNull();
  });
});

describe("the city's carrier prior", () => {
  const learned = (a: number, b: number, samples = 8): Calibration => ({
    ratio: 1 / a,
    samples,
    a,
    b,
    paa: 0.01,
    pbb: 4,
    pab: 0,
  });
  it('when fewer than five sites have been checked against staff counts, then the configured prior stands', () => {
    const cals = [learned(2.5, 40), learned(2.6, 50), learned(2.4, 45), learned(3, 60, 2), null];
    expect(cityPrior(cals, P)).toBe(P);
  });
  it('when enough sites are calibrated, then it is their median (a, b), with their spread but never narrower than the configured prior', () => {
    const cals = [
      learned(2.5, 40),
      learned(2.6, 50),
      learned(2.4, 45),
      learned(2.5, 55),
      learned(9, 500),
      learned(1, 0, 1),
    ];
    const prior = cityPrior(cals, P);
    expect(prior.a).toBe(2.5);
    expect(prior.b).toBe(50);
    expect(prior.paa).toBeCloseTo(P.paa, 4);
    expect(Math.sqrt(prior.pbb)).toBeGreaterThanOrEqual(Math.sqrt(P.pbb) - 1e-6);
  });
  it('when a site has only ever been seen by the carrier, then its reading is read with the prior, not with the first ratio it was stored with', () => {
    // smoothCarrier starts a calibration for the level alone (no overlap samples).
    const levelOnly = smoothCarrier(null, 100, NOW, P, FLOW);
    expect(levelOnly.samples).toBe(0);
    const city = { a: 2.5, b: 50, paa: P.paa, pbb: P.pbb };
    const obs = { people: 100, ageMin: 0, confidence: null };
    // 100 people counted = 2.5 x (queue + 2 in service) + 50 passers-by: 18 waiting.
    expect(carrierQueue(levelOnly, obs, 2, city).queue).toBeCloseTo(18, 5);
    // The configured prior (2 phones per person, 5 passers-by) reads the same 100 as 45.5 waiting.
    expect(carrierQueue(levelOnly, obs, 2, P).queue).toBeCloseTo(45.5, 5);
  });
});

describe('the throughput a wait is computed with', () => {
  const at = NOW;
  const seen = (perMin: number, minutes = 15, when = at): Calibration => ({
    ratio: 0.5,
    samples: 0,
    served: { perMin, minutes, at: when },
  });
  it('when no served counters came with the staff count in use, then it is lanes x rate', () => {
    expect(throughputNow(3, 2, null, at)).toBe(6);
    expect(throughputNow(3, 2, seen(4, 15, at - 15 * MIN), at)).toBe(6);
    expect(throughputNow(3, 2, seen(4), null)).toBe(6);
  });
  it('when the counters agree with lanes x rate within their noise, then lanes x rate stands', () => {
    expect(throughputNow(3, 2, seen(5.6), at)).toBe(6);
  });
  it('when the counters clearly disagree (a lane fewer open than reported), then the wait follows what was served', () => {
    // Two lanes really open at 2 a minute: 60 served in 15 minutes, while the tablet said three.
    const t = throughputNow(3, 2, seen(4), at);
    expect(t).toBeLessThan(4.5);
    expect(t).toBeGreaterThan(4);
  });
  it('when two counters a quarter of an hour apart show people served while others waited, then that throughput is kept', () => {
    const before = { served: 100, queue: 30, lanes: 2, observedAt: NOW, status: 'open' };
    const after = { served: 160, queue: 25, lanes: 2, observedAt: NOW + 15 * MIN, status: 'open' };
    expect(learnRate(null, before, after, P)?.served).toEqual({ perMin: 4, minutes: 15, at: NOW + 15 * MIN });
  });
});
