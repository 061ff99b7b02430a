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
  rank: Partial<Pick<RankOptions, 'herdPeople' | 'spreadMinutes' | 'spreadFraction' | 'walkMetresPerMin'>>;
  /**
   * Experiment: the followers already on their way to a site count towards its predicted wait, as
   * if the server counted "navigate" taps (it does not today; see README.sim.md).
   */
  countEnRoute: boolean;
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

  /**
   * Phones the carrier attributes to a site per person actually there (queue and in service):
   * the geofence also catches companions and neighbours. Log-normal across sites; the median is
   * what the server's default ratio assumes before calibration (0.5 queue per counted person).
   */
  carrierBiasMedian: number;
  carrierBiasSigma: number;
  /** Passers-by counted at the busiest hour of a site on the busiest street. */
  carrierPassersMax: number;
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
  carrierBiasMedian: 1.9,
  carrierBiasSigma: 0.3,
  carrierPassersMax: 10,
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
