// The per-site estimator (issue 14): a scalar Kalman-style filter of the queue, computed lazily
// from the stored raw state so that every instance sharing one store computes the same answer.
//
// - The latest staff count is the prior: precise when taken (a count by eye, ~8% + 1 person),
//   moved forward to "now" with the trend the carrier shows, its variance growing with age
//   (random arrivals and services, plus the uncertainty of the trend itself).
// - The carrier's readings are filtered as they arrive (a local-level Kalman filter, kept in the
//   calibration): the filtered count is an observation of people = a x (queue + in service) + b,
//   inverted to a queue with a variance that comes from the filter's and from the uncertainty of
//   a and b. How noisy one reading is, is learned per site (passers-by differ by street).
// - The two are combined by their variances; an observation more than GATE standard deviations
//   from the prior is not believed. The wait range and confidence come from the final variance.
// - a and b are learned per site by recursive least squares with forgetting (drift through the
//   day), Huber-weighted and gated (outliers), bounded; their covariance is the calibration's own
//   uncertainty, so a site never checked against a staff count shows a wide range.
// - The service rate per open lane and the throughput seen are learned from consecutive cumulative
//   `served` counters (service-rate.ts).
//
// Everything learned lives in the site's `calibration` value (one opaque JSON value in the stores).

/** Learned per-site parameters; every field but the legacy pair is optional (older stored values). */
export interface Calibration {
  /** Legacy: queue per counted person (1 / a); kept so older readers and stored values still work. */
  ratio: number;
  /** Overlap samples (a staff count with a carrier reading close in time) the calibration has seen. */
  samples: number;
  /** people = a x (queue + in service) + b */
  a?: number;
  b?: number;
  /** Covariance of (a, b). */
  paa?: number;
  pbb?: number;
  pab?: number;
  /** Smoothed carrier reading (Holt): level (people), trend (people/min) at `at` (epoch ms). */
  level?: number;
  trend?: number;
  at?: number;
  /** Learned service rate per open lane (people/min), its sample count and variance. */
  rate?: { perLane: number; samples: number; variance: number };
  /**
   * The site's throughput seen between the last two `served` counters (people/min, over `minutes`,
   * ending at the staff count observed at `at`): what the site really served, whatever lanes the
   * tablet said were open.
   */
  served?: { perMin: number; minutes: number; at: number };
  /** Variance of one carrier reading (people squared), learned per site from the readings. */
  noise?: number;
  /**
   * The carrier's readings filtered (people): mean, variance, the last reading's time (epoch ms),
   * and whether that reading was passed over as an outlier.
   */
  filtered?: { m: number; v: number; at: number; passed?: boolean };
}

export const ESTIMATOR = {
  /** Relative standard deviation of a staff count by eye, plus one person either way. */
  staffRel: 0.08,
  staffAbs: 1,
  /** Arrivals and services are roughly Poisson: variance per minute ~ this x lanes x rate. */
  processPerThroughput: 1,
  /** Without a carrier trend, how fast a queue may drift: sd of the trend, as a share of throughput. */
  trendSdShare: 0.35,
  /** With a carrier trend: its sd as a share of the trend plus a floor (people/min). */
  carrierTrendRel: 0.5,
  carrierTrendFloor: 0.5,
  /** Relative noise of one smoothed carrier reading, plus a floor (people). */
  carrierRel: 0.1,
  carrierAbs: 3,
  /** Prior of a (phones per person present) and b (passers-by), and their standard deviations. */
  a0: 2,
  aSd0: 0.6,
  b0: 5,
  bSd0: 25,
  aBounds: [0.3, 10] as const,
  bBounds: [0, 1000] as const,
  /** RLS forgetting per overlap sample: ~10 samples of memory, so a drifting bias is followed. */
  forget: 0.9,
  /** Huber threshold and outlier gate, in standard deviations of the innovation. */
  huber: 1.5,
  gate: 3.5,
  /** Holt smoothing of carrier readings (level, trend). */
  holtLevel: 0.5,
  holtTrend: 0.2,
  /** Readings further apart than this restart the trend. */
  holtMaxGapMin: 10,
  useTrend: false as boolean,
  /** Learned reading noise: weight of each new squared residual (about 20 readings of memory). */
  noiseWeight: 0.05,
  /** Holt's one-step residual is wider than the reading noise itself by about this factor. */
  noiseResidualFactor: 1.5,
  /** Filtered count's variance growth a minute, x a^2 x flow (Poisson alone: 1; queues surge). */
  filterMoveShare: 3,
  /** The wait range is this many standard deviations either side (~85% two-sided). */
  rangeZ: 1.45,
  /** Confidence = P(|error| <= this many minutes), under the estimate's normal error. */
  confidenceMinutes: 5,
  /** Learned service rate: samples before it is used, weight floor, bounds (people/min/lane). */
  rateMinSamples: 3,
  rateMinWeight: 0.15,
  rateBounds: [0.1, 30] as const,
  /** Two served counters further apart than this (or closer) say little about the rate. */
  rateGapMin: [3, 90] as const,
  /** Relative error of lanes x rate as the site's throughput (lanes misreported, rate off). */
  throughputModelRel: 0.3,
  /** The counters overrule lanes x rate only beyond this many sd (noise plus this share of it). */
  throughputGate: 2,
  throughputAgreeRel: 0.1,
} as const;

