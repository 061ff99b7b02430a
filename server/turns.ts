// Bulk work (carrier batches, history downsampling) gives the event loop a turn between pieces, so
// that /healthz and other requests are answered meanwhile. setImmediate, not a microtask: the
// embedded store answers at once, and a microtask would not let I/O run.
export const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Carrier readings handled between two turns. A 50,000-reading batch took ~0.5 s of fusion in one
 * piece and ~100 ms of zod; 1,000 keeps each piece to a few ms even on a slow, shared machine,
 * where 2,000 gave an event-loop p99 of 20 ms embedded against 14 (scripts/bench: carrier).
 */
export const READINGS_PER_TURN = 1_000;
