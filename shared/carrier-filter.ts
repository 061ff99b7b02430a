// Each carrier reading as it arrives, per site (issue 14): a local-level Kalman filter of the count,
// the reading noise learned from the readings themselves, and Holt's level and trend. All of it
// is kept in the site's calibration, so every instance sharing one store reads the same.
import { calibrationParams, ESTIMATOR, r4, readingNoise, type Calibration, type CarrierPrior } from './estimator.js';

/** How much the filtered count's variance grows per minute at a site serving `flow` people/min. */
const filterMove = (a: number, flow: number) => ESTIMATOR.filterMoveShare * a * a * Math.max(flow, 0);

/**
 * One reading into the site's filter: the filtered count moves towards it by the weight its noise
 * leaves it (the site's learned reading noise). A reading more than 1.5 sd off is down-weighted (Huber);
 * one beyond the gate is passed over, and a second in a row is taken (the crowd really moved).
 */
function filterCarrier(
  cal: Calibration,
  people: number,
  atMs: number,
  prior: CarrierPrior,
  flow: number,
): Pick<Calibration, 'filtered' | 'noise'> {
  const noise = Math.max(readingNoise(0), cal.noise ?? readingNoise(people));
  const f = cal.filtered;
  if (!f || atMs - f.at > ESTIMATOR.holtMaxGapMin * 60_000)
    return { filtered: { m: people, v: noise, at: atMs }, noise };
  const dt = (atMs - f.at) / 60_000;
  if (dt <= 0) return { filtered: f, noise };
  const predicted = f.v + filterMove(calibrationParams(cal, prior).a, flow) * dt;
  const innovation = people - f.m;
  const z = Math.abs(innovation) / Math.sqrt(predicted + noise);
  if (z > ESTIMATOR.gate && !f.passed) return { filtered: { m: f.m, v: r4(predicted), at: atMs, passed: true }, noise };
  const w = z > ESTIMATOR.huber ? ESTIMATOR.huber / z : 1;
  const k = predicted / (predicted + noise / w);
  return { filtered: { m: r4(f.m + k * innovation), v: r4((1 - k) * predicted), at: atMs }, noise: cal.noise };
}

/**
 * Each carrier reading updates the site's filter (`filtered`) and learned reading noise, and
 * Holt's smoothing (level and trend: the trend the readings show, for comparing the sources).
 * `flow` is the site's throughput (people/min): how fast its crowd may move.
 */
export function smoothCarrier(
  prev: Calibration | null,
  people: number,
  atMs: number,
  prior: CarrierPrior,
  flow: number,
): Calibration {
  const start: Calibration = prev ?? { ratio: r4(1 / prior.a), samples: 0 };
  const base: Calibration = { ...start, ...filterCarrier(start, people, atMs, prior, flow) };
  if (base.level === undefined || base.at === undefined || base.trend === undefined) {
    return { ...base, level: people, trend: 0, at: atMs };
  }
  const dt = (atMs - base.at) / 60_000;
  if (dt <= 0) return dt === 0 ? { ...base, level: people } : base;
  if (dt > ESTIMATOR.holtMaxGapMin) return { ...base, level: people, trend: 0, at: atMs };
  const forecast = base.level + base.trend * dt;
  const level = forecast + ESTIMATOR.holtLevel * (people - forecast);
  const trend = base.trend + ESTIMATOR.holtTrend * ((level - base.level) / dt - base.trend);
  // The reading noise, from Holt's one-step residuals (somewhat wider than the noise itself).
  const residual = (people - forecast) ** 2 / ESTIMATOR.noiseResidualFactor;
  const noise =
    base.noise === undefined ? readingNoise(people) : base.noise + ESTIMATOR.noiseWeight * (residual - base.noise);
  return { ...base, level: r4(level), trend: r4(trend), at: atMs, noise: r4(noise) };
}
