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

function add(acc: Acc, live: LiveState): void {
  const c = acc.counts;
  c.sites += 1;
  if (live.status === 'open') c.open += 1;
  if (live.status === 'paused') c.paused += 1;
  c[live.level] += 1;
  if (live.status !== 'closed' && live.queue !== null) c.queue += live.queue;
  if (live.status !== 'closed' && live.waitMinutes !== null) {
    acc.waitSum += live.waitMinutes;
    acc.waitN += 1;
  }
}

function finish(acc: Acc): Counts {
  return { ...acc.counts, waitMinutesAvg: acc.waitN ? Math.round((acc.waitSum / acc.waitN) * 10) / 10 : null };
}

const newAcc = (): Acc => ({ counts: emptyCounts(), waitSum: 0, waitN: 0 });

/** `lives` may hold fewer sites than `sites`; a site with no live state is not counted. */
export function summarize(sites: readonly Site[], lives: ReadonlyMap<string, LiveState>, atMs: number): Summary {
  const total = newAcc();
  const byDistrict = new Map<string, Acc>();
  for (const site of sites) {
    const live = lives.get(site.id);
    if (!live) continue;
    add(total, live);
    let acc = byDistrict.get(site.district);
    if (!acc) byDistrict.set(site.district, (acc = newAcc()));
    add(acc, live);
  }
  return {
    at: new Date(atMs).toISOString(),
    totals: finish(total),
    districts: [...byDistrict.entries()].map(([district, acc]) => ({ district, ...finish(acc) })),
  };
}

/** Equal apart from the timestamp: a summary is pushed only when this is false. */
export function sameSummary(a: Summary, b: Summary): boolean {
  return (
    JSON.stringify(a.totals) === JSON.stringify(b.totals) && JSON.stringify(a.districts) === JSON.stringify(b.districts)
  );
}
