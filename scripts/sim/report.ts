// What one simulated day contributes to the accuracy report: the summary numbers plus the series
// the charts need, small enough to pass from a worker process as JSON.
import { percentile, reversalCounts, summarise, waitEquivalent, type DaySummary } from './analysis.js';
import type { CarrierStats } from './carrier.js';
import type { DayResult } from './fast-day.js';
import { SOURCE_CODES } from './measure.js';
import type { StaffStats } from './staff.js';

export interface ExampleSite {
  siteId: string;
  name: string;
  staffed: boolean;
  /** Per minute: the wait a probe really had, the wait shown, the source shown. */
  trueWait: (number | null)[];
  shownWait: (number | null)[];
  source: string[];
}

export interface ScenarioResult {
  /** The run (nearest, shortline, herding...). */
  name: string;
  /** The world it ran in: "default" or the scenario file's name. */
  world: string;
  label: string;
  followShare: number;
  spreading: boolean;
  sites: number;
  minutes: number;
  startMs: number;
  summary: DaySummary;
  staff: StaffStats;
  carrier: CarrierStats;
  wallMs: number;
  /** CPU time of the process that ran the scenario (server and simulator together). */
  cpuMs: number;
  /** Signed error shown - true per source, counts in 1-minute bins from -15 to +15 (clamped). */
  errorHistogram: Record<'staff' | 'carrier', number[]>;
  /** Wait percentiles 0, 5, ..., 95 and 99 by group. */
  waitQuantiles: Record<'followers' | 'nearest', number[]>;
  /** People waiting in the whole city, per 5 minutes. */
  cityQueue: number[];
  /** Per site: its queue in minutes of wait at full capacity, per 5 minutes (null: closed). */
  siteWaits: { ids: string[]; values: (number | null)[][] };
  reversals: number[];
  examples: ExampleSite[];
}

export const HIST_RANGE = 15;
/** The tail beyond the 99th percentile is a handful of people and would flatten the chart. */
export const WAIT_PERCENTILES = [...Array.from({ length: 20 }, (_, i) => i * 5), 99];
const BUCKET_MIN = 5;
const round1 = (x: number) => Math.round(x * 10) / 10;

function errorHistogram(day: DayResult): Record<'staff' | 'carrier', number[]> {
  const a = day.recorder.arrivals;
  const out = {
    staff: new Array<number>(2 * HIST_RANGE + 1).fill(0),
    carrier: new Array<number>(2 * HIST_RANGE + 1).fill(0),
  };
  for (let k = 0; k < a.site.length; k++) {
    const e = a.shown.get(k) - a.waitMin.get(k);
    const src = SOURCE_CODES[a.source.get(k)];
    if (!Number.isFinite(e) || (src !== 'staff' && src !== 'carrier')) continue;
    out[src][Math.max(-HIST_RANGE, Math.min(HIST_RANGE, Math.round(e))) + HIST_RANGE]! += 1;
  }
  return out;
}

function waitQuantiles(day: DayResult): Record<'followers' | 'nearest', number[]> {
  const a = day.recorder.arrivals;
  const f: number[] = [];
  const n: number[] = [];
  for (let k = 0; k < a.site.length; k++) {
    const w = a.waitMin.get(k);
    if (Number.isFinite(w)) (a.follower.get(k) ? f : n).push(w);
  }
  const qs = (xs: number[]) => WAIT_PERCENTILES.map((p) => round1(percentile(xs, p / 100)));
  return { followers: f.length ? qs(f) : [], nearest: qs(n) };
}

function buckets(row: ArrayLike<number>): (number | null)[] {
  const out: (number | null)[] = [];
  for (let m = 0; m < row.length; m += BUCKET_MIN) {
    let s = 0;
    let c = 0;
    for (let j = m; j < Math.min(row.length, m + BUCKET_MIN); j++) {
      if (Number.isFinite(row[j]!)) {
        s += row[j]!;
        c += 1;
      }
    }
    out.push(c ? round1(s / c) : null);
  }
  return out;
}

/** The staffed and the carrier-only site whose true wait moved most: where errors would show. */
function examples(day: DayResult): ExampleSite[] {
  const rec = day.recorder;
  const pr = rec.probes;
  const perSite = new Map<number, number[]>();
  for (let k = 0; k < pr.site.length; k++) {
    const w = pr.waitMin.get(k);
    if (!Number.isFinite(w)) continue;
    let ks = perSite.get(pr.site.get(k));
    if (!ks) perSite.set(pr.site.get(k), (ks = []));
    ks.push(k);
  }
  const range = (ks: number[]) =>
    Math.max(...ks.map((k) => pr.waitMin.get(k))) - Math.min(...ks.map((k) => pr.waitMin.get(k)));
  const pick = (staffed: boolean) =>
    [...perSite].filter(([i]) => day.staffed.has(i) === staffed).sort((x, y) => range(y[1]) - range(x[1]))[0];
  const out: ExampleSite[] = [];
  for (const chosen of [pick(true), pick(false)]) {
    if (!chosen) continue;
    const [i, ks] = chosen;
    const trueWait: (number | null)[] = new Array<number | null>(rec.minutes).fill(null);
    const source = new Array<string>(rec.minutes).fill('closed');
    for (const k of ks) {
      trueWait[pr.minute.get(k)] = round1(pr.waitMin.get(k));
      source[pr.minute.get(k)] = SOURCE_CODES[pr.source.get(k)]!;
    }
    const shownWait = Array.from(rec.shownWait.subarray(i * rec.minutes, (i + 1) * rec.minutes), (w) =>
      Number.isFinite(w) ? w : null,
    );
    out.push({
      siteId: day.sites[i]!.id,
      name: day.sites[i]!.name,
      staffed: day.staffed.has(i),
      trueWait,
      shownWait,
      source,
    });
  }
  return out;
}

export function scenarioResult(
  name: string,
  label: string,
  day: DayResult,
  world = 'default',
): Omit<ScenarioResult, 'cpuMs'> {
  const rec = day.recorder;
  const cityQueue: number[] = [];
  for (let m = 0; m < rec.minutes; m += BUCKET_MIN) {
    let s = 0;
    for (let i = 0; i < rec.siteCount; i++) {
      const q = rec.trueQueue[i * rec.minutes + m]!;
      if (Number.isFinite(q)) s += q;
    }
    cityQueue.push(s);
  }
  const waits = day.sites.map((_, i) => waitEquivalent(day, i));
  const counts = reversalCounts(day);
  return {
    name,
    world,
    label,
    followShare: day.scenario.followShare,
    spreading: day.scenario.spreading,
    sites: day.sites.length,
    minutes: rec.minutes,
    startMs: rec.startMs,
    summary: summarise(day, counts),
    staff: day.staff,
    carrier: day.carrier,
    wallMs: Math.round(day.wallMs),
    errorHistogram: errorHistogram(day),
    waitQuantiles: waitQuantiles(day),
    cityQueue,
    siteWaits: { ids: day.sites.map((s) => s.id), values: waits.map(buckets) },
    reversals: counts,
    examples: examples(day),
  };
}
