// Messages between the page and the feed worker. The worker owns the socket and the big JSON
// parses (a 50,000-site delta is ~9 MB of JSON, about 80 ms to parse), hands the page live states
// as typed-array columns transferred without copying (no per-site objects to deserialise or
// collect on the main thread), and, where the browser allows, paints the map canvas itself.
import type { ConnectionState } from '../lib/live.js';
import type { Notice, Site } from '../../../shared/schemas.js';
import type { StateColumns } from './columns.js';
import type { PaintView } from './map/painter.js';

/** Sites per message, and states per message (columns are cheap, so these can be large). */
export const SITE_CHUNK = 1000;
export const STATE_CHUNK = 5000;

export type FromWorker =
  | { type: 'sites'; sites: Site[]; done: boolean }
  | { type: 'sites-error'; message: string }
  /** `full`: part of a snapshot; `last`: the final chunk of this snapshot or delta. */
  | { type: 'states'; cols: StateColumns; full: boolean; last: boolean; version: number }
  | { type: 'conn'; state: ConnectionState }
  /** A server ping reached the socket (client clock, ms). */
  | { type: 'ping'; at: number }
  /** Offline: the states sent are the cached snapshot of this time (client clock, ms). */
  | { type: 'cached'; at: number }
  /** Server clock minus this device's clock, from the `at` of snapshots and deltas. */
  | { type: 'clock'; skewMs: number }
  | { type: 'notices'; notices: Notice[] }
  /** People on their way per site id (GET /api/intents, re-read every 30 s). */
  | { type: 'en-route'; enRoute: Record<string, number> }
  /** The worker painted the map for view `seq`: the page may now move the canvas to match. */
  | { type: 'painted'; seq: number };

export type ToWorker =
  | { type: 'resync' }
  /** The /api/sites body the page already fetched (preloaded with the HTML); null: fetch it yourself. */
  | { type: 'sites-body'; body: ArrayBuffer | null }
  /**
   * The /api/live body (a Snapshot) fetched with the page and its `X-Live-Epoch`: the live feed
   * starts from it; null when the fetch failed (the feed then asks for a snapshot).
   */
  | { type: 'live-body'; body: ArrayBuffer | null; epoch: string | null }
  /** Staleness limits, for greying out numbers while disconnected (as the page does). */
  | { type: 'meta'; staffStaleMs: number; carrierStaleMs: number }
  /**
   * Where the page draws each site (zoom-0 pixels, over the tiles, so in their datum), in registry
   * order, once the registry is complete: the worker paints sites exactly there.
   */
  | { type: 'positions'; px: Float64Array; py: Float64Array }
  /** The map canvas, handed over so that the worker paints it. */
  | { type: 'canvas'; canvas: OffscreenCanvas }
  /** What to paint; the filter mask only when it changed. */
  | { type: 'view'; view: PaintView; mask?: Uint8Array };
