import { describe, expect, it } from 'vitest';
import {
  distanceMetres,
  enRouteMinutes,
  herdPenalty,
  ineligible,
  predictWaitOnArrival,
  rankSites,
  spreadJitter,
  waitTrendPerMin,
  walkMinutes,
  type RankCandidate,
} from './rank.js';

const origin = { lat: 22.58, lng: 113.08 };
/** A point `m` metres north of the origin. */
const north = (m: number) => ({ lat: origin.lat + m / 111_195, lng: origin.lng });

function site(id: string, metres: number, wait: number | null, extra: Partial<RankCandidate> = {}): RankCandidate {
  return {
    id,
    ...north(metres),
    status: 'open',
    level: wait === null ? 'unknown' : wait < 15 ? 'low' : wait <= 30 ? 'medium' : 'high',
    waitMinutes: wait,
    lanesOpen: 2,
    ratePerLane: 2,
    confidence: 0.95,
    minutesUntilClose: null,
    ...extra,
  };
}

describe('distances and walking', () => {
  it('when a point is 1 km north, then the distance is about 1000 m', () => {
    expect(distanceMetres(origin, north(1000))).toBeCloseTo(1000, -1);
  });

  it('when walking 700 m, then it takes 13 minutes at 70 m/min with a 1.3 detour', () => {
    expect(walkMinutes(700)).toBe(13);
    expect(walkMinutes(0)).toBe(1);
  });
});

describe('predicted wait on arrival', () => {
  it('when there is no trend, then the queue is assumed steady', () => {
    expect(predictWaitOnArrival(12, 20)).toBe(12);
  });

  it('when the wait is rising, then it is extrapolated, damped and capped at 30 minutes ahead', () => {
    expect(predictWaitOnArrival(10, 10, 0.4)).toBe(12);
    expect(predictWaitOnArrival(10, 120, 0.4)).toBe(16);
    expect(predictWaitOnArrival(3, 20, -1)).toBe(0);
  });

  it("when the server sends its queue trend in people per minute, then it moves the wait by the site's capacity", () => {
    // 4 more people a minute at 2 lanes x 2 people/min: the wait grows 1 minute per minute.
    expect(waitTrendPerMin(4, 2, 2)).toBe(1);
    expect(waitTrendPerMin(-3, null, 1.5)).toBe(-2);
    expect(waitTrendPerMin(1, 0, 0)).toBe(10);
  });
});

describe('rankSites', () => {
  it('when a slightly farther site has a short line and a near one a long line, then the farther one is first', () => {
    const near = site('near', 150, 25);
    const far = site('far', 600, 0);
    for (let seed = 0; seed < 200; seed++) {
      const [first] = rankSites([near, far], { origin, seed });
      expect(first?.id).toBe('far');
    }
  });

  it('when a site is ranked, then walk and wait parts add up to the total', () => {
    const [r] = rankSites([site('a', 700, 5)], { origin, seed: 1 });
    expect(r).toMatchObject({ id: 'a', walkMinutes: 13, waitMinutes: 5, totalMinutes: 18 });
  });

  it('when sites are closed, paused or without data, then they are not recommended', () => {
    const ranked = rankSites(
      [
        site('closed', 100, null, { status: 'closed', level: 'closed' }),
        site('paused', 100, 2, { status: 'paused' }),
        site('nodata', 100, null),
        site('ok', 900, 10),
      ],
      { origin, seed: 7 },
    );
    expect(ranked.map((r) => r.id)).toEqual(['ok']);
  });

  it('when the walk plus the wait runs past closing time, then the site is not recommended', () => {
    const c = site('closing', 700, 10, { minutesUntilClose: 20 });
    expect(ineligible(c, 13, 10)).toBe('closing');
    expect(rankSites([c], { origin, seed: 3 })).toEqual([]);
    expect(rankSites([{ ...c, minutesUntilClose: 40 }], { origin, seed: 3 })).toHaveLength(1);
  });

  it('when a site is past its hours but a fresh staff report still says open, then it is not recommended', () => {
    // shared/hours.ts: no minutes left, where a site without hours has none given (null).
    const c = site('after-hours', 100, 0, { minutesUntilClose: 0 });
    expect(ineligible(c, 1, 0)).toBe('closing');
    expect(rankSites([c], { origin, seed: 3 })).toEqual([]);
    expect(rankSites([{ ...c, minutesUntilClose: null }], { origin, seed: 3 })).toHaveLength(1);
  });

  it('when a site is beyond walking range, then it is left out', () => {
    expect(rankSites([site('far', 5000, 0)], { origin, seed: 1 })).toEqual([]);
  });

  it('when there are many sites, then at most `limit` come back, best first', () => {
    const many = Array.from({ length: 20 }, (_, i) => site(`s${i}`, 100 + i * 300, 0));
    const ranked = rankSites(many, { origin, seed: 11, limit: 3 });
    expect(ranked).toHaveLength(3);
    expect(ranked[0]!.score).toBeLessThanOrEqual(ranked[1]!.score);
  });
});