export const clamp = (n: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, n));
/** Four decimals: what learned values are stored with. */
export const r4 = (n: number) => Math.round(n * 10_000) / 10_000;

/**
 * What a site's (a, b) is believed to be before its own overlap samples say otherwise: the
 * configured ratio at first, then the city's (cityPrior) once enough sites have been calibrated.
 */
export interface CarrierPrior {
  a: number;
  b: number;
  /** Variances of a and b across sites: how far one site may be from the prior. */
  paa: number;
  pbb: number;
}

/** The prior from configuration alone (CARRIER_RATIO: queue per counted person). */
export function priorFromRatio(defaultRatio: number): CarrierPrior {
  const a = defaultRatio > 0 ? 1 / defaultRatio : ESTIMATOR.a0;
  return { a, b: ESTIMATOR.b0, paa: ESTIMATOR.aSd0 ** 2, pbb: ESTIMATOR.bSd0 ** 2 };
}

export const CITY_PRIOR = {
  /** A site counts towards the city's prior after this many overlap samples. */
  minSamples: 5,
  /** Sites needed before the city's prior replaces the configured one. */
  minSites: 5,
  /**
   * The spread between sites is never taken as less than the configured prior's: early on the
   * calibrated sites have barely moved from one start, which says nothing about how sites differ,
   * and a prior too sure of itself would stop a new site from learning its own (a, b).
   */
  aSdFloor: ESTIMATOR.aSd0,
  bSdFloor: ESTIMATOR.bSd0,
} as const;

const median = (xs: number[]): number => {
  const v = [...xs].sort((x, y) => x - y);
  const m = v.length >> 1;
  return v.length % 2 ? v[m]! : (v[m - 1]! + v[m]!) / 2;
};

/**
 * The city's prior, learned from the sites whose carrier readings have been checked against staff
 * counts (empirical Bayes): the median (a, b) of those sites, with the spread between them (a
 * robust standard deviation, never less than a floor) as the variance a new site is given. A site
 * the carrier alone sees then starts from what phones per person and passers-by usually are in
 * this city, not from a configured guess; until CITY_PRIOR.minSites sites qualify, the fallback.
 */
export function cityPrior(calibrations: Iterable<Calibration | null>, fallback: CarrierPrior): CarrierPrior {
  const as: number[] = [];
  const bs: number[] = [];
  for (const c of calibrations) {
    if (!c || c.a === undefined || c.b === undefined || c.samples < CITY_PRIOR.minSamples) continue;
    as.push(c.a);
    bs.push(c.b);
  }
  if (as.length < CITY_PRIOR.minSites) return fallback;
  const a = median(as);
  const b = median(bs);
  // 1.4826 x MAD estimates a normal standard deviation and ignores a few odd sites.
  const aSd = Math.max(CITY_PRIOR.aSdFloor, 1.4826 * median(as.map((x) => Math.abs(x - a))));
  const bSd = Math.max(CITY_PRIOR.bSdFloor, 1.4826 * median(bs.map((x) => Math.abs(x - b))));
  return { a: r4(a), b: r4(b), paa: r4(aSd * aSd), pbb: r4(bSd * bSd) };
}

/** The calibration's (a, b) with covariance, or the prior for a site never calibrated. */
export function calibrationParams(cal: Calibration | null, prior: CarrierPrior) {
  if (cal && cal.a !== undefined && cal.b !== undefined && cal.paa !== undefined && cal.pbb !== undefined) {
    return { a: cal.a, b: cal.b, paa: cal.paa, pbb: cal.pbb, pab: cal.pab ?? 0 };
  }
  // Older stored calibration: only a ratio (queue per person) learned with a few samples. A value
  // with no samples learned nothing (smoothCarrier starts one for the level alone): the prior.
  if (cal && cal.ratio > 0 && cal.samples > 0) {
    return {
      a: clamp(1 / cal.ratio, ...ESTIMATOR.aBounds),
      b: 0,
      paa: (ESTIMATOR.aSd0 / 2) ** 2,
      pbb: 10 ** 2,
      pab: 0,
    };
  }
  return { a: prior.a, b: prior.b, paa: prior.paa, pbb: prior.pbb, pab: 0 };
}

