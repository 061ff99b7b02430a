// The mobile carrier as an observer: once a minute a signed batch with a crowd estimate for every
// site, posted to POST /api/feeds/carrier. An estimate counts phones near the site, so it sees the
// queue and the people being served times a per-site factor (companions, neighbours, the shape of
// the geofence), plus passers-by and noise. Some batches come late, some never, some sites drop out.
import { randomBytes } from 'node:crypto';
import type { CarrierBatch, CarrierReading } from '../../shared/schemas.js';
import type { CarrierKey, ShortlineApi } from './api.js';
import type { City } from './city.js';
import { trafficProfile } from './demand.js';
import { chance, gaussian, lognormal, stream, uniform, type Rng } from './random.js';

export interface CarrierStats {
  batches: number;
  late: number;
  missing: number;
  refused: Record<number, number>;
}

/** A bias drift wave lasts half a day to a day: a slow change, not noise. */
const DRIFT_PERIOD_MIN: readonly [number, number] = [8 * 60, 20 * 60];

/**
 * Passers-by by street: a site on a street with many sites is on a busy street. The busiest street
 * gets the maximum; a site alone on its street (or with none) gets a fifth of it; each site's own
 * spot (a corner, a back yard) varies that by half either way.
 */
function streetPassers(city: City, max: number, rng: Rng): Float64Array {
  const count = new Map<string, number>();
  const key = (i: number) => `${city.sites[i]!.district}|${city.sites[i]!.street ?? ''}`;
  city.sites.forEach((_, i) => count.set(key(i), (count.get(key(i)) ?? 0) + 1));
  const busiest = Math.max(1, ...count.values());
  return Float64Array.from(city.sites, (s, i) => {
    const street = s.street ? count.get(key(i))! / busiest : 0;
    return Math.min(max, max * (0.2 + 0.8 * street) * uniform(rng, 0.5, 1.5));
  });
}

export class CarrierFeed {
  /** Phones per person actually at the site. */
  readonly bias: Float64Array;
  /** Passers-by at the busiest hour. */
  readonly passers: Float64Array;
  /** Phase and period (minutes) of each site's bias drift wave. */
  private readonly driftPhase: Float64Array;
  private readonly driftPeriodMin: Float64Array;
  private readonly confidence: Float64Array;
  private readonly rng: Rng;
  private readonly late: Array<{ sendAt: number; batch: CarrierBatch }> = [];
  private nextMinute: number;
  /** Per site, until when its readings are missing today. */
  private readonly outage: Array<{ fromMs: number; toMs: number } | null>;
  private plannedFor = 0;
  private readonly runId = randomBytes(4).toString('hex');
  readonly stats: CarrierStats = { batches: 0, late: 0, missing: 0, refused: {} };

  constructor(
    private readonly city: City,
    private readonly api: ShortlineApi,
    private readonly key: CarrierKey,
    startMs: number,
  ) {
    const sc = city.scenario;
    const setup = stream(sc.seed, 'carrier-sites');
    this.bias = Float64Array.from(city.sites, () => lognormal(setup, sc.carrierBiasMedian, sc.carrierBiasSigma));
    this.passers = sc.carrierPassersByStreet
      ? streetPassers(city, sc.carrierPassersMax, setup)
      : Float64Array.from(city.sites, () => sc.carrierPassersMax * setup() ** 2);
    this.driftPhase = Float64Array.from(city.sites, () => 2 * Math.PI * setup());
    this.driftPeriodMin = Float64Array.from(city.sites, () => uniform(setup, DRIFT_PERIOD_MIN[0], DRIFT_PERIOD_MIN[1]));
    this.confidence = Float64Array.from(city.sites, () => Math.round(uniform(setup, 0.55, 0.85) * 100) / 100);
    this.rng = stream(sc.seed, 'carrier');
    this.outage = city.sites.map(() => null);
    // The minute in progress is sent at once: a demo shows carrier data from its first seconds.
    this.nextMinute = Math.floor(startMs / 60_000) * 60_000;
  }

