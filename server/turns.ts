// Bulk work (carrier batches, history downsampling) gives the event loop a turn between pieces, so
// that /healthz and other requests are answered meanwhile. setImmediate, not a microtask: the
// embedded store answers at once, and a microtask would not let I/O run.
export const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Carrier readings handled between two turns. A 50,000-reading batch took ~0.5 s of fusion in one
 * piece and ~100 ms of zod; 2,000 keeps each piece to a few ms (scripts/bench: carrier).
 */
export const READINGS_PER_TURN = 2_000;
