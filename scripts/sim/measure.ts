// The ground truth next to what was shown: for every arrival its true wait and the wait the public
// API showed when it arrived; for every open site-minute the wait a probe really had and the level
// shown; per site and minute the true queue and the shown wait, for oscillation and charts.
import { levelFor } from '../../shared/domain.js';
import type { Level, LiveState, Source } from '../../shared/schemas.js';
import type { Resident, Choice } from './choice.js';
import type { CityHooks } from './city.js';
import { f32, i32, u8 } from './columns.js';
import type { Person } from './queue.js';
import type { LiveView } from './view.js';

export const SOURCE_CODES = ['staff', 'carrier', 'none', 'closed'] as const;
export type SourceCode = (typeof SOURCE_CODES)[number];
export const LEVEL_CODES: readonly Level[] = ['low', 'medium', 'high', 'closed', 'unknown'];

/** A site shown closed while it takes people (staff closed it for the day) is its own case. */
export function sourceCode(l: LiveState | null): number {
  if (!l) return 2;
  if (l.level === 'closed') return 3;
  return SOURCE_CODES.indexOf(l.source as Source);
}

/**
 * The range a page shows around the wait: the LiveState extension `waitRange` where the server
 * sends one, else just the wait itself (a server without ranges claims an exact number).
 */
export function shownRange(l: LiveState | null): [number, number] {
  if (!l || l.waitMinutes === null) return [NaN, NaN];
  const r = (l as LiveState & { waitRange?: readonly [number, number] | null }).waitRange;
  return r ? [Math.min(r[0], l.waitMinutes), Math.max(r[1], l.waitMinutes)] : [l.waitMinutes, l.waitMinutes];
}

export class Recorder implements CityHooks {
  readonly arrivals = {
    site: i32(),
    atMin: f32(),
    waitMin: f32(),
    walkMin: f32(),
    follower: u8(),
    shown: f32(),
    source: u8(),
    stale: f32(),
    predicted: f32(),
    /** The range shown with the wait (LiveState `waitRange`; [wait, wait] when none is sent). */
    rangeLo: f32(),
    rangeHi: f32(),
  };
  readonly probes = { site: i32(), minute: i32(), waitMin: f32(), shownLevel: u8(), source: u8() };
  /** Residents who found their site closed on arrival, and who saw a queue too long and left. */
  readonly away = { follower: 0, nearest: 0 };
  readonly gaveUpCount = { follower: 0, nearest: 0 };
  /** [site * minutes + minute]: people waiting at the start of the minute (NaN: site closed, nobody). */
  readonly trueQueue: Float32Array;
  /** [site * minutes + minute]: wait shown at the start of the minute (NaN: none). */
  readonly shownWait: Float32Array;
  /** The last wait shown per site, to tell what showing a stale number would have cost. */
  private readonly lastShown: Float32Array;

  constructor(
    private readonly view: LiveView,
    readonly startMs: number,
    readonly minutes: number,
    readonly levelMinutes: readonly [number, number],
  ) {
    const n = view.sites.length;
    this.trueQueue = new Float32Array(n * minutes).fill(NaN);
    this.shownWait = new Float32Array(n * minutes).fill(NaN);
    this.lastShown = new Float32Array(n).fill(NaN);
  }

  get siteCount(): number {
    return this.view.sites.length;
  }

  private minuteOf(ms: number): number {
    return Math.floor((ms - this.startMs) / 60_000);
  }

  arrived(site: number, p: Person, r: Resident, c: Choice): void {
    const l = this.view.get(site);
    const a = this.arrivals;
    p.record = a.site.push(site);
    a.atMin.push((p.arrivalMs - this.startMs) / 60_000);
    a.waitMin.push(NaN);
    a.walkMin.push(c.walkMin);
    a.follower.push(r.follower ? 1 : 0);
    a.shown.push(l?.waitMinutes ?? NaN);
    const [lo, hi] = shownRange(l);
    a.rangeLo.push(lo);
    a.rangeHi.push(hi);
    a.source.push(sourceCode(l));
    a.stale.push(this.lastShown[site]!);
    a.predicted.push(c.predictedWait ?? NaN);
  }

  probed(site: number, p: Person): void {
    const l = this.view.get(site);
    const pr = this.probes;
    p.record = pr.site.push(site);
    pr.minute.push(this.minuteOf(p.arrivalMs));
    pr.waitMin.push(NaN);
    pr.shownLevel.push(LEVEL_CODES.indexOf(l?.level ?? 'unknown'));
    pr.source.push(sourceCode(l));
  }

  started(_site: number, p: Person, startMs: number): void {
    if (p.record < 0) return;
    const wait = (startMs - p.arrivalMs) / 60_000;
    (p.phantom ? this.probes.waitMin : this.arrivals.waitMin).set(p.record, wait);
  }

  turnedAway(_site: number, r: Resident): void {
    if (r.follower) this.away.follower += 1;
    else this.away.nearest += 1;
  }

  gaveUp(_site: number, r: Resident): void {
    if (r.follower) this.gaveUpCount.follower += 1;
    else this.gaveUpCount.nearest += 1;
  }

  /** Samples every site at the start of minute `atMs`; call after the view was refreshed. */
  sampleMinute(atMs: number, waiting: (site: number) => number, open: (site: number) => boolean): void {
    const m = this.minuteOf(atMs);
    if (m < 0 || m >= this.minutes) return;
    for (let i = 0; i < this.siteCount; i++) {
      const q = waiting(i);
      if (open(i) || q > 0) this.trueQueue[i * this.minutes + m] = q;
      const w = this.view.get(i)?.waitMinutes;
      if (w !== null && w !== undefined) {
        this.shownWait[i * this.minutes + m] = w;
        this.lastShown[i] = w;
      }
    }
  }

  /** The level a probe's true wait falls in, by the same bounds the server uses. */
  trueLevel(waitMin: number): Level {
    return levelFor(Math.round(waitMin), this.levelMinutes);
  }
}
