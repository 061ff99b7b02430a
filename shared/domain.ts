// Pure domain rules: how staff and carrier data become one honest LiveState. No I/O, no clock of
// its own: everything time-dependent takes "now" from the caller, so it is testable and the
// server, the simulator and the client all compute the same thing.
import { noDataState, type Level, type LiveState, type PauseReason, type Site, type SiteStatus } from './schemas.js';
import { localTime, isOpenAt, type LocalTime } from './hours.js';
import {
  estimateQueue,
  learnCarrier,
  priorFromRatio,
  sourcesApart,
  waitSpread,
  type Calibration,
  type CarrierObs,
  type CarrierPrior,
  type StaffObs,
} from './estimator.js';
import { serviceRate, throughputNow } from './service-rate.js';

export type { Calibration } from './estimator.js';

export interface StaffRecord {
  reportId: string;
  queue: number;
  lanesOpen: number | null;
  status: SiteStatus;
  pauseReason: PauseReason | null;
  note: string | null;
  /** Epoch ms the count was observed on the tablet. */
  observedAt: number;
  /** Cumulative people served at the site today, when the tablet or a registration system counts. */
  served?: number | null;
}

export interface CarrierRecord {
  /** Raw crowd estimate from signalling. Never served publicly. */
  people: number;
  confidence: number | null;
  observedAt: number;
}

export interface RawSiteState {
  staff: StaffRecord | null;
  carrier: CarrierRecord | null;
  calibration: Calibration | null;
}

export const emptyRaw = (): RawSiteState => ({ staff: null, carrier: null, calibration: null });

export interface FusionConfig {
  staffStaleMs: number;
  carrierStaleMs: number;
  /** [low, high] wait-minute bounds: under low is "low", over high is "high". */
  levelMinutes: readonly [number, number];
  serviceRatePerLane: number;
  timezone: string;
  /** Ratio used for a site whose carrier feed has never been checked against a staff count. */
  defaultCarrierRatio: number;
}

export const CALIBRATION = {
  /** Staff and carrier observations at most this far apart in time count as an overlap. */
  maxSkewMs: 3 * 60_000,
  /** Below this many counted people a sample says mostly noise. */
  minPeople: 5,
} as const;

export function computeWaitMinutes(queue: number, lanesOpen: number, ratePerLane: number): number | null {
  if (queue === 0) return 0;
  if (lanesOpen <= 0 || ratePerLane <= 0) return null;
  return Math.round(queue / (lanesOpen * ratePerLane));
}

export function levelFor(waitMinutes: number | null, bounds: readonly [number, number]): Level {
  if (waitMinutes === null) return 'high';
  if (waitMinutes < bounds[0]) return 'low';
  if (waitMinutes <= bounds[1]) return 'medium';
  return 'high';
}

/** Everything fuse() needs about "now", computed once per pass over many sites. */
export interface FuseContext {
  nowMs: number;
  local: LocalTime;
  cfg: FusionConfig;
  /** What an uncalibrated carrier reading means: the city's prior once learned, else the configured ratio's. */
  prior: CarrierPrior;
}

export function fuseContext(
  nowMs: number,
  cfg: FusionConfig,
  prior: CarrierPrior = priorFromRatio(cfg.defaultCarrierRatio),
): FuseContext {
  return { nowMs, local: localTime(nowMs, cfg.timezone), cfg, prior };
}

const iso = (ms: number) => new Date(ms).toISOString();

function closedState(siteId: string, source: LiveState['source'], updatedAt: number | null): LiveState {
  return {
    siteId,
    status: 'closed',
    lanesOpen: 0,
    queue: source === 'staff' ? 0 : null,
    waitMinutes: null,
    level: 'closed',
    source,
    updatedAt: updatedAt === null ? null : iso(updatedAt),
    confidence: null,
    pauseReason: null,
    waitRange: null,
    trendPerMin: null,
  };
}

export function isStaffFresh(staff: StaffRecord, ctx: FuseContext): boolean {
  return ctx.nowMs - staff.observedAt <= ctx.cfg.staffStaleMs;
}

export function isCarrierFresh(carrier: CarrierRecord, ctx: FuseContext): boolean {
  return ctx.nowMs - carrier.observedAt <= ctx.cfg.carrierStaleMs;
}

/** A staff count and a carrier reading as the estimator takes them: with their age now. */
const ageMin = (observedAt: number, ctx: FuseContext) => Math.max(0, ctx.nowMs - observedAt) / 60_000;
const staffObs = (s: StaffRecord, ctx: FuseContext): StaffObs => ({
  queue: s.queue,
  ageMin: ageMin(s.observedAt, ctx),
});
const carrierObs = (c: CarrierRecord, ctx: FuseContext): CarrierObs => ({
  people: c.people,
  ageMin: ageMin(c.observedAt, ctx),
  confidence: c.confidence,
});

/**
 * Lanes open (the fresh staff count's, else the registry's), the throughput a wait is computed with
 * (0 with no lane open) and `flow`, the same never below one lane's rate: how fast the queue may
 * move, for the estimator's noise. One rule for fuse(), for comparing the sources and for the
 * carrier filter's pace (server/live/writes.ts).
 */
export function siteThroughput(
  site: Site,
  staff: Pick<StaffRecord, 'lanesOpen' | 'observedAt'> | null,
  calibration: Calibration | null,
  fallbackRate: number,
): { lanesOpen: number; throughput: number; flow: number } {
  const lanesOpen = staff ? (staff.lanesOpen ?? site.lanes) : site.lanes;
  const rate = serviceRate(site, calibration, fallbackRate).perLane;
  const throughput = throughputNow(lanesOpen, rate, calibration, staff?.observedAt ?? null);
  return { lanesOpen, throughput, flow: Math.max(throughput, rate) };
}

