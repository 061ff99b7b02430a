// The live engine reads a site the carrier alone sees with the city's prior (shared/estimator.ts
// cityPrior), learned from the sites whose readings were checked against staff counts, and learns
// it again as calibrations arrive (at the once-a-minute sweep).
import { describe, expect, it } from 'vitest';
import type { Calibration, RawSiteState } from '../../shared/domain.js';
import { fusionConfig } from '../app.js';
import { ManualClock } from '../clock.js';
import { defaultConfig } from '../config.js';
import { testSites } from '../../testing/server/app.js';
import { LiveEngine } from './engine.js';

const sites = testSites(7);
const calibrated: Calibration = { ratio: 0.4, samples: 10, a: 2.5, b: 50, paa: 0.01, pbb: 4, pab: 0 };

function start(calibratedSites: number) {
  const clock = new ManualClock();
  const engine = new LiveEngine(sites, fusionConfig({ ...defaultConfig, carrierRatio: 0.5 }), clock);
  const raw = new Map<string, RawSiteState>();
  for (let i = 0; i < calibratedSites; i++)
    raw.set(sites[i]!.id, { staff: null, carrier: null, calibration: calibrated });
  // The last site: only ever seen by the carrier, 100 people counted just now.
  raw.set('site-7', {
    staff: null,
    carrier: { people: 100, confidence: null, observedAt: clock.now() },
    calibration: null,
  });
  engine.load(raw);
  return { engine, clock };
}

describe('the city carrier prior in the live engine', () => {
  it('when too few sites are calibrated, then an uncalibrated reading is read with the configured ratio', () => {
    const { engine } = start(3);
    expect(engine.carrierPrior.a).toBe(2);
    // (100 - 5 passers-by) / 2 phones per person, less 2 in service.
    expect(engine.liveOf('site-7')!.queue).toBe(46);
    expect(engine.liveOf('site-7')!.source).toBe('carrier');
  });

  it("when enough sites are calibrated, then it is read with the city's phones per person and passers-by", () => {
    const { engine } = start(6);
    expect(engine.carrierPrior).toMatchObject({ a: 2.5, b: 50 });
    // (100 - 50) / 2.5 - 2 in service.
    expect(engine.liveOf('site-7')!.queue).toBe(18);
  });

  it('when calibrations arrive later, then the prior is learned again at the next minute and the site re-read', () => {
    const { engine, clock } = start(3);
    for (const id of ['site-4', 'site-5', 'site-6']) engine.merge(id, { calibration: calibrated });
    expect(engine.liveOf('site-7')!.queue).toBe(46);
    clock.advance(60_000);
    engine.frame();
    expect(engine.liveOf('site-7')!.queue).toBe(18);
  });
});
