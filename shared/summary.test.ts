import { describe, expect, it } from 'vitest';
import { mulberry32, type Rng } from '../scripts/registry/random.js';
import { LevelSchema, noDataState, SiteStatusSchema, type LiveState, type Site } from './schemas.js';
import { summarize, SummaryTally } from './summary.js';

const T0 = Date.parse('2026-12-07T02:00:00Z');
const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)]!;
const maybe = <T>(rng: Rng, x: T): T | null => (rng() < 0.2 ? null : x);

function randomState(rng: Rng, siteId: string): LiveState {
  return {
    ...noDataState(siteId),
    status: pick(rng, SiteStatusSchema.options),
    queue: maybe(rng, Math.floor(rng() * 300)),
    waitMinutes: maybe(rng, Math.floor(rng() * 90)),
    level: pick(rng, LevelSchema.options),
  };
}

describe('the summary kept one change at a time', () => {
  it('when sites change in any order, then it always equals the totals counted afresh over every site', () => {
    const rng = mulberry32(20261207);
    // Districts interleaved in the registry, so their order of first appearance matters.
    const sites: Site[] = Array.from({ length: 60 }, (_, i) => ({
      id: `s${i}`,
      name: `S${i}`,
      district: `D${(i * 7) % 5}`,
      lat: 22.5,
      lng: 113,
      lanes: 2,
    }));
    const lives = new Map<string, LiveState>();
    const tally = new SummaryTally(sites);
    const set = (site: Site, next: LiveState) => {
      tally.replace(site.district, lives.get(site.id), next);
      lives.set(site.id, next);
    };
    for (const s of sites) set(s, randomState(rng, s.id));
    expect(tally.summary(T0)).toEqual(summarize(sites, lives, T0));
    for (let step = 1; step <= 2000; step++) {
      const s = pick(rng, sites);
      set(s, randomState(rng, s.id));
      if (step % 50 === 0) expect(tally.summary(T0 + step)).toEqual(summarize(sites, lives, T0 + step));
    }
    // Every site's state back to "no data": the averages go back to null, not to a rounding residue.
    for (const s of sites) set(s, noDataState(s.id));
    expect(tally.summary(T0)).toEqual(summarize(sites, lives, T0));
    expect(tally.summary(T0).totals).toMatchObject({ sites: 60, queue: 0, waitMinutesAvg: null, unknown: 60 });
  });
});
