// The service side of a site (issue 14): its rate per open lane, learned from consecutive
// cumulative `served` counters, and the throughput a wait is computed with. Learned values live in
// the site's `calibration` (estimator.ts), next to the carrier's.
import { clamp, ESTIMATOR, r4, type Calibration, type CarrierPrior } from './estimator.js';
import type { Site } from './schemas.js';

/**
 * A service-rate sample from two cumulative `served` counters of the same day: people served per
 * minute per open lane, taken only while people waited all along (else the rate seen is demand).
 */
export function learnRate(
  prev: Calibration | null,
  before: { served?: number | null; queue: number; lanes: number; observedAt: number; status: string },
  after: { served?: number | null; queue: number; lanes: number; observedAt: number; status: string },
  prior: CarrierPrior,
): Calibration | null {
  if (before.served == null || after.served == null) return null;
  if (before.status !== 'open' || after.status !== 'open' || before.queue <= 0) return null;
  const dtMin = (after.observedAt - before.observedAt) / 60_000;
  if (dtMin < ESTIMATOR.rateGapMin[0] || dtMin > ESTIMATOR.rateGapMin[1]) return null;
  const servedDelta = after.served - before.served;
  const lanes = (before.lanes + after.lanes) / 2;
  if (servedDelta < 0 || lanes <= 0) return null;
  // The queue may have emptied between the two counts: then only a lower bound; skip it.
  if (after.queue === 0 && servedDelta < before.queue) return null;
  const sample = clamp(servedDelta / dtMin / lanes, ...ESTIMATOR.rateBounds);
  const served = { perMin: r4(servedDelta / dtMin), minutes: r4(dtMin), at: after.observedAt };
  const base: Calibration = { ...(prev ?? { ratio: r4(1 / prior.a), samples: 0 }), served };
  const r = base.rate;
  if (!r) return { ...base, rate: { perLane: r4(sample), samples: 1, variance: r4((0.3 * sample) ** 2) } };
  const w = Math.max(1 / (r.samples + 1), ESTIMATOR.rateMinWeight);
  const perLane = r.perLane + w * (sample - r.perLane);
  const variance = (1 - w) * (r.variance + w * (sample - r.perLane) ** 2);
  return { ...base, rate: { perLane: r4(perLane), samples: r.samples + 1, variance: r4(variance) } };
}

/**
 * People served per minute now: the lanes reported times the rate per lane, combined by their
 * variances with the throughput the last two `served` counters showed when those end at the staff
 * count in use. A lane count misreported by one (two of three open) moves the first by a third; the
 * counters cannot be fooled that way, but are a Poisson count over 10-20 minutes.
 */
export function throughputNow(
  lanes: number,
  perLane: number,
  cal: Calibration | null,
  staffObservedAt: number | null,
): number {
  const model = lanes * perLane;
  const seen = cal?.served;
  if (!seen || staffObservedAt === null || seen.at !== staffObservedAt || seen.perMin <= 0) return model;
  const varSeen = seen.perMin / Math.max(1, seen.minutes);
  // Only a clear disagreement says the lanes or the rate are off; within the count's own noise the
  // model stands (it would otherwise trade a right answer for a noisier one).
  const z = Math.abs(seen.perMin - model) / Math.sqrt(varSeen + (ESTIMATOR.throughputAgreeRel * model) ** 2);
  if (z < ESTIMATOR.throughputGate) return model;
  const varModel = (ESTIMATOR.throughputModelRel * model) ** 2;
  return (model * varSeen + seen.perMin * varModel) / (varSeen + varModel);
}

/** The rate per open lane fusion uses: learned once there is evidence, else configured. */
export function serviceRate(
  site: Site,
  cal: Calibration | null,
  fallback: number,
): { perLane: number; learned: boolean; samples: number } {
  const r = cal?.rate;
  if (r && r.samples >= ESTIMATOR.rateMinSamples) return { perLane: r.perLane, learned: true, samples: r.samples };
  return { perLane: site.serviceRatePerLane ?? fallback, learned: false, samples: r?.samples ?? 0 };
}
