import { describe, expect, it } from 'vitest';
import type { LiveState, Site } from '../../../shared/schemas.js';
import type { SiteTrend } from '../../../shared/trends.js';
import { disagreements, LastSeen, longestWaits, risingFastest, ServerClock, staleSites } from './model.js';

const site = (id: string): Site => ({ id, name: `点 ${id}`, district: '蓬江区', lat: 22.5, lng: 113, lanes: 2 });
const live = (siteId: string, p: Partial<LiveState> = {}): LiveState => ({
  siteId,
  status: 'open',
  lanesOpen: 2,
  queue: 10,
  waitMinutes: 3,
  level: 'low',
  source: 'staff',
  updatedAt: '2026-11-23T02:00:00.000Z',
  confidence: 0.95,
  pauseReason: null,
  ...p,
});
const trend = (siteId: string, p: Partial<SiteTrend> = {}): SiteTrend => ({
  siteId,
  queueBefore: null,
  lastSeenAt: null,
  disagreement: null,
  ...p,
});

const sites = new Map(['a', 'b', 'c', 'd', 'e'].map((id) => [id, site(id)]));

describe('wall lists', () => {
  it('when waits differ, then the longest come first and closed or unknown sites are left out', () => {
    const lives = [
      live('a', { waitMinutes: 5 }),
      live('b', { waitMinutes: 40, level: 'high' }),
      live('c', { status: 'closed', level: 'closed', waitMinutes: null }),
      live('d', { waitMinutes: null, queue: null, level: 'unknown', source: 'none' }),
      live('e', { waitMinutes: 40, queue: 90, level: 'high' }),
    ];
    expect(longestWaits(sites, lives).map((r) => r.site.id)).toEqual(['e', 'b', 'a']);
    expect(longestWaits(sites, lives, 1)).toHaveLength(1);
  });

  it('when queues grew, then rising lists only growth against 15 minutes ago, biggest first', () => {
    const lives = [
      live('a', { queue: 30 }),
      live('b', { queue: 50 }),
      live('c', { queue: 5 }),
      live('d', { queue: 80 }),
    ];
    const trends = new Map([
      ['a', trend('a', { queueBefore: 10 })],
      ['b', trend('b', { queueBefore: 10 })],
      ['c', trend('c', { queueBefore: 20 })],
    ]);
    const rows = risingFastest(sites, lives, trends);
    expect(rows.map((r) => [r.site.id, r.rise])).toEqual([
      ['b', 40],
      ['a', 20],
    ]);
  });

  it('when open sites lost their source, then stale lists those once seen, most recently dark first, and counts all', () => {
    const dark = {
      queue: null,
      waitMinutes: null,
      level: 'unknown' as const,
      source: 'none' as const,
      updatedAt: null,
    };
    const lives = [live('a', dark), live('b', dark), live('c', dark), live('d')];
    const seen = new Map([
      ['a', 1000],
      ['b', 5000],
    ]);
    const r = staleSites(sites, lives, (id) => seen.get(id) ?? null);
    expect(r.rows.map((x) => x.site.id)).toEqual(['b', 'a']);
    expect(r.total).toBe(3);
    expect(r.dark).toBe(2);
  });

  it('when the server flags a disagreement, then it shows while staff still count the site', () => {
    const lives = new Map([
      ['a', live('a')],
      ['b', live('b', { source: 'carrier' })],
      ['c', live('c')],
    ]);
    const trends = new Map([
      ['a', trend('a', { disagreement: { ratio: 3, flagged: true } })],
      ['b', trend('b', { disagreement: { ratio: 5, flagged: true } })],
      ['c', trend('c', { disagreement: { ratio: 0.1, flagged: true } })],
    ]);
    expect(disagreements(sites, lives, trends).map((r) => r.site.id)).toEqual(['c', 'a']);
  });

  it('when the screen saw a site after the server last reported it, then the newer sighting wins', () => {
    const ls = new LastSeen();
    ls.setServer([trend('a', { lastSeenAt: '2026-11-23T02:00:00.000Z' })]);
    expect(ls.get('a')).toBe(Date.parse('2026-11-23T02:00:00.000Z'));
    ls.observe(live('a', { updatedAt: '2026-11-23T02:05:00.000Z' }));
    expect(ls.get('a')).toBe(Date.parse('2026-11-23T02:05:00.000Z'));
    ls.observe(live('a', { updatedAt: null }));
    expect(ls.get('a')).toBe(Date.parse('2026-11-23T02:05:00.000Z'));
    expect(ls.get('zz')).toBeNull();
  });
});

describe('the server clock as seen by the wall', () => {
  const T = Date.parse('2026-11-23T02:00:00Z');
  const iso = (ms: number) => new Date(ms).toISOString();

  it('when an older server time arrives after a newer one, then the clock is not turned back', () => {
    const clock = new ServerClock();
    clock.observe(iso(T + 22 * 60_000)); // a live frame after the server's clock moved on
    clock.observe(iso(T + 60_000)); // an HTTP answer computed before it, landing late
    expect(clock.now()).toBeGreaterThanOrEqual(T + 22 * 60_000);
  });

  it('when a new connection brings an earlier time, then it is taken (the server clock was stepped back)', () => {
    const clock = new ServerClock();
    clock.observe(iso(T + 22 * 60_000));
    clock.observe(iso(T), true);
    expect(clock.now()).toBeLessThan(T + 60_000);
  });
});
