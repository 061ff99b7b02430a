import { describe, expect, it } from 'vitest';
import type { Site } from '../../shared/schemas.js';
import { City } from './city.js';
import { Recorder } from './measure.js';
import { scenario, type Scenario } from './scenario.js';
import { LiveView } from './view.js';

// 2026-11-23 00:00 in Jiangmen (UTC+8), a Monday.
const MIDNIGHT = Date.parse('2026-11-23T00:00:00+08:00');
const STEP_MS = 20_000;

/** Sites 50 km apart: each draws only its own residents, so they are independent samples. */
function isolatedSites(n: number, over: Partial<Site> = {}): Site[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `s${i}`,
    name: `site ${i}`,
    district: i % 2 ? 'A' : 'B',
    lat: 20 + 0.5 * i,
    lng: 113,
    lanes: 1,
    ...over,
  }));
}

/** Nothing but arrivals and service: no incidents, nobody follows an app, nobody gives up. */
const plain = (over: Partial<Scenario>): Scenario =>
  scenario({
    followShare: 0,
    breakChance: 0,
    outageChance: 0,
    shortageChance: 0,
    surges: [],
    patienceMedianMin: 1e9,
    ...over,
  });

function run(sites: Site[], sc: Scenario, minutes: number, profile?: (m: number) => number) {
  const view = new LiveView(sites);
  const rec = new Recorder(view, MIDNIGHT, minutes, [15, 30]);
  const city = new City({ sites, scenario: sc, timezone: 'Asia/Shanghai', defaultRate: 2, view, hooks: rec, profile });
  const end = MIDNIGHT + minutes * 60_000;
  for (let t = MIDNIGHT; t < end; t += STEP_MS) {
    if (t % 60_000 === 0)
      rec.sampleMinute(
        t,
        (i) => city.queues[i]!.waiting,
        (i) => city.accepting[i] === 1,
      );
    city.step(t, t + STEP_MS);
  }
  city.generating = false;
  for (let t = end; !city.settled; t += STEP_MS) city.step(t, t + STEP_MS);
  return { rec, city };
}

/** Mean of the true queue of sites `ids` over minutes [from, to). */
function meanQueue(rec: Recorder, ids: number[], from: number, to: number): number {
  let s = 0;
  let n = 0;
  for (const i of ids) {
    for (let m = from; m < to; m++) {
      const q = rec.trueQueue[i * rec.minutes + m]!;
      if (Number.isFinite(q)) {
        s += q;
        n += 1;
      }
    }
  }
  return s / n;
}

