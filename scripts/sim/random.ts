// Seeded randomness for the simulator: the same seed gives the same city, queues and observer
// errors on every run, so two runs differ only where the scenario says they should.
import { gaussian, mulberry32, seedFrom, type Rng } from '../registry/random.js';

export { gaussian, mulberry32, seedFrom, type Rng };

/** An independent stream per purpose (demand, staff, carrier...): changing how one part draws
 * numbers then leaves the others' draws where they were. */
export const stream = (seed: number, purpose: string): Rng => mulberry32(seedFrom(`${seed}:${purpose}`));

export const uniform = (rng: Rng, lo: number, hi: number): number => lo + (hi - lo) * rng();

export const chance = (rng: Rng, p: number): boolean => rng() < p;

/** Poisson deviate; Knuth's method for small means, a rounded normal above (error well under 1%). */
export function poisson(rng: Rng, mean: number): number {
  if (mean <= 0) return 0;
  if (mean > 30) return Math.max(0, Math.round(mean + Math.sqrt(mean) * gaussian(rng)));
  const limit = Math.exp(-mean);
  let k = 0;
  let p = rng();
  while (p > limit) {
    k += 1;
    p *= rng();
  }
  return k;
}

/** Log-normal with the given median and log-scale spread. */
export const lognormal = (rng: Rng, median: number, sigma: number): number => median * Math.exp(sigma * gaussian(rng));

export const uint32 = (rng: Rng): number => Math.floor(rng() * 2 ** 32) >>> 0;
