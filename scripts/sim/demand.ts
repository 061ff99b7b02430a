// When people come: a day profile with a morning peak (testing before work) and an evening peak
// (after work), a quiet lunch, and district surges on top. Multipliers of a site's base demand.
import type { Surge } from './scenario.js';

/** [local minute, multiplier], linear in between; averages about 1 over 07:00-21:00. */
const DAY_PROFILE: readonly (readonly [number, number])[] = [
  [0, 0.05],
  [6 * 60, 0.1],
  [7 * 60, 0.9],
  [8 * 60, 1.7],
  [9 * 60, 1.5],
  [10 * 60, 1.0],
  [11 * 60 + 30, 0.8],
  [12 * 60 + 30, 0.45],
  [14 * 60, 0.8],
  [16 * 60, 0.9],
  [17 * 60 + 30, 1.5],
  [18 * 60 + 30, 1.65],
  [19 * 60 + 30, 1.1],
  [21 * 60, 0.5],
  [22 * 60, 0.2],
  [24 * 60, 0.05],
];

/** Street traffic (passers-by the carrier also counts): daytime, highest at the commuting peaks. */
const TRAFFIC_PROFILE: readonly (readonly [number, number])[] = [
  [0, 0.1],
  [6 * 60, 0.3],
  [8 * 60, 1],
  [10 * 60, 0.7],
  [12 * 60, 0.8],
  [14 * 60, 0.6],
  [18 * 60, 1],
  [21 * 60, 0.6],
  [24 * 60, 0.1],
];

function interpolate(table: readonly (readonly [number, number])[], minute: number): number {
  for (let i = 1; i < table.length; i++) {
    const [m1, v1] = table[i]!;
    if (minute <= m1) {
      const [m0, v0] = table[i - 1]!;
      return v0 + ((v1 - v0) * (minute - m0)) / (m1 - m0);
    }
  }
  return table[table.length - 1]![1];
}

export const dayProfile = (localMinute: number): number => interpolate(DAY_PROFILE, localMinute);
export const trafficProfile = (localMinute: number): number => interpolate(TRAFFIC_PROFILE, localMinute);

/** Rounds are announced for a window, but people do not all come at the first minute. */
const SURGE_RAMP_MIN = 20;

export function surgeFactor(surges: readonly Surge[], district: string, localMinute: number): number {
  let f = 1;
  for (const s of surges) {
    if (s.district !== district || localMinute < s.fromMinute || localMinute >= s.toMinute) continue;
    const edge = Math.min(localMinute - s.fromMinute, s.toMinute - localMinute);
    f *= 1 + (s.factor - 1) * Math.min(1, edge / SURGE_RAMP_MIN);
  }
  return f;
}
