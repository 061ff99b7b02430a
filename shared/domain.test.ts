import { describe, expect, it } from 'vitest';
import {
  computeWaitMinutes,
  emptyRaw,
  fuse,
  fuseContext,
  levelFor,
  nextExpiry,
  updateCalibration,
  type FusionConfig,
  type RawSiteState,
  type StaffRecord,
} from './domain.js';
import { priorFromRatio } from './estimator.js';
import type { Site } from './schemas.js';

const cfg: FusionConfig = {
  staffStaleMs: 15 * 60_000,
  carrierStaleMs: 5 * 60_000,
  levelMinutes: [15, 30],
  serviceRatePerLane: 2,
  timezone: 'Asia/Shanghai',
  defaultCarrierRatio: 0.5,
};
// 10:00 local time in Shanghai, a Sunday.
const NOW = Date.parse('2026-11-22T02:00:00Z');
const site: Site = { id: 's1', name: 'S', district: 'D', lat: 22.5, lng: 113, lanes: 2 };
const staff = (over: Partial<StaffRecord> = {}): StaffRecord => ({
  reportId: 'rep-00001',
  queue: 40,
  lanesOpen: 2,
  status: 'open',
  pauseReason: null,
  note: null,
  observedAt: NOW - 60_000,
  ...over,
});
const raw = (over: Partial<RawSiteState> = {}): RawSiteState => ({ ...emptyRaw(), ...over });
const ctx = (now = NOW, c = cfg) => fuseContext(now, c);

describe('wait minutes and levels', () => {
  it('when lanes serve 2 a minute each, then 40 people wait 10 minutes', () => {
    expect(computeWaitMinutes(40, 2, 2)).toBe(10);
    expect(computeWaitMinutes(41, 2, 2)).toBe(10);
    expect(computeWaitMinutes(0, 0, 2)).toBe(0);
  });
  it('when nobody is serving a queue, then the wait is unknown and the level high', () => {
    expect(computeWaitMinutes(5, 0, 2)).toBeNull();
    expect(levelFor(null, [15, 30])).toBe('high');
  });
  it('when the wait is under 15, 15 to 30, or over 30 minutes, then the level is low, medium, high', () => {
    expect(levelFor(14, [15, 30])).toBe('low');
    expect(levelFor(15, [15, 30])).toBe('medium');
    expect(levelFor(30, [15, 30])).toBe('medium');
    expect(levelFor(31, [15, 30])).toBe('high');
  });
});

