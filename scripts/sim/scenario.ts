import { z } from 'zod';
import type { RankOptions } from '../../shared/rank.js';

// What a simulated day looks like: typed defaults merged with a partial override. Every number
// here is a modelling choice; the comment says what it stands for, so a reader can argue with it.

/** A mass-testing round in one district: everyone there is asked to test within a few hours. */
export interface Surge {
  district: string;
  /** Local time, minutes after midnight. */
  fromMinute: number;
  toMinute: number;
  /** Demand multiplier inside the window (ramps up and down over 20 minutes at each end). */
  factor: number;
}

export interface Scenario {
  seed: number;
  /** Share of residents who go where shortline recommends instead of to their nearest site. */
  followShare: number;
  /** Recommendations spread people over near-equal sites (shared/rank defaults); off: greedy. */
  spreading: boolean;
  /**
   * With spreading on: overrides of shared/rank's parameters, to try other settings. A faster
   * `walkMetresPerMin` makes a minute walked count less than a minute queued in the ranking only;
   * people still walk at the default speed.
   */
  rank: Partial<
    Pick<
      RankOptions,
      'herdPeople' | 'spreadMinutes' | 'spreadFraction' | 'walkMetresPerMin' | 'stayMinutes' | 'stayFraction'
    >
  >;
  /**
   * Experiment: the followers already on their way to a site count towards its predicted wait, as
   * if the server counted "navigate" taps (it does not today; see README.sim.md).
   */
  countEnRoute: boolean;
  /**
   * Followers tap "go": an intent (POST /api/intents) for the site they choose, and the ranking
   * reads everyone's intents back (GET /api/intents), as the resident page does.
   */
  followersSendIntents: boolean;
  /**
   * A measurement bound, not shortline: followers rank on every site's true queue, lanes and rate
   * (and know exactly who else is on the way), as a perfect estimator would show them. What the
   * ranking could save with perfect numbers; shortline's own runs leave it off.
   */
  followersSeeTruth: boolean;
  /** Demand as a share of each site's full capacity is drawn in this range, per site. */
  utilisation: readonly [number, number];
  /** Multiplies all demand; 1 is a busy routine-testing day. */
  demandScale: number;
  surges: readonly Surge[];
  /** Residents live up to this far from the site they would call theirs. */
  homeRadiusM: number;
  /**
   * How long a resident is prepared to queue (log-normal across people): on arrival they judge the
   * wait from the queue and the lanes they see, and go home if it is longer. Without this, a model
   * queue at an overloaded site grows for hours, which real queues do not.
   */
  patienceMedianMin: number;
  patienceSigma: number;

  /** Share of sites with an enrolled staff tablet; the others are seen by the carrier only. */
  staffShare: number;
  /** Minutes between two counts by the same staff member. */
  staffEveryMin: readonly [number, number];
  /** Chance, at each count, that the next few are forgotten (a rush, a tablet left in a bag). */
  staffForgetChance: number;
  staffForgetMin: readonly [number, number];
  /** Relative standard deviation of a count by eye, plus about one person either way. */
  staffCountError: number;
  /** Chance, at each count, that the lanes reported are one off the lanes really open. */
  staffLaneMisreportChance: number;

  /**
   * Each site's true service rate per lane is the registry's (or SERVICE_RATE) times a factor
   * drawn uniformly in [1 - spread, 1 + spread]: the server does not know it.
   */
  serviceRateSpread: number;

