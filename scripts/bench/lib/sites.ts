// Registries for the benchmarks: the bundled 986 Jiangmen sites, or that many copied up to any size.
// Opening hours are dropped so that every site is open whatever the hour of the run: a change to
// a closed site would not change its LiveState and so would send no delta.
import type { Site } from '../../../shared/schemas.js';
import { DEFAULT_SITES_FILE, loadRegistry } from '../../../server/registry/load.js';

export function benchSites(n = 986): Site[] {
  const bundled = loadRegistry(DEFAULT_SITES_FILE).map(({ hours: _hours, ...s }) => s);
  if (n <= bundled.length) return bundled.slice(0, n);
  const out: Site[] = [];
  for (let i = 0; i < n; i++) {
    const s = bundled[i % bundled.length]!;
    const copy = Math.floor(i / bundled.length);
    out.push(copy === 0 ? s : { ...s, id: `${s.id}-c${copy}`, lat: s.lat + copy * 1e-5 });
  }
  return out;
}
