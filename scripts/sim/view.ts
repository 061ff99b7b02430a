// What shortline shows, as the simulator last read it through the public API: a snapshot from
// GET /api/live, patched with the `live` a staff report's answer carries. Residents decide on it
// and the accuracy report compares it with the truth, so both see exactly what a page would.
import type { IntentCounts, LiveState, Site, Snapshot } from '../../shared/schemas.js';
import { waitTrendPerMin } from '../../shared/rank.js';

/** Minutes of shown waits kept per site to see whether a wait is rising or falling. */
const TREND_WINDOW_MIN = 5;

export class LiveView {
  private readonly index = new Map<string, number>();
  private readonly states: (LiveState | null)[];
  /** Shown wait per site at each of the last minutes (NaN: none shown), a ring per site. */
  private readonly recent: Float32Array;
  private minute = 0;
  version = -1;
  /** People on their way per site, as GET /api/intents last said. */
  readonly enRoute: Int32Array;

  constructor(readonly sites: readonly Site[]) {
    sites.forEach((s, i) => this.index.set(s.id, i));
    this.states = sites.map(() => null);
    this.recent = new Float32Array(sites.length * (TREND_WINDOW_MIN + 1)).fill(NaN);
    this.enRoute = new Int32Array(sites.length);
  }

  applyIntents(c: IntentCounts): void {
    this.enRoute.fill(0);
    for (const [id, n] of Object.entries(c.enRoute)) {
      const i = this.index.get(id);
      if (i !== undefined) this.enRoute[i] = n;
    }
  }

  indexOf(siteId: string): number | undefined {
    return this.index.get(siteId);
  }

  applySnapshot(s: Snapshot): void {
    for (const l of s.sites) this.patch(l);
    this.version = s.version;
  }

  patch(l: LiveState): void {
    const i = this.index.get(l.siteId);
    if (i !== undefined) this.states[i] = l;
  }

  get(i: number): LiveState | null {
    return this.states[i] ?? null;
  }

  /** Records this minute's shown waits; call once per simulated minute. */
  tickMinute(): void {
    const w = TREND_WINDOW_MIN + 1;
    this.minute = (this.minute + 1) % w;
    this.states.forEach((l, i) => {
      this.recent[i * w + this.minute] = l?.waitMinutes ?? NaN;
    });
  }

  /**
   * Change of the wait per minute: the server's own `trendPerMin` (a LiveState extension, people
   * per minute, turned into minutes of wait at `ratePerLane`) where it sends one, else from the
   * shown waits over the last few minutes; 0 when unknown.
   */
  trendPerMin(i: number, ratePerLane: number): number {
    const l = this.states[i];
    const server = l?.trendPerMin;
    if (typeof server === 'number' && Number.isFinite(server))
      return waitTrendPerMin(server, l!.lanesOpen, ratePerLane);
    const w = TREND_WINDOW_MIN + 1;
    const now = this.recent[i * w + this.minute]!;
    const then = this.recent[i * w + ((this.minute + 1) % w)]!;
    return Number.isNaN(now) || Number.isNaN(then) ? 0 : (now - then) / TREND_WINDOW_MIN;
  }
}