  /**
   * Phones the carrier attributes to a site per person actually there (queue and in service):
   * the geofence also catches companions and neighbours. Log-normal across sites; the median is
   * what the server's default ratio assumes before calibration (0.5 queue per counted person).
   */
  carrierBiasMedian: number;
  carrierBiasSigma: number;
  /**
   * The phones-per-person factor drifts through the day by up to this share either way (a slow
   * wave per site: shift changes, people bringing companions after work). 0: constant.
   */
  carrierBiasDrift: number;
  /** Passers-by counted at the busiest hour of a site on the busiest street. */
  carrierPassersMax: number;
  /**
   * true: passers-by scale with the street (sites on streets with more sites, i.e. busier
   * streets, see more); false: a random share of the maximum per site.
   */
  carrierPassersByStreet: boolean;
  /**
   * true: the phones counted are those of everyone present, queue and being served; false: the
   * queue's only (a geofence around the waiting area), which the server's model does not assume.
   */
  carrierSeesService: boolean;
  /** Relative noise of one reading. */
  carrierNoise: number;
  /** Chance a minute's batch arrives late, and how late (seconds). */
  carrierLateChance: number;
  carrierLateS: readonly [number, number];
  /** Chance a minute's batch never arrives. */
  carrierMissingChance: number;
  /** Chance one site is missing from a batch. */
  carrierSiteDropChance: number;
  /** Chance per site per day that its readings stop for a while (a cell down, a geofence bug). */
  carrierOutageChance: number;
  carrierOutageMin: readonly [number, number];

  /** Chance per site per day of a staff break that pauses the site, and its length. */
  breakChance: number;
  breakMin: readonly [number, number];
  /** Chance per site per day of running out of swabs, and how long until supplies come. */
  outageChance: number;
  outageMin: readonly [number, number];
  /** Chance per site per day that a lane cannot be staffed for a while. */
  shortageChance: number;
  shortageMin: readonly [number, number];
}

export const defaultScenario: Scenario = {
  seed: 20221001,
  followShare: 0.3,
  spreading: true,
  rank: {},
  countEnRoute: false,
  followersSendIntents: true,
  followersSeeTruth: false,
  utilisation: [0.3, 0.8],
  demandScale: 1,
  surges: [
    { district: '蓬江区', fromMinute: 9 * 60 + 30, toMinute: 12 * 60, factor: 2.2 },
    { district: '台山市', fromMinute: 15 * 60, toMinute: 17 * 60 + 30, factor: 1.8 },
  ],
  homeRadiusM: 700,
  patienceMedianMin: 45,
  patienceSigma: 0.5,
  staffShare: 0.7,
  staffEveryMin: [3, 6],
  staffForgetChance: 0.04,
  staffForgetMin: [12, 35],
  staffCountError: 0.06,
  staffLaneMisreportChance: 0,
  serviceRateSpread: 0,
  carrierBiasMedian: 1.9,
  carrierBiasSigma: 0.3,
  carrierBiasDrift: 0,
  carrierPassersMax: 10,
  carrierPassersByStreet: false,
  carrierSeesService: true,
  carrierNoise: 0.08,
  carrierLateChance: 0.08,
  carrierLateS: [20, 150],
  carrierMissingChance: 0.03,
  carrierSiteDropChance: 0.01,
  carrierOutageChance: 0.15,
  carrierOutageMin: [20, 90],
  breakChance: 0.5,
  breakMin: [10, 20],
  outageChance: 0.15,
  outageMin: [20, 45],
  shortageChance: 0.3,
  shortageMin: [30, 90],
};

export const scenario = (over: Partial<Scenario> = {}): Scenario => ({ ...defaultScenario, ...over });

// Scenario files (`npm run accuracy -- --scenario FILE.json`): a JSON object of overrides of the
// defaults above, every key optional, unknown keys refused so that a typo cannot silently leave a
// default in place. docs/accuracy.md explains each key.
const share = z.number().min(0).max(1);
const minutes = z
  .number()
  .min(0)
  .max(24 * 60);
const range = (item: z.ZodNumber) =>
  z.tuple([item, item]).refine(([lo, hi]) => lo <= hi, 'the first number must not exceed the second');

const SurgeSchema = z
  .strictObject({
    district: z.string().min(1),
    fromMinute: minutes,
    toMinute: minutes,
    factor: z.number().min(0).max(20),
  })
  .refine((s) => s.fromMinute < s.toMinute, 'fromMinute must be before toMinute');

