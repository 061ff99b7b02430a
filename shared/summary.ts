// City and district totals, computed the same way wherever they are shown.
import type { Counts, LiveState, Site, Summary } from './schemas.js';

export function emptyCounts(): Counts {
  return {
    sites: 0,
    open: 0,
    paused: 0,
    queue: 0,
    waitMinutesAvg: null,
    low: 0,
    medium: 0,
    high: 0,
    closed: 0,
    unknown: 0,
  };
}

interface Acc {
  counts: Counts;
  waitSum: number;
  waitN: number;
}

/** Counts `live` in (`sign` 1) or out again (-1). Every term is an integer, so sums stay exact. */
function add(acc: Acc, live: LiveState, sign = 1): void {
  const c = acc.counts;
  c.sites += sign;
  if (live.status === 'open') c.open += sign;
  if (live.status === 'paused') c.paused += sign;
  c[live.level] += sign;
  if (live.status !== 'closed' && live.queue !== null) c.queue += sign * live.queue;
  if (live.status !== 'closed' && live.waitMinutes !== null) {
    acc.waitSum += sign * live.waitMinutes;
    acc.waitN += sign;
  }
}

function finish(acc: Acc): Counts {
  return { ...acc.counts, waitMinutesAvg: acc.waitN ? Math.round((acc.waitSum / acc.waitN) * 10) / 10 : null };
}

const newAcc = (): Acc => ({ counts: emptyCounts(), waitSum: 0, waitN: 0 });

/**
 * City and district totals kept up to date one site change at a time: the server's engine
 * re-counted every site on every frame, ~30 ms of one task at 50,000 sites (scripts/bench:
 * carrier). Districts come in the registry's order of first appearance.
 */
export class SummaryTally {
  private readonly total = newAcc();
  private readonly byDistrict = new Map<string, Acc>();

  constructor(sites: readonly Site[]) {
    for (const s of sites) if (!this.byDistrict.has(s.district)) this.byDistrict.set(s.district, newAcc());
  }

  /** A site of `district` went from `prev` (none: not counted yet) to `next`. */
  replace(district: string, prev: LiveState | undefined, next: LiveState): void {
    const acc = this.byDistrict.get(district);
    if (!acc) return;
    if (prev) {
      add(this.total, prev, -1);
      add(acc, prev, -1);
    }
    add(this.total, next);
    add(acc, next);
  }

  summary(atMs: number): Summary {
    const districts: Summary['districts'] = [];
    for (const [district, acc] of this.byDistrict)
      if (acc.counts.sites > 0) districts.push({ district, ...finish(acc) });
    return { at: new Date(atMs).toISOString(), totals: finish(this.total), districts };
  }
}

/**
 * The totals counted afresh. `lives` may hold fewer sites than `sites`; a site with no live state
 * is not counted, and a district with none is left out.
 */
export function summarize(sites: readonly Site[], lives: ReadonlyMap<string, LiveState>, atMs: number): Summary {
  const tally = new SummaryTally(sites);
  for (const site of sites) {
    const live = lives.get(site.id);
    if (live) tally.replace(site.district, undefined, live);
  }
  return tally.summary(atMs);
}

/** Equal apart from the timestamp: a summary is pushed only when this is false. */
export function sameSummary(a: Summary, b: Summary): boolean {
  return (
    JSON.stringify(a.totals) === JSON.stringify(b.totals) && JSON.stringify(a.districts) === JSON.stringify(b.districts)
  );
}
