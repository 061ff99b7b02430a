// A site's history served per minute: each minute shows the last recorded point at or before it,
// unless that point had aged out by then (the same staleness rules as the live view), so a chart
// never draws an old number as if it were current.
import type { Source } from '../../shared/schemas.js';
import type { HistoryPoint } from '../store/types.js';

export interface ServedPoint {
  at: string;
  queue: number | null;
  waitMinutes: number | null;
}

export function resample(
  points: readonly HistoryPoint[],
  fromMs: number,
  toMs: number,
  staleMs: Record<Source, number>,
): ServedPoint[] {
  const out: ServedPoint[] = [];
  let i = 0;
  let last: HistoryPoint | null = null;
  for (let m = Math.ceil(fromMs / 60_000) * 60_000; m <= toMs; m += 60_000) {
    while (i < points.length && points[i]!.atMs <= m) last = points[i++]!;
    const fresh = last !== null && m - last.atMs <= staleMs[last.source];
    out.push({
      at: new Date(m).toISOString(),
      queue: fresh ? last!.queue : null,
      waitMinutes: fresh ? last!.waitMinutes : null,
    });
  }
  return out;
}
