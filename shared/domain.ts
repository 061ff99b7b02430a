// Pure domain rules: how staff and carrier data become one honest LiveState. No I/O, no clock of
// its own: everything time-dependent takes "now" from the caller, so it is testable and the
// server, the simulator and the client all compute the same thing.
import type { Level, LiveState, PauseReason, Site, SiteStatus } from './schemas.js';
import { localTime, isOpenAt, type LocalTime } from './hours.js';

export interface StaffRecord {
  reportId: string;
  queue: number;
  lanesOpen: number | null;
  status: SiteStatus;
  pauseReason: PauseReason | null;
  note: string | null;
  /** Epoch ms the count was observed on the tablet. */
  observedAt: number;
}

export interface CarrierRecord {
  /** Raw crowd estimate from signalling. Never served publicly. */
  people: number;
  confidence: number | null;
  observedAt: number;
}

export interface Calibration {
  /** queue length per counted person, learned from moments when staff and carrier both report. */
  ratio: number;
  samples: number;
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
  /** Bounds keep one absurd pair of numbers from making a site look empty or jammed forever. */
  minRatio: 0.02,
  maxRatio: 3,
  /** Weight of a new overlap sample; ~5 samples dominate the estimate. */
  alpha: 0.2,
  /** Staff and carrier observations at most this far apart in time count as an overlap. */
  maxSkewMs: 3 * 60_000,
  /** Below this many counted people the ratio is mostly noise. */
  minPeople: 5,
  /** Samples after which an estimate counts as calibrated (full confidence). */
  trustedSamples: 3,
} as const;

/** Confidence given to a fresh staff count; people counting a queue by eye are good, not perfect. */
export const STAFF_CONFIDENCE = 0.95;
const DEFAULT_CARRIER_CONFIDENCE = 0.6;

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
}

export function fuseContext(nowMs: number, cfg: FusionConfig): FuseContext {
  return { nowMs, local: localTime(nowMs, cfg.timezone), cfg };
}

const iso = (ms: number) => new Date(ms).toISOString();

function closedState(siteId: string, source: LiveState['source'], updatedAt: number | null): LiveState {
  return {
    siteId, status: 'closed', lanesOpen: 0, queue: source === 'staff' ? 0 : null, waitMinutes: null,
    level: 'closed', source, updatedAt: updatedAt === null ? null : iso(updatedAt), confidence: null,
    pauseReason: null,
  };
}

export function isStaffFresh(staff: StaffRecord, ctx: FuseContext): boolean {
  return ctx.nowMs - staff.observedAt <= ctx.cfg.staffStaleMs;
}

export function isCarrierFresh(carrier: CarrierRecord, ctx: FuseContext): boolean {
  return ctx.nowMs - carrier.observedAt <= ctx.cfg.carrierStaleMs;
}

/**
 * Fresh staff report wins; else a fresh carrier reading calibrated to a queue; else nothing.
 * A site closed by staff stays closed for the rest of that local day (closing is a decision for
 * the day, not a reading that goes stale); a pause lasts as long as the report is fresh.
 */
export function fuse(site: Site, raw: RawSiteState, ctx: FuseContext): LiveState {
  const { cfg } = ctx;
  const rate = site.serviceRatePerLane ?? cfg.serviceRatePerLane;
  const { staff, carrier } = raw;
  if (staff && isStaffFresh(staff, ctx)) {
    if (staff.status === 'closed') return closedState(site.id, 'staff', staff.observedAt);
    const lanesOpen = staff.lanesOpen ?? site.lanes;
    const waitMinutes = computeWaitMinutes(staff.queue, lanesOpen, rate);
    return {
      siteId: site.id, status: staff.status, lanesOpen, queue: staff.queue, waitMinutes,
      level: levelFor(waitMinutes, cfg.levelMinutes), source: 'staff', updatedAt: iso(staff.observedAt),
      confidence: STAFF_CONFIDENCE, pauseReason: staff.status === 'paused' ? staff.pauseReason : null,
    };
  }
  if (staff?.status === 'closed' && localTime(staff.observedAt, cfg.timezone).day === ctx.local.day) {
    return closedState(site.id, 'staff', staff.observedAt);
  }
  if (!isOpenAt(site.hours, ctx.local)) return closedState(site.id, 'none', null);
  if (carrier && isCarrierFresh(carrier, ctx)) {
    const cal = raw.calibration;
    const ratio = cal?.ratio ?? cfg.defaultCarrierRatio;
    const queue = Math.round(carrier.people * ratio);
    const waitMinutes = computeWaitMinutes(queue, site.lanes, rate);
    const trust = cal && cal.samples >= CALIBRATION.trustedSamples ? 1 : 0.5;
    return {
      siteId: site.id, status: 'open', lanesOpen: site.lanes, queue, waitMinutes,
      level: levelFor(waitMinutes, cfg.levelMinutes), source: 'carrier', updatedAt: iso(carrier.observedAt),
      confidence: round2((carrier.confidence ?? DEFAULT_CARRIER_CONFIDENCE) * trust), pauseReason: null,
    };
  }
  return {
    siteId: site.id, status: 'open', lanesOpen: null, queue: null, waitMinutes: null, level: 'unknown',
    source: 'none', updatedAt: null, confidence: null, pauseReason: null,
  };
}

const round2 = (n: number) => Math.round(n * 100) / 100;

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
 * Learn how many queueing people one counted person stands for, from a staff count and a carrier
 * reading taken at about the same time. Returns the previous calibration when the pair says nothing.
 */
export function updateCalibration(
  prev: Calibration | null,
  staff: Pick<StaffRecord, 'queue' | 'observedAt' | 'status'>,
  carrier: Pick<CarrierRecord, 'people' | 'observedAt'>,
): Calibration | null {
  if (staff.status !== 'open') return prev;
  if (Math.abs(staff.observedAt - carrier.observedAt) > CALIBRATION.maxSkewMs) return prev;
  if (carrier.people < CALIBRATION.minPeople) return prev;
  const sample = clamp(staff.queue / carrier.people, CALIBRATION.minRatio, CALIBRATION.maxRatio);
  if (!prev) return { ratio: round4(sample), samples: 1 };
  const ratio = clamp(prev.ratio + CALIBRATION.alpha * (sample - prev.ratio), CALIBRATION.minRatio, CALIBRATION.maxRatio);
  return { ratio: round4(ratio), samples: prev.samples + 1 };
}

const clamp = (n: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, n));
const round4 = (n: number) => Math.round(n * 10_000) / 10_000;

/** Two live states equal for every field a viewer sees; used to send only real changes. */
export function sameLive(a: LiveState, b: LiveState): boolean {
  return a.status === b.status && a.lanesOpen === b.lanesOpen && a.queue === b.queue &&
    a.waitMinutes === b.waitMinutes && a.level === b.level && a.source === b.source &&
    a.updatedAt === b.updatedAt && a.confidence === b.confidence && a.pauseReason === b.pauseReason;
}
