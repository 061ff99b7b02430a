import { Counter, Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { RouteTally, registerWithTally } from './metrics-tally.js';

const BOUNDS = [0.001, 0.01, 0.1, 1];
const OBSERVATIONS: Array<[string, string, number, number]> = [
  ['/api/live', 'GET', 200, 0.0004],
  ['/api/live', 'GET', 200, 0.001],
  ['/api/live', 'GET', 304, 0.02],
  ['/api/live', 'HEAD', 200, 3],
  ['/api/sites', 'GET', 200, 0.5],
];

/** The text prom-client prints when it counts the observations itself. */
async function promClientText(): Promise<string> {
  const registry = new Registry();
  const c = new Counter({
    name: 'x_requests_total',
    help: 'h',
    labelNames: ['route', 'method', 'status'],
    registers: [registry],
  });
  const h = new Histogram({
    name: 'x_seconds',
    help: 'h',
    labelNames: ['route', 'method'],
    buckets: BOUNDS,
    registers: [registry],
  });
  for (const [route, method, status, s] of OBSERVATIONS) {
    c.inc({ route, method, status });
    h.observe({ route, method }, s);
  }
  return registry.metrics();
}

async function tallyText(): Promise<{ registry: Registry; text: string }> {
  const registry = new Registry();
  const c = new Counter({
    name: 'x_requests_total',
    help: 'h',
    labelNames: ['route', 'method', 'status'],
    registers: [],
  });
  const h = new Histogram({
    name: 'x_seconds',
    help: 'h',
    labelNames: ['route', 'method'],
    buckets: BOUNDS,
    registers: [],
  });
  const tally = new RouteTally(BOUNDS);
  registerWithTally(
    registry,
    'x_requests_total',
    c,
    () => tally.counterValues(),
    () => tally.reset(),
  );
  registerWithTally(
    registry,
    'x_seconds',
    h,
    () => tally.histogramValues('x_seconds'),
    () => {},
  );
  for (const [route, method, status, s] of OBSERVATIONS) tally.cell(route, method).observe(status, s);
  return { registry, text: await registry.metrics() };
}

const sortedLines = (text: string) => text.split('\n').filter(Boolean).sort();

describe('RouteTally', () => {
  it('when hot routes count into the tally, then a scrape prints exactly what prom-client would have printed', async () => {
    const { text } = await tallyText();
    expect(sortedLines(text)).toEqual(sortedLines(await promClientText()));
  });

  it('when the inner metric also has values, then both appear in one family', async () => {
    const registry = new Registry();
    const c = new Counter({ name: 'y_total', help: 'h', labelNames: ['route', 'method', 'status'], registers: [] });
    const tally = new RouteTally(BOUNDS);
    registerWithTally(
      registry,
      'y_total',
      c,
      () => tally.counterValues(),
      () => tally.reset(),
    );
    c.inc({ route: '/api/summary', method: 'GET', status: '200' });
    tally.cell('/api/live', 'GET').observe(200, 0.0001);
    const text = await registry.metrics();
    expect(text.match(/# TYPE y_total counter/g)).toHaveLength(1);
    expect(text).toContain('y_total{route="/api/summary",method="GET",status="200"} 1');
    expect(text).toContain('y_total{route="/api/live",method="GET",status="200"} 1');
    registry.resetMetrics();
    expect(await registry.metrics()).not.toContain('route=');
  });
});