describe('the queue model', () => {
  it("when a site is steady, then its queue obeys Little's law (L = lambda W) and the M/G/1 mean wait", () => {
    const minutes = 12 * 60;
    const sites = isolatedSites(20);
    const rho = 0.85;
    const { rec } = run(sites, plain({ utilisation: [rho, rho] }), minutes, () => 1);
    const a = rec.arrivals;
    let waitSum = 0;
    for (let k = 0; k < a.site.length; k++) waitSum += a.waitMin.get(k);
    const lambda = a.site.length / (sites.length * minutes);
    const W = waitSum / a.site.length;
    const L = meanQueue(
      rec,
      sites.map((_, i) => i),
      0,
      minutes,
    );
    expect(Number.isFinite(W)).toBe(true);
    expect(Math.abs(L - lambda * W) / (lambda * W)).toBeLessThan(0.05);
    // Pollaczek-Khinchine for one lane at 2 a minute, service times uniform within +-40%.
    const meanService = 0.5;
    const cs2 = 0.8 ** 2 / 12;
    const expected = (rho / (1 - rho)) * ((1 + cs2) / 2) * meanService;
    expect(W).toBeGreaterThan(expected * 0.85);
    expect(W).toBeLessThan(expected * 1.15);
  });

  it('when a district has a mass-testing round, then its queues rise during it and drain after it', () => {
    const minutes = 16 * 60;
    const sites = isolatedSites(12, { lanes: 2 });
    const surge = { district: 'A', fromMinute: 10 * 60, toMinute: 12 * 60, factor: 2.5 };
    const sc = { utilisation: [0.5, 0.5] as const, shortageChance: 0 };
    const calm = run(sites, plain(sc), minutes, () => 1).rec;
    const busy = run(sites, plain({ ...sc, surges: [surge] }), minutes, () => 1).rec;
    const inA = sites.map((_, i) => i).filter((i) => sites[i]!.district === 'A');
    const inB = sites.map((_, i) => i).filter((i) => sites[i]!.district === 'B');
    const during = [10 * 60 + 30, 12 * 60] as const;
    expect(meanQueue(busy, inA, ...during)).toBeGreaterThan(3 * meanQueue(calm, inA, ...during) + 5);
    // Other districts are not touched, and an hour and a half after the round the queues are back.
    const calmB = meanQueue(calm, inB, ...during);
    expect(Math.abs(meanQueue(busy, inB, ...during) - calmB)).toBeLessThan(0.3 * calmB + 1);
    const after = [13 * 60 + 30, 15 * 60] as const;
    expect(meanQueue(busy, inA, ...after)).toBeLessThan(2 * meanQueue(calm, inA, ...after) + 2);
  });

  it('when residents see a queue longer than they would wait, then they go home and the queue stops growing', () => {
    const sites = isolatedSites(6);
    const { rec } = run(
      sites,
      plain({ utilisation: [2, 2], patienceMedianMin: 30, patienceSigma: 0.3 }),
      8 * 60,
      () => 1,
    );
    // Twice the capacity arrives: without giving up the queue would reach ~480 people (240 min).
    expect(rec.gaveUpCount.nearest).toBeGreaterThan(1000);
    const late = meanQueue(
      rec,
      sites.map((_, i) => i),
      6 * 60,
      8 * 60,
    );
    expect(late).toBeGreaterThan(40);
    expect(late).toBeLessThan(100);
  });

  it('when a site has opening hours, then nobody joins outside them and the queue is served out after closing', () => {
    const sites = isolatedSites(4, { hours: [{ open: '08:00', close: '12:00' }] });
    const { rec } = run(sites, plain({ utilisation: [1.2, 1.2] }), 16 * 60, () => 1);
    const a = rec.arrivals;
    for (let k = 0; k < a.site.length; k++) {
      expect(a.atMin.get(k)).toBeGreaterThanOrEqual(8 * 60);
      expect(a.atMin.get(k)).toBeLessThan(12 * 60);
      expect(Number.isFinite(a.waitMin.get(k))).toBe(true);
    }
    // Overloaded, so people are still queuing at noon; they are served, nobody new joins.
    expect(meanQueue(rec, [0, 1, 2, 3], 12 * 60, 12 * 60 + 1)).toBeGreaterThan(5);
  });
});

describe('the oracle bound (followers who see every true queue)', () => {
  /** Six sites in a 600 m cluster, some overloaded and some idle: choosing well matters. */
  const cluster: Site[] = Array.from({ length: 6 }, (_, i) => ({
    id: `c${i}`,
    name: `site ${i}`,
    district: 'A',
    lat: 22.58 + 0.002 * (i % 3),
    lng: 113.08 + 0.002 * Math.floor(i / 3),
    lanes: 1,
  }));
  const meanWait = (rec: Recorder) => {
    const a = rec.arrivals;
    let s = 0;
    for (let k = 0; k < a.site.length; k++) s += a.waitMin.get(k);
    return s / a.site.length;
  };
  // About as much demand as the six can serve together, but three alone get more than they can.
  const world = { utilisation: [0.1, 1.3] as const, homeRadiusM: 200 };

  it('when followers rank on the true queues, then they leave long queues for short ones nearby and wait far less', () => {
    const nobody = run(cluster, plain(world), 4 * 60, () => 1).rec;
    const oracle = run(cluster, plain({ ...world, followShare: 1, followersSeeTruth: true }), 4 * 60, () => 1).rec;
    expect(meanWait(oracle)).toBeLessThan(0.5 * meanWait(nobody));
    // Without a server the view is empty: ordinary followers can only go to their nearest site.
    const blind = run(cluster, plain({ ...world, followShare: 1 }), 4 * 60, () => 1).rec;
    expect(meanWait(blind)).toBeCloseTo(meanWait(nobody), 5);
  });
});
