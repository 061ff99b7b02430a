import { describe, expect, it } from 'vitest';
import type { Site } from '../../shared/schemas.js';
import { runFastDay } from './fast-day.js';
import { SOURCE_CODES } from './measure.js';
import { scenario } from './scenario.js';

const SEVEN_AM = Date.parse('2026-11-23T07:00:00+08:00');

const sites: Site[] = Array.from({ length: 4 }, (_, i) => ({
  id: `cal-${i}`,
  name: `site ${i}`,
  district: 'A',
  lat: 21 + i,
  lng: 113,
  lanes: 2,
}));

describe('carrier calibration, through the real app in fast mode', () => {
  it('when a biased carrier is calibrated against staff counts, then its carrier-only waits are much closer to the truth', async () => {
    const day = await runFastDay({
      sites,
      startMs: SEVEN_AM,
      minutes: 4 * 60,
      // Sites 0 and 1 have tablets whose staff often forget for longer than a count stays fresh,
      // so they spend part of the morning on the carrier alone; 2 and 3 never see a tablet.
      staffed: [0, 1],
      scenario: scenario({
        followShare: 0,
        utilisation: [0.75, 0.75],
        surges: [],
        staffForgetChance: 0.25,
        staffForgetMin: [20, 40],
        carrierMissingChance: 0,
        carrierLateChance: 0,
        carrierOutageChance: 0,
        carrierSiteDropChance: 0,
        breakChance: 0,
        outageChance: 0,
      }),
      // Four phones per person there: twice what the server assumes before calibration.
      prepare: (sim) => sites.forEach((_, i) => sim.carrier.setBias(i, 4, 1)),
    });
    const a = day.recorder.arrivals;
    const errs = { calibrated: [] as number[], uncalibrated: [] as number[] };
    for (let k = 0; k < a.site.length; k++) {
      if (SOURCE_CODES[a.source.get(k)] !== 'carrier') continue;
      const e = Math.abs(a.shown.get(k) - a.waitMin.get(k));
      if (Number.isFinite(e)) (day.staffed.has(a.site.get(k)) ? errs.calibrated : errs.uncalibrated).push(e);
    }
    const mae = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
    expect(errs.calibrated.length).toBeGreaterThan(50);
    expect(errs.uncalibrated.length).toBeGreaterThan(50);
    expect(mae(errs.calibrated)).toBeLessThan(0.5 * mae(errs.uncalibrated));
    expect(day.staff.refused).toEqual({});
    expect(day.carrier.refused).toEqual({});
  });
});