export const ScenarioOverridesSchema = z.strictObject({
  /** Shown in the report and the JSON results; defaults to the file's name. */
  name: z
    .string()
    .min(1)
    .max(40)
    .regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, _ and - only')
    .optional(),
  seed: z.number().int().optional(),
  followShare: share.optional(),
  spreading: z.boolean().optional(),
  rank: z
    .strictObject({
      herdPeople: z.number().min(0).max(1000).optional(),
      spreadMinutes: z.number().min(0).max(120).optional(),
      spreadFraction: z.number().min(0).max(1).optional(),
      walkMetresPerMin: z.number().min(10).max(1000).optional(),
      stayMinutes: z.number().min(0).max(120).optional(),
      stayFraction: z.number().min(0).max(1).optional(),
    })
    .optional(),
  countEnRoute: z.boolean().optional(),
  followersSendIntents: z.boolean().optional(),
  followersSeeTruth: z.boolean().optional(),
  utilisation: range(z.number().min(0).max(5)).optional(),
  demandScale: z.number().min(0).max(20).optional(),
  surges: z.array(SurgeSchema).max(100).optional(),
  homeRadiusM: z.number().min(0).max(10_000).optional(),
  patienceMedianMin: z.number().min(0).optional(),
  patienceSigma: z.number().min(0).max(5).optional(),
  staffShare: share.optional(),
  staffEveryMin: range(
    z
      .number()
      .min(0.5)
      .max(24 * 60),
  ).optional(),
  staffForgetChance: share.optional(),
  staffForgetMin: range(minutes).optional(),
  staffCountError: z.number().min(0).max(2).optional(),
  staffLaneMisreportChance: share.optional(),
  serviceRateSpread: z.number().min(0).max(0.9).optional(),
  carrierBiasMedian: z.number().positive().max(100).optional(),
  carrierBiasSigma: z.number().min(0).max(5).optional(),
  carrierBiasDrift: z.number().min(0).max(0.9).optional(),
  carrierPassersMax: z.number().min(0).max(100_000).optional(),
  carrierPassersByStreet: z.boolean().optional(),
  carrierSeesService: z.boolean().optional(),
  carrierNoise: z.number().min(0).max(5).optional(),
  carrierLateChance: share.optional(),
  carrierLateS: range(z.number().min(0).max(290)).optional(),
  carrierMissingChance: share.optional(),
  carrierSiteDropChance: share.optional(),
  carrierOutageChance: share.optional(),
  carrierOutageMin: range(minutes).optional(),
  breakChance: share.optional(),
  breakMin: range(minutes).optional(),
  outageChance: share.optional(),
  outageMin: range(minutes).optional(),
  shortageChance: share.optional(),
  shortageMin: range(minutes).optional(),
});
export type ScenarioOverrides = z.infer<typeof ScenarioOverridesSchema>;

// Every Scenario key can be overridden, and nothing else: a key added to one but not the other
// fails the type check here.
type Keys<T> = Exclude<keyof T, 'name'>;
const sameKeys: [Keys<ScenarioOverrides>] extends [keyof Scenario]
  ? [keyof Scenario] extends [Keys<ScenarioOverrides>]
    ? true
    : false
  : false = true;
void sameKeys;

export type ParsedScenario =
  { ok: true; name: string | undefined; overrides: Partial<Scenario> } | { ok: false; message: string };

/** Validates a scenario file's parsed JSON; the message names every offending key. */
export function parseScenario(json: unknown): ParsedScenario {
  const r = ScenarioOverridesSchema.safeParse(json);
  if (!r.success) {
    const lines = r.error.issues.map((i) => {
      const path = i.path.join('.');
      if (i.code === 'unrecognized_keys')
        return `unknown key${i.keys.length > 1 ? 's' : ''} ${i.keys.map((k) => `"${path ? `${path}.` : ''}${k}"`).join(', ')}`;
      return `${path || '(top level)'}: ${i.message}`;
    });
    return { ok: false, message: lines.join('; ') };
  }
  const { name, ...overrides } = r.data;
  return { ok: true, name, overrides: overrides as Partial<Scenario> };
}