describe('spreading', () => {
  it('when two sites are equally good, then different devices are sent to each about half the time', () => {
    const a = site('a', 400, 5);
    const b = { ...site('b', 400, 5), lng: origin.lng + 0.0001 };
    let firstA = 0;
    const N = 2000;
    // The nearest site's head start off: this is about the jitter alone (a is 10 m nearer).
    const opts = { stayMinutes: 0, stayFraction: 0 };
    for (let seed = 0; seed < N; seed++) if (rankSites([a, b], { origin, seed, ...opts })[0]?.id === 'a') firstA++;
    expect(firstA / N).toBeGreaterThan(0.4);
    expect(firstA / N).toBeLessThan(0.6);
  });

  it('when one site is better by more than the spreading band, then every device gets it first', () => {
    const good = site('good', 400, 2);
    const worse = site('worse', 400, 10);
    for (let seed = 0; seed < 500; seed++) expect(rankSites([worse, good], { origin, seed })[0]?.id).toBe('good');
  });

  it('when the same device asks again, then it gets the same order (no flicker)', () => {
    const list = Array.from({ length: 8 }, (_, i) => site(`s${i}`, 300 + (i % 2) * 50, 4));
    const once = rankSites(list, { origin, seed: 42, limit: 8 }).map((r) => r.id);
    expect(rankSites([...list].reverse(), { origin, seed: 42, limit: 8 }).map((r) => r.id)).toEqual(once);
  });

  it('when jitter is drawn for many seeds, then it is spread evenly over [0, 1)', () => {
    const buckets = [0, 0, 0, 0];
    for (let seed = 0; seed < 4000; seed++) {
      const u = spreadJitter(seed, 'site-1');
      expect(u).toBeGreaterThanOrEqual(0);
      expect(u).toBeLessThan(1);
      buckets[Math.floor(u * 4)]!++;
    }
    for (const n of buckets) expect(n).toBeGreaterThan(800);
  });

  it('when two sites wait the same, then the one with fewer lanes carries the larger herd penalty', () => {
    expect(herdPenalty(1, 2)).toBeGreaterThan(herdPenalty(5, 2));
    expect(herdPenalty(null, 2)).toBe(herdPenalty(1, 2));
  });
});

