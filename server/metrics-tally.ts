// Request counts and latencies of the hot routes (answered beneath Express) kept in plain numbers
// and merged into the same metric families when /metrics is scraped. prom-client validates and
// hashes the labels on every labelled inc/observe, children included (~1-2 µs): 10-20% of the CPU
// of a /api/live answer (scripts/bench: snapshot). /metrics reads as if prom-client had counted them.
import type { Counter, Histogram, MetricValue, MetricValueWithName, Registry } from 'prom-client';

/** One route and method: counts by status and a latency histogram. Callers keep their cell. */
export class RouteCell {
  readonly statuses = new Map<number, number>();
  /** Per bound, not cumulative; the last slot is above every bound (+Inf). */
  readonly buckets: Float64Array;
  sum = 0;
  count = 0;

  constructor(
    readonly route: string,
    readonly method: string,
    private readonly bounds: readonly number[],
  ) {
    this.buckets = new Float64Array(bounds.length + 1);
  }

  observe(status: number, seconds: number): void {
    this.statuses.set(status, (this.statuses.get(status) ?? 0) + 1);
    let i = 0;
    while (i < this.bounds.length && seconds > this.bounds[i]!) i++;
    this.buckets[i]! += 1;
    this.sum += seconds;
    this.count += 1;
  }
}

export class RouteTally {
  private readonly cells = new Map<string, RouteCell>();

  constructor(private readonly bounds: readonly number[]) {}

  cell(route: string, method: string): RouteCell {
    const key = `${method} ${route}`;
    let c = this.cells.get(key);
    if (!c) this.cells.set(key, (c = new RouteCell(route, method, this.bounds)));
    return c;
  }

  counterValues(): MetricValue<'route' | 'method' | 'status'>[] {
    const out: MetricValue<'route' | 'method' | 'status'>[] = [];
    for (const c of this.cells.values()) {
      for (const [status, n] of c.statuses)
        out.push({ labels: { route: c.route, method: c.method, status }, value: n });
    }
    return out;
  }

  histogramValues(name: string): MetricValueWithName<'route' | 'method' | 'le'>[] {
    const out: MetricValueWithName<'route' | 'method' | 'le'>[] = [];
    for (const c of this.cells.values()) {
      if (c.count === 0) continue;
      const labels = { route: c.route, method: c.method };
      let acc = 0;
      this.bounds.forEach((le, i) => {
        acc += c.buckets[i]!;
        out.push({ labels: { le, ...labels }, value: acc, metricName: `${name}_bucket` });
      });
      out.push({ labels: { le: '+Inf', ...labels }, value: c.count, metricName: `${name}_bucket` });
      out.push({ labels, value: c.sum, metricName: `${name}_sum` });
      out.push({ labels, value: c.count, metricName: `${name}_count` });
    }
    return out;
  }

  reset(): void {
    this.cells.clear();
  }
}

/**
 * Registers `inner` (created with `registers: []`) so that a scrape shows its values and the
 * tally's as one family. The hot routes never pass through Express, so no label set is in both.
 */
export function registerWithTally(
  registry: Registry,
  name: string,
  inner: Counter<string> | Histogram<string>,
  extra: () => Array<MetricValue<string>>,
  reset: () => void,
): void {
  const merged = {
    name,
    get: async () => {
      const own = await inner.get();
      return { ...own, values: [...own.values, ...extra()] };
    },
    reset: () => {
      inner.reset();
      reset();
    },
  };
  registry.registerMetric(merged as unknown as Parameters<Registry['registerMetric']>[0]);
}
