// The accuracy tool's machine-readable results (`--json FILE`), in the shape the contract gives:
// { scenarios: [{ name, staff, carrier, followers, nearest, swingingSites }] }, shares as 0-1 and
// minutes for waits. Fields beyond the contract's are extensions (never in place of its fields).
import { z } from 'zod';
import type { SourceRow } from './analysis.js';
import type { ScenarioResult } from './report.js';

const share = z.number().min(0).max(1).nullable();
const SourceJsonSchema = z.object({
  within5: share,
  mae: z.number().min(0).nullable(),
  wrongLevel: share,
  within5Long: share,
  highRecall: share,
  inRange: share,
  /** Extension: median width of the shown range, minutes. */
  rangeWidthMedian: z.number().min(0).nullable(),
  /** Extension: served arrivals that saw this source. */
  arrivals: z.number().int().min(0),
});
const TripSchema = z.object({ wait: z.number().min(0).nullable(), trip: z.number().min(0).nullable() });

export const AccuracyJsonSchema = z.object({
  scenarios: z.array(
    z.object({
      name: z.string(),
      staff: SourceJsonSchema,
      carrier: SourceJsonSchema,
      followers: TripSchema,
      nearest: TripSchema,
      swingingSites: z.number().int().min(0),
      /**
       * Extensions: every arrival shown a number (staff and carrier together: compare estimators
       * by this), everyone together, the world's scenario name, the run's settings.
       */
      shown: SourceJsonSchema,
      everyone: TripSchema,
      world: z.string(),
      run: z.string(),
      followShare: z.number().min(0).max(1),
      spreading: z.boolean(),
      sites: z.number().int().min(0),
      minutes: z.number().int().min(0),
    }),
  ),
});
export type AccuracyJson = z.infer<typeof AccuracyJsonSchema>;

/** NaN and infinities are not JSON; an empty group has no figure. */
const num = (x: number | null | undefined): number | null =>
  x === null || x === undefined || !Number.isFinite(x) ? null : x;
const round = (x: number | null, digits: number): number | null => (x === null ? null : Number(x.toFixed(digits)));

function source(row: SourceRow | undefined): z.infer<typeof SourceJsonSchema> {
  return {
    within5: round(num(row?.within5), 4),
    mae: round(num(row?.mae), 2),
    wrongLevel: round(num(row?.wrongLevel), 4),
    within5Long: round(num(row?.within5Long), 4),
    highRecall: round(num(row?.highRecall), 4),
    inRange: round(num(row?.inRange), 4),
    rangeWidthMedian: round(num(row?.rangeWidthMedian), 1),
    arrivals: row?.arrivals ?? 0,
  };
}

export function accuracyJson(results: readonly ScenarioResult[]): AccuracyJson {
  return {
    scenarios: results.map((r) => {
      const src = (s: SourceRow['source']) => r.summary.sources.find((x) => x.source === s);
      const trip = (g: 'followers' | 'nearest' | 'everyone') => {
        const w = r.summary.waits.find((x) => x.group === g);
        return w && w.served > 0
          ? { wait: round(num(w.meanWait), 2), trip: round(num(w.meanTotal), 2) }
          : { wait: null, trip: null };
      };
      return {
        name: `${r.world}/${r.name}`,
        staff: source(src('staff')),
        carrier: source(src('carrier')),
        followers: trip('followers'),
        nearest: trip('nearest'),
        swingingSites: r.summary.oscillation.oscillating,
        shown: source(src('shown')),
        everyone: trip('everyone'),
        world: r.world,
        run: r.name,
        followShare: r.followShare,
        spreading: r.spreading,
        sites: r.sites,
        minutes: r.minutes,
      };
    }),
  };
}
