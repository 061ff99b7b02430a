// How a site is run through the day: lanes opened when the queue grows and closed when it is
// short (coordinators move staff "where the flow is larger"), breaks and swab outages that pause
// the site, and lanes that cannot be staffed for a while.
import type { PauseReason } from '../../shared/schemas.js';
import type { SiteQueue } from './queue.js';
import { chance, uniform, type Rng } from './random.js';
import type { Scenario } from './scenario.js';

interface Interval {
  fromMs: number;
  toMs: number;
}
interface Pause extends Interval {
  reason: PauseReason;
}

/** How often a coordinator looks at the queue and decides about lanes. */
export const CONTROL_EVERY_MS = 5 * 60_000;
/** Wait (minutes) above which another lane is opened, and below which one is closed. */
const OPEN_LANE_ABOVE_MIN = 12;
const CLOSE_LANE_BELOW_MIN = 3;
/** Incidents happen in working hours (local minutes). */
const INCIDENT_WINDOW: readonly [number, number] = [8 * 60 + 30, 19 * 60 + 30];

export class SiteOps {
  /** Lanes staffed at any time the site is open; the rest open only for a long queue. */
  readonly minLanes: number;
  private pauses: Pause[] = [];
  private shortages: Interval[] = [];
  private nextControlMs = 0;

  constructor(
    readonly lanes: number,
    private readonly rng: Rng,
  ) {
    this.minLanes = Math.max(1, Math.ceil(lanes / 2));
  }

  /** Draws today's incidents; `midnightMs` is the local day's start. */
  planDay(midnightMs: number, sc: Scenario): void {
    const at = (lenMin: readonly [number, number]): Interval => {
      const from = midnightMs + uniform(this.rng, INCIDENT_WINDOW[0], INCIDENT_WINDOW[1]) * 60_000;
      return { fromMs: from, toMs: from + uniform(this.rng, lenMin[0], lenMin[1]) * 60_000 };
    };
    this.pauses = [];
    this.shortages = [];
    if (chance(this.rng, sc.breakChance)) this.pauses.push({ ...at(sc.breakMin), reason: 'break' });
    if (chance(this.rng, sc.outageChance)) this.pauses.push({ ...at(sc.outageMin), reason: 'supplies' });
    if (this.lanes > 1 && chance(this.rng, sc.shortageChance)) this.shortages.push(at(sc.shortageMin));
  }

  pauseAt(ms: number): PauseReason | null {
    for (const p of this.pauses) if (ms >= p.fromMs && ms < p.toMs) return p.reason;
    return null;
  }

  available(ms: number): number {
    return this.shortages.some((s) => ms >= s.fromMs && ms < s.toMs) ? this.lanes - 1 : this.lanes;
  }

  /** Called every step. `accepting`: within opening hours (people still queued are served after). */
  operate(q: SiteQueue, accepting: boolean, nowMs: number): void {
    q.setPaused(accepting && this.pauseAt(nowMs) !== null, nowMs);
    if (!accepting) {
      if (q.length === 0) q.setLanes(0, nowMs);
      else if (q.lanesOpen === 0) q.setLanes(1, nowMs);
      return;
    }
    const available = this.available(nowMs);
    if (q.lanesOpen === 0) q.setLanes(Math.min(this.minLanes, available), nowMs);
    if (q.lanesOpen > available) q.setLanes(available, nowMs);
    if (nowMs < this.nextControlMs) return;
    this.nextControlMs = nowMs + CONTROL_EVERY_MS;
    const wait = q.waiting / (q.lanesOpen * q.ratePerMin);
    if (wait > OPEN_LANE_ABOVE_MIN && q.lanesOpen < available) q.setLanes(q.lanesOpen + 1, nowMs);
    else if (wait < CLOSE_LANE_BELOW_MIN && q.lanesOpen > this.minLanes) q.setLanes(q.lanesOpen - 1, nowMs);
  }
}
