// Site staff as observers: each enrolled tablet counts its queue by eye every few minutes and
// posts it to POST /api/sites/:id/reports with its own token; sometimes a count is forgotten.
// Staff stop reporting at closing time: a report after it would show the site open to people who
// can no longer join.
import { randomBytes } from 'node:crypto';
import type { LiveState, StaffReport } from '../../shared/schemas.js';
import type { ShortlineApi } from './api.js';
import type { City } from './city.js';
import { inPool } from './pool.js';
import { chance, gaussian, stream, uniform, type Rng } from './random.js';

interface Member {
  site: number;
  token: string;
  nextAt: number;
}

export interface StaffStats {
  sent: number;
  applied: number;
  forgotten: number;
  /** Answers other than 200, by status. */
  refused: Record<number, number>;
}

/** Tablets posting at once; more would only queue in the socket pool. */
const CONCURRENCY = 32;

export class StaffTeam {
  private readonly members: Member[] = [];
  private readonly rng: Rng;
  private seq = 0;
  private readonly runId = randomBytes(4).toString('hex');
  readonly stats: StaffStats = { sent: 0, applied: 0, forgotten: 0, refused: {} };

  constructor(
    private readonly city: City,
    private readonly api: ShortlineApi,
    private readonly onLive: (site: number, l: LiveState) => void,
  ) {
    this.rng = stream(city.scenario.seed, 'staff');
  }

  /** Which sites have a tablet: a seeded share of them. */
  static staffedSites(city: City): number[] {
    const rng = stream(city.scenario.seed, 'staffed');
    return city.sites.map((_, i) => i).filter(() => rng() < city.scenario.staffShare);
  }

  /** Enrols one tablet per site through the admin API; first counts spread over `firstWithinMs`. */
  async enrol(adminToken: string, sites: readonly number[], nowMs: number, firstWithinMs = 0): Promise<void> {
    await inPool(sites, CONCURRENCY, async (site) => {
      const t = await this.api.issueStaffToken(adminToken, this.city.sites[site]!.id, 'simulator');
      this.members.push({ site, token: t.token, nextAt: nowMs + this.rng() * firstWithinMs });
    });
    this.members.sort((a, b) => a.site - b.site);
  }

  get size(): number {
    return this.members.length;
  }

  /** Posts every count due by `nowMs` (observed now, on the sender's clock). */
  async tick(nowMs: number): Promise<void> {
    const due = this.members.filter((m) => m.nextAt <= nowMs);
    if (due.length === 0) return;
    const sc = this.city.scenario;
    const reports: Array<{ m: Member; body: StaffReport }> = [];
    for (const m of due) {
      if (!this.city.accepting[m.site]) {
        // Back on duty shortly after opening, not all at the same second.
        m.nextAt = nowMs + uniform(this.rng, 0.5, 3) * 60_000;
        continue;
      }
      if (chance(this.rng, sc.staffForgetChance)) {
        this.stats.forgotten += 1;
        m.nextAt = nowMs + uniform(this.rng, sc.staffForgetMin[0], sc.staffForgetMin[1]) * 60_000;
        continue;
      }
      m.nextAt = nowMs + uniform(this.rng, sc.staffEveryMin[0], sc.staffEveryMin[1]) * 60_000;
      reports.push({ m, body: this.count(m.site, nowMs) });
    }
    await inPool(reports, CONCURRENCY, async ({ m, body }) => {
      const a = await this.api.report(m.token, this.city.sites[m.site]!.id, body);
      this.stats.sent += 1;
      if (a.status === 200 && a.body) {
        if (a.body.applied) this.stats.applied += 1;
        this.onLive(m.site, a.body.live);
      } else {
        this.stats.refused[a.status] = (this.stats.refused[a.status] ?? 0) + 1;
      }
    });
  }

  /** A count by eye: a few percent off, and a person or so either way even for a short queue. */
  private count(site: number, nowMs: number): StaffReport {
    const q = this.city.queues[site]!;
    const err = this.city.scenario.staffCountError;
    const counted = Math.max(0, Math.round(q.waiting * (1 + err * gaussian(this.rng)) + 0.8 * gaussian(this.rng)));
    const reason = this.city.pauseReason(site, nowMs);
    // A lane just opened or closed and the tablet not yet told, or a lane counted that is only set up.
    let lanes = q.lanesOpen;
    if (chance(this.rng, this.city.scenario.staffLaneMisreportChance)) {
      const max = this.city.sites[site]!.lanes;
      lanes = lanes <= 1 ? Math.min(max, lanes + 1) : lanes >= max ? lanes - 1 : lanes + (this.rng() < 0.5 ? -1 : 1);
    }
    return {
      reportId: `sim-${this.runId}-${site}-${this.seq++}`,
      queue: counted,
      lanesOpen: lanes,
      status: reason ? 'paused' : 'open',
      ...(reason ? { pauseReason: reason } : {}),
      observedAt: new Date(nowMs).toISOString(),
      // The registration system's count of people swabbed so far (exact: every test is registered).
      served: q.served,
    };
  }
}
