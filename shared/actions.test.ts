import { describe, expect, it } from 'vitest';
import { harmOf, lanesFor, rankActions, redirectTargets, type ActionInput } from './actions.js';
import type { LiveState, Site } from './schemas.js';

const base = { lat: 22.58, lng: 113.08 };
/** A site `m` metres north of the base point. */
const site = (id: string, m: number, lanes: number, extra: Partial<Site> = {}): Site => ({
  id,
  name: id,
  district: 'D',
  lat: base.lat + m / 111_195,
  lng: base.lng,
  lanes,
  ...extra,
});
const live = (
  siteId: string,
  queue: number | null,
  lanesOpen: number,
  rate = 2,
  extra: Partial<LiveState> = {},
): LiveState => {
  const wait = queue === null ? null : Math.round(queue / (lanesOpen * rate));
  return {
    siteId,
    status: 'open',
    lanesOpen,
    queue,
    waitMinutes: wait,
    level: wait === null ? 'unknown' : wait < 15 ? 'low' : wait <= 30 ? 'medium' : 'high',
    source: queue === null ? 'none' : 'staff',
    updatedAt: null,
    confidence: null,
    pauseReason: null,
    ...extra,
  };
};
const input = (sites: Site[], lives: LiveState[], extra: Partial<ActionInput> = {}): ActionInput => ({
  sites: new Map(sites.map((s) => [s.id, s])),
  lives,
  levelMinutes: [15, 30],
  ratePerLane: (s) => s.serviceRatePerLane ?? 2,
  ...extra,
});

describe('harm and lanes', () => {
  it('when the wait is under the bound, then there is no harm', () => {
    expect(harmOf(60, 1, 2, 30)).toBe(0);
  });
  it('when 87 people wait at one lane of 2/min, then 27 people are over a 30 min bound for 182 person-minutes', () => {
    // capacity 2/min; 60 people fit in 30 min; the 27 after them wait 0.5..13.5 min extra.
    expect(harmOf(87, 1, 2, 30)).toBe(182);
  });
  it('when 87 people wait at 2 per lane and minute, then 2 lanes bring the wait under 30 minutes', () => {
    expect(lanesFor(87, 2, 30)).toBe(2);
    expect(lanesFor(200, 2, 30)).toBe(4);
  });
});

describe('ranking actions', () => {
  it('when a crowded site has lanes closed, then it gets "open a lane"; at full lanes "send staff" with the extra lanes', () => {
    const sites = [site('a', 0, 3), site('b', 5000, 1)];
    const actions = rankActions(input(sites, [live('a', 150, 1), live('b', 87, 1)]));
    expect(actions.map((a) => [a.siteId, a.kind, a.lanesNeeded])).toEqual([
      ['a', 'open-lane', 2], // 150 at 1 lane: 75 min; 3 lanes give 25 min: open 2
      ['b', 'send-staff', 1], // 87 at its only lane: one more lane brings it to 22 min
    ]);
    expect(actions[0]!.harm).toBeGreaterThan(actions[1]!.harm);
  });

  it('when the learned rate is higher, then the same queue needs fewer lanes and does less harm', () => {
    const sites = [site('a', 0, 4)];
    const slow = rankActions(input(sites, [live('a', 200, 1)]))[0]!;
    const fast = rankActions(input(sites, [live('a', 200, 1)], { ratePerLane: () => 4 }))[0]!;
    expect(slow.lanesNeeded).toBe(3);
    expect(fast.lanesNeeded).toBe(1);
    expect(fast.harm).toBeLessThan(slow.harm);
  });

  it('when ranked, then more people x minutes over the bound come first, whatever the wait alone says', () => {
    // 'small': 1 lane, 70 people = 35 min, 10 over; 'big': 4 lanes, 400 people = 50 min, 160 over.
    const sites = [site('small', 0, 1), site('big', 100, 4)];
    const actions = rankActions(input(sites, [live('small', 80, 1), live('big', 400, 4)]));
    expect(actions.map((a) => a.siteId)).toEqual(['big', 'small']);
  });

  it('when sites are stale or disagree, then they get "check data"; a disagreement hiding a crowd ranks by that crowd', () => {
    const sites = [site('crowd', 0, 1), site('dark', 100, 2), site('odd', 200, 1)];
    const lives = [live('crowd', 70, 1), live('dark', null, 2), live('odd', 20, 1)];
    const actions = rankActions(input(sites, lives, { stale: ['dark'], disagree: new Map([['odd', 6]]) }));
    // 'odd' shows 20 people, the carrier says 120: 60 over the bound at 2/min = 900 person-minutes.
    expect(actions.map((a) => [a.siteId, a.kind, a.reason ?? null])).toEqual([
      ['odd', 'check-data', 'disagree'],
      ['crowd', 'send-staff', null],
      ['dark', 'check-data', 'stale'],
    ]);
  });
});

describe('redirect targets', () => {
  it('when sites nearby have room, then the nearest by walking time come first and full or dark ones are left out', () => {
    const from = site('from', 0, 1);
    const sites = [
      from,
      site('near-full', 200, 1),
      site('near', 500, 2),
      site('far', 1500, 2),
      site('dark', 100, 2),
      site('too-far', 20_000, 4),
    ];
    const lives = [
      live('from', 120, 1),
      live('near-full', 28, 1),
      live('near', 10, 2),
      live('far', 0, 2),
      live('dark', null, 2),
      live('too-far', 0, 4),
    ];
    const targets = redirectTargets(from, input(sites, lives));
    expect(targets.map((t) => t.siteId)).toEqual(['near', 'far']);
    // 'near': 2 lanes x 2/min x 15 min = 60 people under the low bound, 10 there: room for 50.
    expect(targets[0]).toEqual({ siteId: 'near', walkMinutes: 9, spare: 50 });
  });

  it('when a crowded site is ranked, then its action carries the redirect targets', () => {
    const sites = [site('a', 0, 1), site('b', 300, 2), site('closed', 50, 2)];
    const lives = [live('a', 100, 1), live('b', 4, 2), live('closed', 0, 2, 2, { status: 'closed', level: 'closed' })];
    expect(rankActions(input(sites, lives))[0]!.redirect.map((r) => r.siteId)).toEqual(['b']);
  });
});