/**
 * A fresh open staff count and a fresh carrier reading compared now (estimator.ts sourcesApart):
 * the count as typed, the carrier's calibrated queue, and how many standard deviations apart they
 * are once the count's age is allowed for. Null unless both are fresh and the site open.
 */
export function sourceGap(
  site: Site,
  raw: RawSiteState,
  ctx: FuseContext,
): { staffQueue: number; carrierQueue: number; z: number } | null {
  const { staff, carrier, calibration } = raw;
  if (!staff || !carrier || staff.status !== 'open') return null;
  if (!isStaffFresh(staff, ctx) || !isCarrierFresh(carrier, ctx)) return null;
  const { lanesOpen, flow } = siteThroughput(site, staff, calibration, ctx.cfg.serviceRatePerLane);
  const apart = sourcesApart(staffObs(staff, ctx), carrierObs(carrier, ctx), calibration, lanesOpen, flow, ctx.prior);
  return { staffQueue: staff.queue, carrierQueue: Math.round(apart.carrierQueue), z: apart.z };
}

/**
 * The estimate (shared/estimator.ts) from the fresh staff count and carrier reading, whichever
 * exist; nothing fresh: "none". A site closed by staff stays closed for the rest of that local day
 * (closing is a decision for the day, not a reading that goes stale); a pause lasts as long as the
 * report is fresh.
 */
export function fuse(site: Site, raw: RawSiteState, ctx: FuseContext): LiveState {
  const { cfg } = ctx;
  const { staff, carrier, calibration } = raw;
  const staffFresh = staff && isStaffFresh(staff, ctx) ? staff : null;
  if (staffFresh?.status === 'closed') return closedState(site.id, 'staff', staffFresh.observedAt);
  if (!staffFresh && staff?.status === 'closed' && localTime(staff.observedAt, cfg.timezone).day === ctx.local.day) {
    return closedState(site.id, 'staff', staff.observedAt);
  }
  if (!staffFresh && !isOpenAt(site.hours, ctx.local)) return closedState(site.id, 'none', null);
  const carrierFresh = carrier && isCarrierFresh(carrier, ctx) ? carrier : null;
  if (!staffFresh && !carrierFresh) {
    return noDataState(site.id);
  }
  const { lanesOpen, throughput, flow } = siteThroughput(site, staffFresh, calibration, cfg.serviceRatePerLane);
  const est = estimateQueue(
    staffFresh && staffObs(staffFresh, ctx),
    carrierFresh && carrierObs(carrierFresh, ctx),
    calibration,
    lanesOpen,
    flow,
    ctx.prior,
  )!;
  const queue = Math.round(est.queue);
  const waitMinutes = computeWaitMinutes(queue, lanesOpen, throughput / Math.max(1, lanesOpen));
  const spread = throughput > 0 ? waitSpread(est, throughput) : null;
  const updatedAt = est.source === 'staff' ? staffFresh!.observedAt : (carrierFresh ?? staffFresh)!.observedAt;
  const status = staffFresh?.status ?? 'open';
  return {
    siteId: site.id,
    status,
    lanesOpen,
    queue,
    waitMinutes,
    level: levelFor(waitMinutes, cfg.levelMinutes),
    source: est.source,
    updatedAt: iso(updatedAt),
    confidence: spread?.confidence ?? 0,
    pauseReason: status === 'paused' ? staffFresh!.pauseReason : null,
    waitRange:
      spread && waitMinutes !== null
        ? [Math.min(spread.range[0], waitMinutes), Math.max(spread.range[1], waitMinutes)]
        : null,
    trendPerMin: Math.round(est.trend * 10) / 10,
  };
}

/**
 * The earliest instant after now at which fuse() may give another answer without any new write
 * (a report or reading ageing out). Opening hours are handled by a once-a-minute sweep instead.
 */
export function nextExpiry(raw: RawSiteState, ctx: FuseContext): number {
  let next = Infinity;
  const staffEnd = raw.staff ? raw.staff.observedAt + ctx.cfg.staffStaleMs : -Infinity;
  if (staffEnd >= ctx.nowMs) next = staffEnd + 1;
  const carrierEnd = raw.carrier ? raw.carrier.observedAt + ctx.cfg.carrierStaleMs : -Infinity;
  if (carrierEnd >= ctx.nowMs) next = Math.min(next, carrierEnd + 1);
  return next;
}

/**
 * Learn the carrier calibration from a staff count and a carrier reading taken at about the same
 * time (see learnCarrier). Returns the previous calibration when the pair says nothing.
 */
export function updateCalibration(
  prev: Calibration | null,
  staff: Pick<StaffRecord, 'queue' | 'observedAt' | 'status'> & { lanesOpen?: number | null },
  carrier: Pick<CarrierRecord, 'people' | 'observedAt'>,
  lanes: number,
  prior: CarrierPrior,
): Calibration | null {
  if (staff.status !== 'open') return prev;
  if (Math.abs(staff.observedAt - carrier.observedAt) > CALIBRATION.maxSkewMs) return prev;
  if (carrier.people < CALIBRATION.minPeople && staff.queue > 0) return prev;
  return learnCarrier(prev, staff.queue, staff.lanesOpen ?? lanes, carrier.people, prior);
}
