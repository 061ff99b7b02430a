import { describe, expect, it, vi } from 'vitest';
import type { LiveState } from '../../../shared/schemas.js';
import { NO_SHIFT } from '../lib/datum.js';
import { encodeStates } from './columns.js';
import { FALLBACK_META } from './fallback-meta.js';
import { SiteModel } from './model.js';

const HOUR = 3_600_000;

/** One site with a staff count made at `at` (server clock), seen while the feed is disconnected. */
function modelWithCountAt(at: number): SiteModel {
  const m = new SiteModel(FALLBACK_META, NO_SHIFT);
  m.addSites([{ id: 'a', name: 'A', district: 'D', lat: 22.6, lng: 113.1, lanes: 2 }]);
  m.finishSites();
  const l: LiveState = {
    siteId: 'a',
    status: 'open',
    lanesOpen: 2,
    queue: 4,
    waitMinutes: 1,
    level: 'low',
    source: 'staff',
    updatedAt: new Date(at).toISOString(),
    confidence: 0.9,
    pauseReason: null,
    waitRange: [0, 2],
  };
  m.applyColumns(encodeStates([l], m.index));
  return m;
}

describe('the page model and the server clock', () => {
  it('when the server clock is learnt after the page first aged its data, then data fresh by the server clock is shown', () => {
    // The device runs two hours ahead of the server; the count is a minute old by the server.
    const serverNow = Date.now() - 2 * HOUR;
    const m = modelWithCountAt(serverNow - 60_000);
    // Before the worker has said how the clocks differ, the device's own time makes the count old.
    expect(m.level(0)).toBe('unknown');
    const stamp = m.stamp[0]!;
    m.setSkew(serverNow - Date.now());
    expect(m.level(0)).toBe('low');
    expect(m.shown(0)?.queue).toBe(4);
    // Every site is marked changed, so views that drew it "unknown" draw it again.
    expect(m.stamp[0]).not.toBe(stamp);
  });

  it('when the device clock is set back, then data is aged by the new time, not the remembered one', () => {
    // The count is a minute old; the device clock is ten hours ahead, then corrected (NTP) while
    // the worker's skew still says 0: the ageing remembered from the wrong time must not stay.
    const now = Date.now();
    const m = modelWithCountAt(now - 60_000);
    vi.useFakeTimers({ toFake: ['Date'], now: now + 10 * HOUR });
    try {
      expect(m.level(0)).toBe('unknown');
      vi.setSystemTime(now);
      expect(m.level(0)).toBe('low');
    } finally {
      vi.useRealTimers();
    }
  });
});
