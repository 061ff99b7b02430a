// How many of the city's sites each district, and then each community, gets.
import type { Rng } from './random.js';

/**
 * Splits `total` in proportion to `weights` by largest remainder, never giving an item more than
 * `cap`. Equal remainders (common: every village of a town weighs the same) are broken at random,
 * so that the villages that get a site are spread over the town instead of being the first few
 * codes of the list.
 */
export function apportion(total: number, weights: readonly number[], rng: Rng, cap = Infinity): number[] {
  const sum = weights.reduce((s, w) => s + w, 0);
  if (sum <= 0) throw new Error('apportion: weights sum to zero');
  const counts = weights.map((w) => Math.min(cap, Math.floor((total * w) / sum)));
  // Drawn for every item, whatever happens next, so the stream stays aligned between runs.
  const order = weights
    .map((w, i) => ({ i, rest: (total * w) / sum - Math.floor((total * w) / sum), tie: rng() }))
    .sort((a, b) => b.rest - a.rest || a.tie - b.tie);
  let left = total - counts.reduce((s, c) => s + c, 0);
  while (left > 0) {
    let gave = false;
    for (const { i } of order) {
      if (left === 0) break;
      if ((counts[i] as number) >= cap || weights[i] === 0) continue;
      counts[i] = (counts[i] as number) + 1;
      left--;
      gave = true;
    }
    if (!gave) throw new Error(`apportion: cannot place ${left} more under a cap of ${cap}`);
  }
  return counts;
}

/**
 * Every street or town had at least one sampling site (command ran down to street level), so a
 * town left without one takes a site from the community that has the most.
 */
export function coverEveryGroup(
  counts: number[],
  groupOf: readonly string[],
  preferred: ReadonlyMap<string, number>,
): void {
  for (const [group, index] of preferred) {
    const has = counts.some((c, i) => c > 0 && groupOf[i] === group);
    if (has) continue;
    let donor = -1;
    counts.forEach((c, i) => {
      if (c > 1 && (donor < 0 || c > (counts[donor] as number))) donor = i;
    });
    if (donor < 0) throw new Error(`no community can spare a site for ${group}`);
    counts[donor] = (counts[donor] as number) - 1;
    counts[index] = (counts[index] as number) + 1;
  }
}