  /** Override one site's factor (tests of calibration). */
  setBias(site: number, bias: number, passers = this.passers[site]!): void {
    this.bias[site] = bias;
    this.passers[site] = passers;
  }

  /** Phones per person at a site at `nowMs`: the site's factor moved by its drift wave. */
  biasAt(site: number, nowMs: number): number {
    const drift = this.city.scenario.carrierBiasDrift;
    if (drift === 0) return this.bias[site]!;
    const wave = Math.sin(this.driftPhase[site]! + (2 * Math.PI * (nowMs / 60_000)) / this.driftPeriodMin[site]!);
    return this.bias[site]! * (1 + drift * wave);
  }

  /** What the carrier would estimate for a site now. */
  estimate(site: number, nowMs: number): number {
    const sc = this.city.scenario;
    const q = this.city.queues[site]!;
    const present = q.waiting + (sc.carrierSeesService ? q.inService(nowMs) : 0);
    const traffic = trafficProfile(this.city.local?.minutes ?? 12 * 60);
    const people =
      this.biasAt(site, nowMs) * present * (1 + sc.carrierNoise * gaussian(this.rng)) +
      this.passers[site]! * traffic * uniform(this.rng, 0.5, 1.5);
    return Math.max(0, Math.round(people));
  }

  /** Builds the batch of each minute passed and posts what is due; late batches go out later. */
  async tick(nowMs: number): Promise<void> {
    const sc = this.city.scenario;
    const sends: CarrierBatch[] = [];
    while (this.nextMinute <= nowMs) {
      const observedAt = this.nextMinute;
      this.nextMinute += 60_000;
      if (chance(this.rng, sc.carrierMissingChance)) {
        this.stats.missing += 1;
        continue;
      }
      const batch = this.batch(observedAt);
      if (chance(this.rng, sc.carrierLateChance)) {
        this.stats.late += 1;
        this.late.push({
          sendAt: observedAt + uniform(this.rng, sc.carrierLateS[0], sc.carrierLateS[1]) * 1000,
          batch,
        });
      } else {
        sends.push(batch);
      }
    }
    for (let i = this.late.length - 1; i >= 0; i--) {
      if (this.late[i]!.sendAt <= nowMs) sends.push(this.late.splice(i, 1)[0]!.batch);
    }
    for (const batch of sends) {
      if (batch.readings.length === 0) continue;
      const a = await this.api.carrier(this.key, batch, nowMs);
      this.stats.batches += 1;
      if (a.status !== 200) this.stats.refused[a.status] = (this.stats.refused[a.status] ?? 0) + 1;
    }
  }

  private planOutages(): void {
    const sc = this.city.scenario;
    this.plannedFor = this.city.midnightMs;
    for (let i = 0; i < this.outage.length; i++) {
      if (!chance(this.rng, sc.carrierOutageChance)) {
        this.outage[i] = null;
        continue;
      }
      const fromMs = this.plannedFor + uniform(this.rng, 7 * 60, 21 * 60) * 60_000;
      this.outage[i] = {
        fromMs,
        toMs: fromMs + uniform(this.rng, sc.carrierOutageMin[0], sc.carrierOutageMin[1]) * 60_000,
      };
    }
  }

  private batch(observedAt: number): CarrierBatch {
    if (this.city.midnightMs !== this.plannedFor) this.planOutages();
    const readings: CarrierReading[] = [];
    for (let i = 0; i < this.city.sites.length; i++) {
      const out = this.outage[i];
      if (out && observedAt >= out.fromMs && observedAt < out.toMs) continue;
      // The carrier's feed follows the sites' schedules: a closed site has no crowd worth a reading.
      if (!this.city.accepting[i] && this.city.queues[i]!.length === 0) continue;
      if (chance(this.rng, this.city.scenario.carrierSiteDropChance)) continue;
      readings.push({
        siteId: this.city.sites[i]!.id,
        people: this.estimate(i, observedAt),
        confidence: this.confidence[i]!,
      });
    }
    return { batchId: `sim-${this.runId}-${observedAt}`, observedAt: new Date(observedAt).toISOString(), readings };
  }
}
