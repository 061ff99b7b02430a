import { describe, expect, it } from 'vitest';
import type { LiveState } from './schemas.js';
import { WATCH_THRESHOLDS, watchChoices, watchMet } from './watch.js';

const live = (over: Partial<LiveState> = {}): LiveState => ({
  siteId: 's',
  status: 'open',
  lanesOpen: 2,
  queue: 40,
  waitMinutes: 10,
  level: 'low',
  source: 'staff',
  updatedAt: '2026-11-23T09:00:00.000Z',
  confidence: 0.9,
  pauseReason: null,
  waitRange: null,
  ...over,
});

describe('watchMet: when a watch fires', () => {
  it('when the wait is at most the chosen minutes at an open site, then "below" (the number itself included)', () => {
    expect(watchMet({ belowMinutes: 10 }, live({ waitMinutes: 10 }))).toBe('below');
    expect(watchMet({ belowMinutes: 10 }, live({ waitMinutes: 3 }))).toBe('below');
    expect(watchMet({ belowMinutes: 10 }, live({ waitMinutes: 0 }))).toBe('below');
    expect(watchMet({ belowMinutes: 10 }, live({ waitMinutes: 11 }))).toBeNull();
  });

  it('when the command centre tells people to stay away, then neither a short wait nor a reopening fires', () => {
    expect(watchMet({ belowMinutes: 10 }, live({ waitMinutes: 2 }), true)).toBeNull();
    expect(watchMet({ reopen: true }, live({ waitMinutes: 2 }), true)).toBeNull();
    expect(watchMet({ belowMinutes: 10 }, live({ waitMinutes: 2 }), false)).toBe('below');
  });

  it('when the wait is unknown, aged out, paused or closed, then a wait watch does not fire', () => {
    expect(watchMet({ belowMinutes: 10 }, live({ waitMinutes: null, source: 'none', level: 'unknown' }))).toBeNull();
    // A stale number that the server still carries is not a wait: "none" decides.
    expect(watchMet({ belowMinutes: 10 }, live({ source: 'none', waitMinutes: 2 }))).toBeNull();
    expect(watchMet({ belowMinutes: 10 }, live({ status: 'paused', waitMinutes: 2 }))).toBeNull();
    expect(watchMet({ belowMinutes: 10 }, live({ status: 'closed', level: 'closed', waitMinutes: 0 }))).toBeNull();
    expect(watchMet({ belowMinutes: 10 }, null)).toBeNull();
  });

  it('when a site is open again, then a reopen watch fires, with or without a number yet', () => {
    expect(watchMet({ reopen: true }, live({ status: 'closed', level: 'closed' }))).toBeNull();
    expect(watchMet({ reopen: true }, live({ status: 'paused' }))).toBeNull();
    // Open by status but outside its opening hours: the level says closed.
    expect(watchMet({ reopen: true }, live({ level: 'closed' }))).toBeNull();
    expect(watchMet({ reopen: true }, live({ waitMinutes: 25, level: 'medium' }))).toBe('reopen');
    expect(watchMet({ reopen: true }, live({ source: 'none', level: 'unknown', waitMinutes: null }))).toBe('reopen');
  });
});

describe('watchChoices: what the page offers', () => {
  it('when the wait is known, then only thresholds below it, proposing the largest within 60% of it', () => {
    expect(watchChoices(live({ waitMinutes: 40 }))).toEqual({
      reopen: false,
      thresholds: [5, 10, 15, 20, 30],
      initial: 20,
    });
    expect(watchChoices(live({ waitMinutes: 18 }))).toEqual({ reopen: false, thresholds: [5, 10, 15], initial: 10 });
    expect(watchChoices(live({ waitMinutes: 8 }))).toEqual({ reopen: false, thresholds: [5], initial: 5 });
    expect(watchChoices(live({ waitMinutes: 60 })).initial).toBe(30);
  });

  it('when the wait is already at the lowest choice, then nothing is offered', () => {
    expect(watchChoices(live({ waitMinutes: 5 }))).toEqual({ reopen: false, thresholds: [], initial: null });
    expect(watchChoices(live({ waitMinutes: 0 }))).toEqual({ reopen: false, thresholds: [], initial: null });
  });

  it('when there is no number, then every threshold, proposing 10; when closed or paused, then only its reopening', () => {
    expect(watchChoices(live({ source: 'none', waitMinutes: null, level: 'unknown' }))).toEqual({
      reopen: false,
      thresholds: [...WATCH_THRESHOLDS],
      initial: 10,
    });
    expect(watchChoices(null).initial).toBe(10);
    expect(watchChoices(live({ status: 'paused' }))).toEqual({ reopen: true, thresholds: [], initial: null });
    expect(watchChoices(live({ status: 'closed', level: 'closed' })).reopen).toBe(true);
  });

  it('when any offered threshold is chosen, then it is not met by the state it was offered on', () => {
    for (let wait = 0; wait <= 90; wait++) {
      const l = live({ waitMinutes: wait });
      for (const n of watchChoices(l).thresholds) expect(watchMet({ belowMinutes: n }, l)).toBeNull();
    }
  });
});