/** People present besides the queue: one being served per open lane while anyone waits. */
export const inService = (queue: number, lanes: number) => (queue > 0 ? lanes : Math.min(lanes, 0.5 * lanes));

/**
 * One overlap sample (a staff count and a carrier reading close in time) updates (a, b) by
 * recursive least squares with forgetting; a Huber weight softens large innovations and a gate
 * drops absurd ones (returned unchanged apart from the sample count).
 */
export function learnCarrier(
  prev: Calibration | null,
  queue: number,
  lanes: number,
  people: number,
  prior: CarrierPrior,
): Calibration {
  const p = calibrationParams(prev, prior);
  const n = queue + inService(queue, lanes);
  const predicted = p.a * n + p.b;
  const e = people - predicted;
  const r = readingNoise(people);
  // x = [n, 1]; P x and x'P x
  const px0 = p.paa * n + p.pab;
  const px1 = p.pab * n + p.pbb;
  const s = n * px0 + px1 + r;
  const z = Math.abs(e) / Math.sqrt(s);
  const base: Calibration = { ...(prev ?? { ratio: 1 / p.a, samples: 0 }), samples: (prev?.samples ?? 0) + 1 };
  if (z > ESTIMATOR.gate && (prev?.samples ?? 0) >= 2) return base;
  const w = z > ESTIMATOR.huber ? ESTIMATOR.huber / z : 1;
  const sEff = n * px0 + px1 + r / w;
  const k0 = px0 / sEff;
  const k1 = px1 / sEff;
  // Posterior covariance before forgetting: P - K x'P.
  const qaa = p.paa - k0 * px0;
  const qbb = p.pbb - k1 * px1;
  const qab = p.pab - k0 * px1;
  let a = p.a + k0 * e;
  let b = p.b + k1 * e;
  // A bound that binds is an equality constraint: the estimate is projected onto it along the
  // posterior covariance, so the other parameter takes up what the bounded one could not. Merely
  // cutting b at 0 would keep the correlated step in a: a carrier that counts fewer people than
  // queue + in service (b "wants" to be negative) then drove a up on every reading it overstated.
  const bC = clamp(b, ...ESTIMATOR.bBounds);
  if (bC !== b && qbb > 0) a -= (qab / qbb) * (b - bC);
  b = bC;
  const aC = clamp(a, ...ESTIMATOR.aBounds);
  if (aC !== a && qaa > 0) b = clamp(b - (qab / qaa) * (a - aC), ...ESTIMATOR.bBounds);
  a = aC;
  const lam = ESTIMATOR.forget;
  // P = (P - K x'P) / lambda, capped at the prior so forgetting never makes it vaguer than knowing nothing.
  const paa = Math.min(qaa / lam, Math.max(prior.paa, ESTIMATOR.aSd0 ** 2));
  const pbb = Math.min(qbb / lam, Math.max(prior.pbb, ESTIMATOR.bSd0 ** 2));
  const pab = qab / lam;
  const lim = Math.sqrt(paa * pbb) * 0.99;
  return {
    ...base,
    ratio: r4(1 / a),
    a: r4(a),
    b: r4(b),
    paa: Math.max(1e-6, paa),
    pbb: Math.max(1e-4, pbb),
    pab: clamp(pab, -lim, lim),
  };
}

/** The variance of one carrier reading before a site's own readings have shown theirs. */
export const readingNoise = (people: number) => (ESTIMATOR.carrierRel * people + ESTIMATOR.carrierAbs) ** 2;

export interface Estimate {
  queue: number;
  variance: number;
  /** Queue change per minute. */
  trend: number;
  source: 'staff' | 'carrier';
}

export interface StaffObs {
  queue: number;
  ageMin: number;
}
export interface CarrierObs {
  people: number;
  ageMin: number;
  confidence: number | null;
}

/**
 * The queue the carrier implies now, with its variance: from the site's filtered count, or from the
 * reading alone with the assumed noise (`filtered` false, or a calibration stored before the filter).
 */
export function carrierQueue(
  cal: Calibration | null,
  obs: CarrierObs,
  lanes: number,
  prior: CarrierPrior,
  filtered = true,
) {
  const p = calibrationParams(cal, prior);
  // The smoothed trend (Holt) moves an aged staff count only with useTrend (measured worse).
  const smoothed = cal?.level !== undefined && cal.trend !== undefined;
  const trendPeople = smoothed && ESTIMATOR.useTrend ? cal!.trend! : 0;
  const f = filtered ? cal?.filtered : undefined;
  const people = f ? f.m : obs.people;
  // Not grown with the reading's age: readings come every minute and go stale after a few, and a
  // variance that grew every minute would change every site's range at each minute's sweep.
  const noise = f ? f.v : readingNoise(obs.people);
  const present = Math.max(0, (people - p.b) / p.a);
  const queue = Math.max(0, present - lanes);
  // Delta method on present = (people - b) / a.
  const variance = (noise + p.pbb + present * present * p.paa + 2 * present * p.pab) / (p.a * p.a);
  return {
    queue,
    variance: Math.max(variance, 1),
    trend: trendPeople / p.a,
    trendVar: ((ESTIMATOR.carrierTrendRel * trendPeople) / p.a) ** 2 + ESTIMATOR.carrierTrendFloor ** 2,
  };
}

