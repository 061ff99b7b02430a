import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defaultScenario, parseScenario, scenario } from './scenario.js';

describe('scenario files', () => {
  it('when a file overrides a few keys, then those change and every other key keeps its default', () => {
    const r = parseScenario({ staffEveryMin: [10, 20], carrierPassersMax: 150 });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const sc = scenario(r.overrides);
    expect(sc.staffEveryMin).toEqual([10, 20]);
    expect(sc.carrierPassersMax).toBe(150);
    expect(sc.staffCountError).toBe(defaultScenario.staffCountError);
    expect(r.name).toBeUndefined();
  });

  it('when a key is unknown (a typo), then the file is refused and the message names the key', () => {
    const r = parseScenario({ staffEvryMin: [10, 20], rank: { herdPeopel: 3 } });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.message).toContain('"staffEvryMin"');
    expect(r.message).toContain('"rank.herdPeopel"');
  });

  it('when a value is out of range or a range is reversed, then the file is refused with the key path', () => {
    const r = parseScenario({
      followShare: 1.5,
      staffEveryMin: [20, 10],
      surges: [{ district: 'A', fromMinute: 600, toMinute: 500, factor: 2 }],
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.message).toMatch(/followShare:/);
    expect(r.message).toMatch(/staffEveryMin:/);
    expect(r.message).toMatch(/surges\.0:/);
  });

  it('when the file is not an object, then it is refused', () => {
    expect(parseScenario([1, 2]).ok).toBe(false);
    expect(parseScenario('realistic').ok).toBe(false);
  });

  it('when the bundled realistic scenario is read, then it is valid and harsher than the default', () => {
    const r = parseScenario(
      JSON.parse(readFileSync(new URL('../../scenarios/realistic.json', import.meta.url), 'utf8')),
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.name).toBe('realistic');
    const sc = scenario(r.overrides);
    expect(sc.staffEveryMin[0]).toBeGreaterThanOrEqual(10);
    expect(sc.staffCountError).toBeGreaterThanOrEqual(0.1);
    expect(sc.carrierPassersMax).toBeGreaterThanOrEqual(150);
    expect(sc.carrierBiasMedian).not.toBe(defaultScenario.carrierBiasMedian);
    expect(sc.carrierBiasDrift).toBeGreaterThanOrEqual(0.35);
    expect(sc.serviceRateSpread).toBeGreaterThanOrEqual(0.25);
    expect(sc.staffLaneMisreportChance).toBeGreaterThan(0);
  });
});
