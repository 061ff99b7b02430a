import { describe, expect, it } from 'vitest';
import type { LiveState } from './schemas.js';
import { roughWord, waitPhrase, waitShape, waitWords } from './plain-words.js';

const live = (over: Partial<LiveState> = {}): LiveState => ({
  siteId: 's1',
  status: 'open',
  lanesOpen: 2,
  queue: 24,
  waitMinutes: 12,
  level: 'medium',
  source: 'staff',
  updatedAt: '2026-12-06T02:00:00.000Z',
  confidence: 0.9,
  pauseReason: null,
  waitRange: [10, 14],
  ...over,
});

describe('waitShape: point or range, and the rough mark', () => {
  it('when the range is narrow, then the point is said, in both languages', () => {
    const shape = waitShape(live());
    expect(shape).toEqual({ kind: 'point', n: 12, rough: false });
    expect(waitPhrase('zh', shape)).toBe('约 12 分钟');
    expect(waitPhrase('en', shape)).toBe('about 12 min');
    expect(roughWord('zh', shape)).toBe('');
  });

  it('when the range spans 5 min and half the wait, then the range is said', () => {
    const shape = waitShape(live({ waitRange: [9, 15] }));
    expect(shape).toEqual({ kind: 'range', lo: 9, hi: 15, rough: false });
    expect(waitPhrase('zh', shape)).toBe('约 9–15 分钟');
    expect(waitPhrase('en', shape)).toBe('about 9–15 min');
    // 10–15 around 12 spans 5 min but less than half the wait: "about 12" says as much.
    expect(waitShape(live({ waitRange: [10, 15] })).kind).toBe('point');
  });

  it('when the span is under 5 min, or under half the wait, then the point stays', () => {
    expect(waitShape(live({ waitMinutes: 3, waitRange: [1, 5] })).kind).toBe('point');
    // 40–48 around 44: what "about 44" says already.
    expect(waitShape(live({ waitMinutes: 44, waitRange: [40, 48] })).kind).toBe('point');
    expect(waitShape(live({ waitMinutes: 44, waitRange: [30, 60] }))).toMatchObject({ kind: 'range', lo: 30, hi: 60 });
  });

  it('when the wait is near zero but could be several minutes, then the range says so', () => {
    const shape = waitShape(live({ waitMinutes: 0, level: 'low', waitRange: [0, 6] }));
    expect(waitPhrase('zh', shape)).toBe('约 0–6 分钟');
  });

  it('when there is no range, then the point is said', () => {
    expect(waitShape(live({ waitRange: null }))).toEqual({ kind: 'point', n: 12, rough: false });
    expect(waitShape(live({ waitRange: undefined })).kind).toBe('point');
  });

  it('when confidence is under 0.5 or missing, then the wait is marked rough, in both languages', () => {
    const rough = waitShape(live({ confidence: 0.49, waitRange: [6, 20] }));
    expect(rough).toEqual({ kind: 'range', lo: 6, hi: 20, rough: true });
    expect(roughWord('zh', rough)).toBe('粗估');
    expect(roughWord('en', rough)).toBe('rough');
    expect(waitShape(live({ confidence: 0.5 }))).toMatchObject({ rough: false });
    expect(waitShape(live({ confidence: null }))).toMatchObject({ rough: true });
  });

  it('when there is nothing to say, then none, closed or paused, with no phrase and no mark', () => {
    for (const [l, kind] of [
      [null, 'none'],
      [undefined, 'none'],
      [live({ level: 'unknown', waitMinutes: null, source: 'none', waitRange: null }), 'none'],
      [live({ level: 'closed', status: 'closed', waitMinutes: null }), 'closed'],
      // A paused site with a queue and a range still offers no wait: nobody is served there now.
      [live({ status: 'paused', pauseReason: 'supplies', waitRange: [5, 30], confidence: 0.2 }), 'paused'],
    ] as const) {
      const shape = waitShape(l);
      expect(shape.kind).toBe(kind);
      expect(waitPhrase('zh', shape)).toBeNull();
      expect(roughWord('en', shape)).toBe('');
    }
  });

  it('when a wait on arrival is given, then the range moves with it and the rule applies to it', () => {
    expect(waitShape(live({ waitRange: [8, 16] }), 15)).toEqual({ kind: 'range', lo: 11, hi: 19, rough: false });
    // Shifted down, the range never goes below zero.
    expect(waitShape(live({ waitMinutes: 4, waitRange: [1, 10] }), 0)).toEqual({
      kind: 'range',
      lo: 0,
      hi: 6,
      rough: false,
    });
    expect(waitShape(live({ waitRange: null }), 15)).toEqual({ kind: 'point', n: 15, rough: false });
  });
});

describe('waitWords (the lite page and the board)', () => {
  it('says the queue with the range where it is wide, the level, and the rough mark apart', () => {
    expect(waitWords('zh', live())).toEqual({ main: '排队约 12 分钟 · 人较多', rough: '' });
    expect(waitWords('en', live({ waitRange: [8, 20], confidence: 0.3 }))).toEqual({
      main: 'Wait about 8–20 min · Busy',
      rough: 'rough',
    });
  });

  it('says closed, paused or no data instead of a wait', () => {
    expect(waitWords('zh', undefined).main).toBe('暂无实时数据');
    expect(waitWords('zh', live({ level: 'closed', status: 'closed', waitMinutes: null })).main).toBe('已关闭');
    expect(waitWords('en', live({ status: 'paused' }))).toEqual({ main: 'Paused', rough: '' });
  });
});
