import { describe, expect, it } from 'vitest';
import type { LiveState, Site } from '../../../shared/schemas.js';
import { tokenFromHash } from './enrol.js';
import { bestAlternative, distanceM, formatDistance, nearestSites } from './nearby.js';

const site = (id: string, lat: number, lng: number): Site => ({ id, name: id, district: 'd', lat, lng, lanes: 2 });
const live = (siteId: string, waitMinutes: number | null, status: LiveState['status'] = 'open'): LiveState => ({
  siteId,
  status,
  lanesOpen: 2,
  queue: waitMinutes === null ? null : waitMinutes * 4,
  waitMinutes,
  level: 'low',
  source: 'staff',
  updatedAt: null,
  confidence: null,
  pauseReason: null,
});

describe('nearby sites', () => {
  const home = site('home', 22.58, 113.08);
  const sites = [
    home,
    site('a', 22.581, 113.08),
    site('b', 22.59, 113.08),
    site('c', 22.7, 113.08),
    site('far', 23.5, 113.08),
  ];

  it('when measuring, then 0.001 degree of latitude is about 111 m', () => {
    expect(distanceM(home, sites[1]!)).toBeGreaterThan(105);
    expect(distanceM(home, sites[1]!)).toBeLessThan(117);
  });

  it('when listing, then other sites within 10 km come closest first, the site itself excluded', () => {
    expect(nearestSites(home, sites).map((n) => n.site.id)).toEqual(['a', 'b']);
    expect(nearestSites(home, sites, 1).map((n) => n.site.id)).toEqual(['a']);
  });

  it('when suggesting, then the open site with the shortest known wait shorter than here wins', () => {
    const near = nearestSites(home, sites, 6, 20_000);
    const map = new Map([
      ['home', live('home', 20)],
      ['a', live('a', 5, 'paused')],
      ['b', live('b', 8)],
      ['c', live('c', 12)],
    ]);
    expect(bestAlternative(map.get('home'), near, map)).toBe('b');
    expect(bestAlternative(live('home', 3), near, map)).toBeNull();
  });

  it('when formatting, then metres below 1 km and kilometres above', () => {
    expect(formatDistance(347)).toBe('350 m');
    expect(formatDistance(1234)).toBe('1.2 km');
  });
});

describe('enrolment link', () => {
  it('when the fragment carries enroll=, then the token is taken and other parameters kept', () => {
    expect(tokenFromHash('#enroll=st_abc')).toEqual({ token: 'st_abc', rest: '' });
    expect(tokenFromHash('#x=1&enroll=st_abc')).toEqual({ token: 'st_abc', rest: '#x=1' });
    expect(tokenFromHash('')).toEqual({ token: null, rest: '' });
    expect(tokenFromHash('#enroll=')).toEqual({ token: null, rest: '' });
  });
});