describe("the nearest site's head start", () => {
  // Spreading off, so that only the head start decides the order.
  const still = { spreadMinutes: 0, spreadFraction: 0, herdPeople: 0 };
  const near = site('near', 150, 10);

  it('when another site is quicker by less than the head start, then the nearest stays first, its minutes shown as they are', () => {
    // near: 3 min walk + 10 wait = 13; other: 5 min walk + 4 wait = 9, 4 minutes quicker.
    const other = site('other', 250, 4);
    const opts = { origin, seed: 1, ...still, stayMinutes: 5, stayFraction: 0.3 };
    const ranked = rankSites([other, near], opts);
    expect(ranked.map((r) => r.id)).toEqual(['near', 'other']);
    expect(ranked.map((r) => r.totalMinutes)).toEqual([13, 9]);
    // Without a head start the quicker one wins.
    expect(rankSites([other, near], { ...opts, stayMinutes: 0, stayFraction: 0 })[0]!.id).toBe('other');
  });

  it('when another site is quicker by more than the head start, then it comes first', () => {
    // other: 5 min walk + 0 wait = 5, 8 minutes quicker than 13 (head start max(5, 0.3 x 13) = 5).
    const other = site('other', 250, 0);
    expect(rankSites([near, other], { origin, seed: 1, ...still, stayMinutes: 5, stayFraction: 0.3 })[0]!.id).toBe(
      'other',
    );
  });

  it('when the nearest site has a long wait, then the head start is the given share of its time', () => {
    // near: 3 + 40 = 43, head start 0.3 x 43 = 12.9; other: 14 min walk + 20 wait = 34, 9 quicker: near stays.
    const long = site('near', 150, 40);
    const other = site('other', 750, 20);
    const opts = { origin, seed: 1, ...still, stayMinutes: 5, stayFraction: 0.3 };
    expect(rankSites([other, long], opts)[0]!.id).toBe('near');
    // 20 minutes quicker: it goes first.
    expect(rankSites([site('other', 750, 9), long], opts)[0]!.id).toBe('other');
  });

  it('when the nearest site may not be recommended, then the head start goes to the nearest one that may', () => {
    const paused = site('paused', 100, 0, { status: 'paused' });
    // other: 5 min walk + 6 wait = 11, 2 minutes quicker than near's 13.
    const other = site('other', 250, 6);
    const opts = { origin, seed: 1, ...still, stayMinutes: 5, stayFraction: 0.3 };
    expect(rankSites([paused, near, other], opts).map((r) => r.id)).toEqual(['near', 'other']);
    expect(rankSites([paused, near, other], { ...opts, stayMinutes: 0, stayFraction: 0 })[0]!.id).toBe('other');
  });
});

describe('advice that respects the command centre, the site and the people already on their way', () => {
  it('when a site is under a "go elsewhere" or "closed" notice, then it is never recommended, however short its queue', () => {
    const redirected = site('redirected', 100, 0, { notice: 'redirect' });
    const closedByNotice = site('closed-notice', 120, 0, { notice: 'closed' });
    const other = site('other', 1500, 25);
    for (let seed = 0; seed < 300; seed++) {
      expect(rankSites([redirected, closedByNotice, other], { origin, seed, limit: 3 }).map((r) => r.id)).toEqual([
        'other',
      ]);
    }
    expect(ineligible(redirected, 2, 0)).toBe('notice');
  });

  it('when a site is paused, then it is never recommended even as the only one with data', () => {
    expect(rankSites([site('paused', 100, 0, { status: 'paused' })], { origin, seed: 1 })).toEqual([]);
    expect(ineligible(site('paused', 100, 0, { status: 'paused' }), 2, 0)).toBe('paused');
  });

  it('when people on their way would make the resident arrive after closing, then the site is left out', () => {
    // 13 min walk + 5 min wait = 18 < 25 min to closing; 20 people on their way at 4/min add 5 min.
    const c = site('closing', 700, 5, { minutesUntilClose: 25 });
    expect(rankSites([c], { origin, seed: 2 })).toHaveLength(1);
    expect(rankSites([{ ...c, enRoute: 40 }], { origin, seed: 2 })).toEqual([]);
  });

  it('when people are on their way to a site, then its predicted wait rises by their service time', () => {
    const [plain] = rankSites([site('a', 700, 5)], { origin, seed: 1 });
    const [busy] = rankSites([site('a', 700, 5, { enRoute: 12 })], { origin, seed: 1 });
    // 12 people over 2 lanes x 2 per minute: 3 minutes more.
    expect(busy!.waitMinutes - plain!.waitMinutes).toBe(3);
    expect(enRouteMinutes(12, 2, 2)).toBe(3);
    expect(enRouteMinutes(undefined, 2, 2)).toBe(0);
  });

  it('when many are already heading to the quiet site, then the next resident is sent to the other one', () => {
    // 60 on their way at 2 lanes x 2 a minute: 15 minutes more, beyond the nearest site's head start.
    const quiet = site('quiet', 400, 2, { enRoute: 60 });
    const steady = site('steady', 450, 6);
    for (let seed = 0; seed < 200; seed++) expect(rankSites([quiet, steady], { origin, seed })[0]?.id).toBe('steady');
  });
});
