import { describe, expect, it } from 'vitest';
import { mulberry32, type Rng } from '../scripts/registry/random.js';
import {
  ALL_FIELDS,
  BLANK,
  changedFields,
  decodeDelta,
  decodeSnapshot,
  encodeDelta,
  encodeSnapshot,
  receiveDelta,
  receiveSnapshot,
  type CompactDelta,
  type SiteChange,
} from './compact-feed.js';
import {
  LevelSchema,
  LiveStateSchema,
  PauseReasonSchema,
  SiteStatusSchema,
  SourceSchema,
  type LiveState,
} from './schemas.js';

const T0 = Date.parse('2026-11-22T02:00:00Z');
const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)]!;
const maybe = <T>(rng: Rng, x: T): T | null => (rng() < 0.2 ? null : x);
const int = (rng: Rng, n: number) => Math.floor(rng() * n);

/** A random, schema-valid state: every field takes nulls and edge values now and then. */
function randomState(rng: Rng, siteId: string, atMs: number): LiveState {
  const lo = int(rng, 40);
  const l: LiveState = {
    siteId,
    status: pick(rng, SiteStatusSchema.options),
    lanesOpen: maybe(rng, int(rng, 51)),
    queue: maybe(rng, int(rng, 10_001)),
    waitMinutes: maybe(rng, int(rng, 300)),
    level: pick(rng, LevelSchema.options),
    source: pick(rng, SourceSchema.options),
    // Up to two minutes ahead (allowed for reports) and a day back, at any millisecond.
    updatedAt: maybe(rng, new Date(atMs + 120_000 - int(rng, 86_400_000)).toISOString()),
    confidence: maybe(rng, rng() < 0.5 ? Math.round(rng() * 100) / 100 : rng()),
    pauseReason: maybe(rng, pick(rng, PauseReasonSchema.options)),
    waitRange: maybe(rng, [lo, lo + int(rng, 30)] as [number, number]),
    trendPerMin: maybe(rng, Math.round((rng() - 0.5) * 200) / 10),
  };
  return LiveStateSchema.parse(l);
}

/** Changes a random subset of a state's fields to values of another random state. */
function mutate(rng: Rng, prev: LiveState, atMs: number): LiveState {
  const other = randomState(rng, prev.siteId, atMs);
  const next: Record<string, unknown> = { ...prev };
  for (const k of Object.keys(other) as (keyof LiveState)[]) if (rng() < 0.3) next[k] = other[k];
  return next as LiveState;
}

const ids = Array.from({ length: 120 }, (_, i) => `s${i}`);
/** The decoders only see what went over the wire (and JSON knows no -0, as /api/live does not). */
const wire = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

describe('compact feed encoding', () => {
  it('when random states are sent as a snapshot, then the page decodes exactly those states (60 seeds)', () => {
    for (let seed = 1; seed <= 60; seed++) {
      const rng = mulberry32(seed);
      const at = T0 + int(rng, 1e9);
      // Some sites blank, as most are at night: they travel as nothing at all.
      const states = ids.map((id) => (rng() < 0.3 ? { ...BLANK, siteId: id } : randomState(rng, id, at)));
      const frame = receiveSnapshot(wire(encodeSnapshot('ep0ch', 7, at, states)))!;
      const got = decodeSnapshot(frame, ids);
      expect(got).toEqual({ epoch: 'ep0ch', version: 7, atMs: at, sites: wire(states) });
    }
  });

  it('when random change sets are sent as deltas, then applying them frame by frame gives the full state (60 seeds)', () => {
    for (let seed = 1; seed <= 60; seed++) {
      const rng = mulberry32(1000 + seed);
      let at = T0;
      let truth = ids.map((id) => randomState(rng, id, at));
      const page = new Map(wire(truth).map((l) => [l.siteId, l]));
      for (let version = 1; version <= 10; version++) {
        at += 1 + int(rng, 5000);
        const changes: SiteChange[] = [];
        const next = truth.map((prev, index) => {
          if (rng() > 0.1) return prev;
          const live = mutate(rng, prev, at);
          const mask = changedFields(prev, live);
          if (mask) changes.push({ index, mask, live });
          return live;
        });
        const frame = receiveDelta(wire(encodeDelta(version, version - 1, at, changes)))!;
        const d = decodeDelta(frame, ids, (id) => page.get(id));
        expect(d).toMatchObject({ version, since: version - 1, atMs: at });
        for (const l of d.changed) page.set(l.siteId, l);
        truth = next;
        expect([...page.values()]).toEqual(wire(truth));
      }
    }
  });

  it('when a state differs in one field, then its mask has that one bit and its entry carries one value', () => {
    const a = randomState(mulberry32(5), 's3', T0);
    const b = { ...a, queue: (a.queue ?? 0) + 1 };
    const mask = changedFields(a, b);
    expect(mask).toBe(1 << 2);
    expect(encodeDelta(2, 1, T0, [{ index: 3, mask, live: b }])).toEqual([2, 1, T0, 3, mask, b.queue]);
    expect(changedFields(a, { ...a })).toBe(0);
    expect(changedFields(BLANK, { ...BLANK, status: 'closed' })).toBe(1);
  });

  it('when a frame is malformed, then decoding throws instead of producing a wrong state', () => {
    const l = randomState(mulberry32(9), 's1', T0);
    const good = encodeDelta(1, 0, T0, [{ index: 1, mask: ALL_FIELDS, live: l }]);
    const get = () => undefined;
    const bad: CompactDelta[] = [
      [1, 0, T0, ids.length, 1, 0], // index past the registry
      [1, 0, T0, 1, 0], // empty mask
      [1, 0, T0, 1, ALL_FIELDS + 1, 0], // unknown field
      [1, 0, T0, 1, 1 << 2], // value missing
      [1, 0, T0, 1, 1, 9], // status out of range
      [1, 0, T0, 1, 1 << 2, -1], // negative queue
      [1, 0, T0, 1, 1, 1, 0, 1, 0], // the same site twice
      [1, 0, T0, 1, 1 << 9, 5], // waitRange not a pair
    ];
    expect(() => decodeDelta(good, ids, get)).not.toThrow();
    for (const frame of bad) expect(() => decodeDelta(frame, ids, get), JSON.stringify(frame)).toThrow(/compact feed/);
    expect(() => decodeSnapshot(encodeSnapshot('e', 1, T0, [l]), ids)).toThrow(/registry/);
    for (const raw of [{ version: 1 }, [1, -1, T0], [1.5, 0, T0], ['1', 0, T0], [1, 0]])
      expect(receiveDelta(raw), JSON.stringify(raw)).toBeNull();
    expect(receiveSnapshot([1, 1, T0, 3])).toBeNull();
    expect(receiveSnapshot(['e', 1, T0, 3, 0, 1, 0])).not.toBeNull();
    expect(() => decodeDelta([1, 0, T0, 1, 1 << 9, [1, 2, 3]], ids, get)).toThrow(/waitRange/);
    expect(() => decodeDelta([1, 0, T0, 1, 1 << 2, 'x'], ids, get)).toThrow(/queue/);
  });
});
