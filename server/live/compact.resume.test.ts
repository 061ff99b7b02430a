// A client that starts from any version (a GET /api/live body read at any moment, between frames
// and with changes pending) and applies the deltas the compact feed sends it from there ends equal
// to GET /api/live: the engine's field masks, accumulated over a frame, cover every change.
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../scripts/registry/random.js';
import { decodeDelta, receiveDelta } from '../../shared/compact-feed.js';
import type { Snapshot } from '../../shared/schemas.js';
import { defaultConfig } from '../config.js';
import { fusionConfig } from '../app.js';
import { ManualClock } from '../clock.js';
import { testSites } from '../../testing/server/app.js';
import { CompactFeed } from './compact.js';
import { LiveEngine } from './engine.js';

const wire = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

describe('compact feed from any version', () => {
  it('when a client starts from any body read between frames, then the deltas since bring it to the current state (seeded)', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const rng = mulberry32(seed);
      const sites = testSites(40);
      const ids = sites.map((s) => s.id);
      const clock = new ManualClock(Date.parse('2026-11-22T02:00:00Z'));
      const engine = new LiveEngine(sites, fusionConfig(defaultConfig), clock);
      engine.load(new Map());
      const feed = new CompactFeed(engine);
      const bodies: Snapshot[] = [wire(engine.snapshot())];
      let n = 0;
      for (let frame = 0; frame < 30; frame++) {
        // Several changes within a frame, some undone before it ends (a site back to where it was).
        for (let k = Math.floor(rng() * 6); k > 0; k--) {
          clock.advance(Math.floor(rng() * 20_000));
          const siteId = ids[Math.floor(rng() * ids.length)]!;
          const observedAt = clock.now();
          if (rng() < 0.5) {
            const queue = rng() < 0.3 ? 0 : Math.floor(rng() * 80);
            const status: 'open' | 'paused' = rng() < 0.1 ? 'paused' : 'open';
            const staff = {
              reportId: `r${n++}`,
              queue,
              lanesOpen: null,
              status,
              pauseReason: null,
              note: null,
              observedAt,
            };
            engine.merge(siteId, { staff } as const);
          } else {
            engine.merge(siteId, { carrier: { people: Math.floor(rng() * 100), confidence: 0.7, observedAt } });
          }
          // A page may read GET /api/live at any moment: pending changes are in its body.
          if (rng() < 0.3) bodies.push(wire(engine.snapshot()));
        }
        const f = engine.frame();
        if (f) feed.frame(f);
        if (rng() < 0.3) bodies.push(wire(engine.snapshot()));
      }
      const now = wire(engine.snapshot());
      for (const body of bodies) {
        const state = new Map(body.sites.map((l) => [l.siteId, l]));
        let version = body.version;
        for (const m of feed.forConnect({ feed: 'compact', since: body.version, epoch: engine.epoch })) {
          const frame = receiveDelta((JSON.parse(m.packet.slice(1)) as [string, unknown])[1]);
          expect(frame?.[1]).toBe(version);
          const d = decodeDelta(frame!, ids, (id) => state.get(id));
          for (const l of d.changed) state.set(l.siteId, l);
          version = d.version;
        }
        expect(version).toBe(now.version);
        expect(ids.map((id) => state.get(id))).toEqual(now.sites);
      }
    }
  });
});