/** The staff count moved forward to now, with the variance its age adds and the trend used. */
function agedStaff(staff: StaffObs, c: ReturnType<typeof carrierQueue> | null, throughput: number) {
  const t = staff.ageMin;
  // The trend: what the carrier shows, else unknown around zero; a queue cannot drain faster than it is served.
  const trend = c ? clamp(c.trend, -throughput, 2 * throughput) : 0;
  const trendVar = c ? c.trendVar : (ESTIMATOR.trendSdShare * throughput) ** 2;
  const q0 = staff.queue;
  const variance =
    (ESTIMATOR.staffRel * q0 + ESTIMATOR.staffAbs) ** 2 +
    ESTIMATOR.processPerThroughput * throughput * t +
    trendVar * t * t;
  return { queue: Math.max(0, q0 + trend * t), variance, trend };
}

/**
 * How far apart the two sources are now: the carrier's queue and the staff count aged forward,
 * and the distance in standard deviations of their difference. A count that is merely old (a busy
 * site drains ten people in a few minutes, a surge adds as many) is not a disagreement, however
 * different the numbers look.
 */
export function sourcesApart(
  staff: StaffObs,
  carrier: CarrierObs,
  cal: Calibration | null,
  lanes: number,
  throughput: number,
  prior: CarrierPrior,
): { carrierQueue: number; z: number } {
  // The latest reading, not the filtered count: the question is what the carrier sees now, and a
  // filter slow to believe a sudden change would hide the very gap this flags.
  const c = carrierQueue(cal, carrier, lanes, prior, false);
  // The trend the carrier's readings show, even where the estimate does not follow it (useTrend):
  // a queue rising that fast since the count explains a gap of that size.
  const seen = cal?.level !== undefined && cal.trend !== undefined ? cal.trend / calibrationParams(cal, prior).a : 0;
  const aged = agedStaff(staff, { ...c, trendVar: c.trendVar + seen * seen }, throughput);
  return { carrierQueue: c.queue, z: Math.abs(c.queue - aged.queue) / Math.sqrt(aged.variance + c.variance) };
}

/**
 * Combines a staff count (aged forward) and a carrier reading into one estimate, or null when
 * neither is given. `throughput` is lanes x rate (people/min).
 */
export function estimateQueue(
  staff: StaffObs | null,
  carrier: CarrierObs | null,
  cal: Calibration | null,
  lanes: number,
  throughput: number,
  prior: CarrierPrior,
): Estimate | null {
  const c = carrier ? carrierQueue(cal, carrier, lanes, prior) : null;
  if (!staff) return c ? { queue: c.queue, variance: c.variance, trend: c.trend, source: 'carrier' } : null;
  const { queue, variance, trend } = agedStaff(staff, c, throughput);
  if (!c) return { queue, variance, trend, source: 'staff' };
  const innovation = c.queue - queue;
  const s = variance + c.variance;
  if (Math.abs(innovation) > ESTIMATOR.gate * Math.sqrt(s)) return { queue, variance, trend, source: 'staff' };
  const k = variance / s;
  return {
    queue: Math.max(0, queue + k * innovation),
    variance: (1 - k) * variance,
    trend,
    source: k > 0.5 ? 'carrier' : 'staff',
  };
}

/** Standard normal error function (Abramowitz-Stegun 7.1.26, |error| < 1.5e-7). */
function erf(x: number): number {
  const sgn = Math.sign(x);
  const t = 1 / (1 + 0.3275911 * Math.abs(x));
  const y =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return sgn * y;
}

/** Wait range [lo, hi] (minutes) and confidence from an estimate. */
export function waitSpread(
  est: Estimate,
  throughput: number,
): { range: [number, number]; confidence: number; wait: number } {
  const wait = est.queue / throughput;
  const sd = Math.sqrt(est.variance) / throughput;
  const lo = Math.max(0, Math.floor(wait - ESTIMATOR.rangeZ * sd));
  const hi = Math.max(lo, Math.ceil(wait + ESTIMATOR.rangeZ * sd));
  const confidence = sd === 0 ? 1 : erf(ESTIMATOR.confidenceMinutes / (sd * Math.SQRT2));
  return { range: [lo, hi], confidence: Math.round(Math.min(0.99, confidence) * 100) / 100, wait };
}