describe('fusion', () => {
  it('when a staff report is fresh, then it wins over a fresh carrier reading', () => {
    const l = fuse(site, raw({ staff: staff(), carrier: { people: 500, confidence: 0.9, observedAt: NOW } }), ctx());
    // An uncalibrated carrier reading far off moves a fresh count by at most a person.
    expect(l).toMatchObject({ source: 'staff', waitMinutes: 10, level: 'low', status: 'open', lanesOpen: 2 });
    expect(Math.abs(l.queue! - 40)).toBeLessThanOrEqual(1);
    expect(l.updatedAt).toBe(new Date(NOW - 60_000).toISOString());
  });
  it('when the staff report is older than the stale limit, then a fresh carrier reading is shown calibrated', () => {
    const l = fuse(
      site,
      raw({
        staff: staff({ observedAt: NOW - 16 * 60_000 }),
        carrier: { people: 100, confidence: 0.8, observedAt: NOW - 60_000 },
        calibration: { ratio: 0.3, samples: 5 },
      }),
      ctx(),
    );
    // 100 people at 1/0.3 phones each: 30 present, 2 of them in service.
    expect(l).toMatchObject({ source: 'carrier', queue: 28, waitMinutes: 7, level: 'low' });
    expect(l.waitRange![0]).toBeLessThanOrEqual(7);
    expect(l.waitRange![1]).toBeGreaterThanOrEqual(7);
  });
  it('when the carrier feed was never calibrated, then the default ratio applies with a wide range and lower confidence', () => {
    const l = fuse(site, raw({ carrier: { people: 100, confidence: null, observedAt: NOW } }), ctx());
    // (100 - 5 passers-by) / 2 phones per person, less 2 in service.
    expect(l.queue).toBe(46);
    const calibrated = fuse(
      site,
      raw({
        carrier: { people: 100, confidence: null, observedAt: NOW },
        calibration: { ratio: 0.5, samples: 20, a: 2, b: 5, paa: 0.001, pbb: 1, pab: 0 },
      }),
      ctx(),
    );
    expect(l.confidence!).toBeLessThan(calibrated.confidence!);
    expect(l.waitRange![1] - l.waitRange![0]).toBeGreaterThan(calibrated.waitRange![1] - calibrated.waitRange![0]);
  });
  it('when no source is fresh, then nothing is shown rather than an old number', () => {
    const l = fuse(
      site,
      raw({
        staff: staff({ observedAt: NOW - 20 * 60_000 }),
        carrier: { people: 9, confidence: 1, observedAt: NOW - 6 * 60_000 },
      }),
      ctx(),
    );
    expect(l).toMatchObject({ source: 'none', queue: null, waitMinutes: null, level: 'unknown', updatedAt: null });
  });
  it('when staff close the site, then it stays closed for the rest of the local day', () => {
    const closed = raw({
      staff: staff({ status: 'closed', observedAt: NOW - 60 * 60_000 }),
      carrier: { people: 50, confidence: 1, observedAt: NOW },
    });
    expect(fuse(site, closed, ctx()).level).toBe('closed');
    // Next local day (Shanghai midnight is 16:00 UTC).
    expect(fuse(site, closed, ctx(Date.parse('2026-11-22T16:30:00Z'))).level).toBe('unknown');
  });
  it('when staff pause the site, then the status and reason show while the report is fresh', () => {
    const l = fuse(
      site,
      raw({ staff: staff({ status: 'paused', pauseReason: 'supplies', lanesOpen: 0, queue: 12 }) }),
      ctx(),
    );
    expect(l).toMatchObject({ status: 'paused', pauseReason: 'supplies', waitMinutes: null, level: 'high' });
  });
  it('when the site is outside its opening hours, then it is closed without staff saying so', () => {
    const hours = [{ open: '14:00', close: '20:00' }];
    const l = fuse({ ...site, hours }, raw({ carrier: { people: 50, confidence: 1, observedAt: NOW } }), ctx());
    expect(l).toMatchObject({ status: 'closed', level: 'closed', source: 'none' });
  });
  it('when a site sets its own service rate, then the wait uses it', () => {
    expect(fuse({ ...site, serviceRatePerLane: 1 }, raw({ staff: staff() }), ctx()).waitMinutes).toBe(20);
  });
  it('when a report omits lanes open, then the registry lanes count', () => {
    expect(fuse({ ...site, lanes: 4 }, raw({ staff: staff({ lanesOpen: null }) }), ctx()).waitMinutes).toBe(5);
  });
});

describe('expiry', () => {
  it('when data is fresh, then the next expiry is when the first source ages out', () => {
    const r = raw({ staff: staff({ observedAt: NOW }), carrier: { people: 1, confidence: 1, observedAt: NOW } });
    expect(nextExpiry(r, ctx())).toBe(NOW + 5 * 60_000 + 1);
  });
  it('when all data is stale, then nothing is due', () => {
    expect(nextExpiry(raw({ staff: staff({ observedAt: NOW - 3600_000 }) }), ctx())).toBe(Infinity);
  });
});

describe('calibration', () => {
  const P = priorFromRatio(0.5);
  const c = (people: number, observedAt = NOW) => ({ people, observedAt });
  it('when staff and carrier overlap in time, then a (phones per person present) moves toward what the pair shows, within bounds', () => {
    // 30 waiting + 2 in service, 100 people counted: a near 3 when b stays near its prior.
    let cal = updateCalibration(null, { queue: 30, observedAt: NOW, status: 'open' }, c(100), 2, P);
    for (let i = 0; i < 10; i++)
      cal = updateCalibration(cal, { queue: 30, observedAt: NOW, status: 'open' }, c(100), 2, P);
    expect(cal!.a! * 32 + cal!.b!).toBeCloseTo(100, -1);
    expect(cal!.samples).toBe(11);
    const wild = updateCalibration(null, { queue: 10_000, observedAt: NOW, status: 'open' }, c(10), 2, P);
    expect(wild!.a).toBeGreaterThanOrEqual(0.3);
  });
  it('when the observations are far apart, few people are counted, or the site is not open, then nothing is learned', () => {
    const prev = { ratio: 0.4, samples: 2 };
    expect(
      updateCalibration(prev, { queue: 30, observedAt: NOW, status: 'open' }, c(100, NOW - 10 * 60_000), 2, P),
    ).toBe(prev);
    expect(updateCalibration(prev, { queue: 3, observedAt: NOW, status: 'open' }, c(2), 2, P)).toBe(prev);
    expect(updateCalibration(prev, { queue: 0, observedAt: NOW, status: 'paused' }, c(100), 2, P)).toBe(prev);
  });
});
