// Validation of a carrier batch in pieces. zod over 50,000 readings in one call held the event
// loop for ~100 ms; here the envelope is checked first, then the readings a slice per turn of the
// event loop. The answer is the one CarrierBatchSchema.safeParse would give, issue for issue
// (carrier-parse.test.ts compares them), so clients see no difference.
import { z } from 'zod';
import {
  CarrierBatchSchema,
  CarrierReadingSchema,
  MAX_CARRIER_READINGS,
  type CarrierBatch,
  type CarrierReading,
} from '../../shared/schemas.js';
import { invalid } from '../errors.js';
import { nextTurn, READINGS_PER_TURN } from '../turns.js';

/** Issues an answer lists at most (errors.ts issuesOf); later readings cannot change them. */
const ISSUES_SHOWN = 50;

type Issue = z.core.$ZodIssue;

const Envelope = CarrierBatchSchema.extend({ readings: z.unknown() });
/** The array checks of CarrierBatchSchema.readings, without looking inside the readings. */
const ReadingsShape = z.array(z.unknown()).min(1).max(MAX_CARRIER_READINGS);
const Slice = z.array(CarrierReadingSchema);
const KEY_ORDER = Object.keys(CarrierBatchSchema.shape);

const under = (prefix: ReadonlyArray<PropertyKey>, issue: Issue): Issue =>
  ({ ...issue, path: [...prefix, ...issue.path] }) as Issue;

/** Resolves to the batch as CarrierBatchSchema.parse would return it; rejects with the same 400. */
export async function parseCarrierBatch(json: unknown): Promise<CarrierBatch> {
  const env = Envelope.safeParse(json);
  // Not an object at all: zod reports that alone, whatever else is wrong.
  if (!env.success && env.error.issues.some((i) => i.path.length === 0 && i.code === 'invalid_type'))
    throw invalid(env.error);
  const raw = (json as { readings?: unknown }).readings;
  const readingIssues: Issue[] = [];
  const readings: CarrierReading[] = [];
  if (!Array.isArray(raw) || raw.length < 1 || raw.length > MAX_CARRIER_READINGS) {
    // zod skips the elements of an array of the wrong length, so only the array's own issues count.
    const shape = ReadingsShape.safeParse(raw);
    if (!shape.success) readingIssues.push(...shape.error.issues.map((i) => under(['readings'], i)));
  } else {
    for (let from = 0; from < raw.length && readingIssues.length < ISSUES_SHOWN; from += READINGS_PER_TURN) {
      if (from > 0) await nextTurn();
      const slice = Slice.safeParse(raw.slice(from, from + READINGS_PER_TURN));
      if (slice.success) {
        for (const r of slice.data) readings.push(r);
      } else {
        for (const i of slice.error.issues)
          readingIssues.push(
            under(['readings', from + (i.path[0] as number)], { ...i, path: i.path.slice(1) } as Issue),
          );
      }
    }
  }
  if (env.success && readingIssues.length === 0) return { ...env.data, readings };
  // The envelope's own word on `readings` (a missing key) is said by readingIssues already.
  const envIssues = env.success ? [] : env.error.issues.filter((i) => i.path[0] !== 'readings');
  throw invalid(new z.ZodError(ordered(envIssues, readingIssues)));
}

/** Issues in the order zod reports them: by the schema's key order, keys it does not know last. */
function ordered(envelope: readonly Issue[], readings: readonly Issue[]): Issue[] {
  const rank = (i: Issue) => {
    const at = KEY_ORDER.indexOf(String(i.path[0]));
    return i.path.length === 0 || at < 0 ? KEY_ORDER.length : at;
  };
  // Array.prototype.sort is stable, so issues of one key keep their order.
  return [...envelope, ...readings].sort((a, b) => rank(a) - rank(b));
}
