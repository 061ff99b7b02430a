// The live engine in a large city: the refusions the frame's expiry scan and the minute sweep do
// (REFUSIONS_PER_FRAME) and the sites one frame carries (FRAME_MAX_SITES) are capped, so that
// 50,000 sites changing or ageing together are spread over frames instead of holding the event
// loop in one; every site still gets out, none is passed over.
import { describe, expect, it } from 'vitest';
import type { RawSiteState } from '../../shared/domain.js';
import { fusionConfig } from '../app.js';
import { ManualClock } from '../clock.js';
import { defaultConfig } from '../config.js';
import { testSites } from '../../testing/server/app.js';
import { FRAME_MAX_SITES, LiveEngine, REFUSIONS_PER_FRAME } from './engine.js';

const MINUTE = 60_000;

function cityWithStaffCounts(n: number) {
  const sites = testSites(n);
  const clock = new ManualClock();
  const engine = new LiveEngine(sites, fusionConfig(defaultConfig), clock);
  const raw = new Map<string, RawSiteState>();
  for (const s of sites)
    raw.set(s.id, {
      staff: {
        reportId: `r-${s.id}`,
        queue: 10,
        lanesOpen: 2,
        status: 'open',
        pauseReason: null,
        note: null,
        observedAt: clock.now(),
      },
      carrier: null,
      calibration: null,
    });
  engine.load(raw);
  return { sites, clock, engine };
}

describe('the live engine in a large city', () => {
  it('when more sites age at once than a frame re-fuses, then they age over the next frames, in registry order, each exactly once', () => {
    const n = 2 * REFUSIONS_PER_FRAME + 1_234;
    const { sites, clock, engine } = cityWithStaffCounts(n);
    expect(engine.liveOf(sites[0]!.id)!.source).toBe('staff');
    // Past STAFF_STALE_MIN: every count ages out together.
    clock.advance((defaultConfig.staffStaleMin + 1) * MINUTE);
    const sizes: number[] = [];
    const seen = new Set<string>();
    for (let f = 0; f < 10; f++) {
      const frame = engine.frame();
      if (!frame) break;
      sizes.push(frame.delta.sites.length);
      const indices = frame.changes.map((c) => c.index);
      expect(indices).toEqual([...indices].sort((a, b) => a - b));
      for (const l of frame.delta.sites) {
        expect(seen.has(l.siteId)).toBe(false);
        seen.add(l.siteId);
        expect(l.source).toBe('none');
      }
    }
    expect(sizes).toEqual([REFUSIONS_PER_FRAME, REFUSIONS_PER_FRAME, 1_234]);
    expect(sites.every((s) => engine.liveOf(s.id)!.source === 'none')).toBe(true);
  });

  it('when the minute turns in a large city, then the sweep reaches every site over the next frames', () => {
    // Every site closes at 10:05 by its hours; the clock stands at 10:00 in Shanghai.
    const sites = testSites(2 * REFUSIONS_PER_FRAME + 1_234).map((s) => ({
      ...s,
      hours: [{ open: '08:00', close: '10:05' }],
    }));
    const clock = new ManualClock(Date.parse('2026-11-22T02:00:00Z'));
    const engine = new LiveEngine(sites, fusionConfig(defaultConfig), clock);
    engine.load(new Map());
    expect(sites.every((s) => engine.liveOf(s.id)!.status === 'open')).toBe(true);
    clock.advance(6 * MINUTE);
    const sizes: number[] = [];
    for (let f = 0; f < 10; f++) {
      const frame = engine.frame();
      if (!frame) break;
      sizes.push(frame.delta.sites.length);
      expect(frame.delta.sites.every((l) => l.status === 'closed')).toBe(true);
    }
    expect(sizes).toEqual([REFUSIONS_PER_FRAME, REFUSIONS_PER_FRAME, 1_234]);
    expect(sites.every((s) => engine.liveOf(s.id)!.status === 'closed')).toBe(true);
  });

  it('when a city has no more sites than a frame re-fuses, then the minute sweep reaches all of them in its first frame', () => {
    const sites = testSites(300).map((s) => ({ ...s, hours: [{ open: '08:00', close: '10:05' }] }));
    const clock = new ManualClock(Date.parse('2026-11-22T02:00:00Z'));
    const engine = new LiveEngine(sites, fusionConfig(defaultConfig), clock);
    engine.load(new Map());
    clock.advance(6 * MINUTE);
    expect(engine.frame()?.delta.sites.map((l) => l.status)).toEqual(sites.map(() => 'closed'));
    expect(engine.frame()).toBeNull();
  });

  it('when more sites change than a frame carries, then the rest go in the next frames, the ones not yet sent first, each frame in registry order', () => {
    const n = 2 * FRAME_MAX_SITES + FRAME_MAX_SITES / 2;
    const { sites, clock, engine } = cityWithStaffCounts(n);
    const count = (ids: readonly string[], queue: number) => {
      const ctx = engine.fuseCtx();
      for (const id of ids)
        engine.merge(
          id,
          { staff: { ...engine.rawOf(id).staff!, reportId: `q-${queue}-${id}`, queue, observedAt: clock.now() } },
          ctx,
        );
    };
    const ids = sites.map((s) => s.id);
    const indicesOf = () => engine.frame()!.changes.map((c) => c.index);
    const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);
    clock.advance(1_000);
    count(ids, 20);
    expect(indicesOf()).toEqual(range(0, FRAME_MAX_SITES));
    expect(engine.framePending).toBe(true);
    // The first sites change again: the ones still waiting go first all the same.
    count(ids.slice(0, FRAME_MAX_SITES), 30);
    expect(indicesOf()).toEqual(range(FRAME_MAX_SITES, 2 * FRAME_MAX_SITES));
    // The last half-cap and, wrapping around, the first half-cap, in registry order.
    expect(indicesOf()).toEqual([...range(0, FRAME_MAX_SITES / 2), ...range(2 * FRAME_MAX_SITES, n)]);
    const last = engine.frame()!;
    expect(last.changes.map((c) => c.index)).toEqual(range(FRAME_MAX_SITES / 2, FRAME_MAX_SITES));
    expect(last.delta.sites.map((l) => l.siteId)).toEqual(ids.slice(FRAME_MAX_SITES / 2, FRAME_MAX_SITES));
    expect(last.delta.sites.every((l) => l.queue === engine.liveOf(l.siteId)!.queue)).toBe(true);
    expect(engine.framePending).toBe(false);
    expect(engine.frame()).toBeNull();
  });
});
