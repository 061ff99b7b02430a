// How long each source's data counts as current: the configuration (and /api/meta) gives minutes,
// fusion and history resampling work in milliseconds. Converted here only.
import type { Source } from './schemas.js';

export interface StaleMs {
  staffStaleMs: number;
  carrierStaleMs: number;
}

export const staleMsOf = (staffMinutes: number, carrierMinutes: number): StaleMs => ({
  staffStaleMs: staffMinutes * 60_000,
  carrierStaleMs: carrierMinutes * 60_000,
});

/** The same per source, for history: a point of source 'none' is never current. */
export const staleMsBySource = (s: StaleMs): Record<Source, number> => ({
  staff: s.staffStaleMs,
  carrier: s.carrierStaleMs,
  none: 0,
});
