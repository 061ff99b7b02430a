// Live states as typed-array columns, shared by the feed worker and the page: the worker encodes
// what the socket delivers and transfers it without copying; both sides keep a full table and
// derive the same level and look from it (the worker to paint the map, the page for everything else).
import type { Level, LiveState, PauseReason, SiteStatus, Source } from '../../../shared/schemas.js';
import type { Look } from './looks.js';

export const LEVELS: readonly Level[] = ['low', 'medium', 'high', 'closed', 'unknown'];
export const STATUSES: readonly SiteStatus[] = ['open', 'paused', 'closed'];
export const SOURCES: readonly Source[] = ['staff', 'carrier', 'none'];
/** Index 0 is "no reason". */
export const PAUSES: readonly (PauseReason | null)[] = [null, 'break', 'supplies', 'staffing', 'weather', 'other'];
/** Looks in drawing order, the short lines residents look for on top; also the sprites' order. */
export const LOOKS: readonly Look[] = ['unknown', 'closed', 'high', 'medium', 'paused', 'low'];

/** `level` of a site no state has arrived for yet. */
export const NO_STATE = 255;
const L_CLOSED = LEVELS.indexOf('closed');
const L_UNKNOWN = LEVELS.indexOf('unknown');
const S_PAUSED = STATUSES.indexOf('paused');
const SRC_STAFF = SOURCES.indexOf('staff');
const SRC_NONE = SOURCES.indexOf('none');
const LOOK_OF_LEVEL = LEVELS.map((l) => LOOKS.indexOf(l));
const LOOK_PAUSED = LOOKS.indexOf('paused');
const LOOK_UNKNOWN = LOOKS.indexOf('unknown');

/** Live states, one row per site: -1 (ints) and NaN (floats) stand for null. */
export interface StateColumns {
  n: number;
  /** The site's position in the registry as served by /api/sites. */
  idx: Int32Array;
  level: Uint8Array;
  status: Uint8Array;
  source: Uint8Array;
  pause: Uint8Array;
  queue: Int32Array;
  lanes: Int32Array;
  wait: Int32Array;
  updatedAt: Float64Array;
  confidence: Float32Array;
  /** The wait range (LiveState `waitRange`), -1 for none. */
  lo: Int32Array;
  hi: Int32Array;
}

export function emptyColumns(n: number): StateColumns {
  return {
    n,
    idx: new Int32Array(n),
    level: new Uint8Array(n),
    status: new Uint8Array(n),
    source: new Uint8Array(n),
    pause: new Uint8Array(n),
    queue: new Int32Array(n),
    lanes: new Int32Array(n),
    wait: new Int32Array(n),
    updatedAt: new Float64Array(n),
    confidence: new Float32Array(n),
    lo: new Int32Array(n),
    hi: new Int32Array(n),
  };
}

const code = <T>(list: readonly T[], v: T) => Math.max(0, list.indexOf(v));

/** States of known sites as columns; states of sites not in `index` are left out. */
export function encodeStates(states: readonly LiveState[], index: ReadonlyMap<string, number>): StateColumns {
  const c = emptyColumns(states.length);
  let k = 0;
  for (const l of states) {
    const i = index.get(l.siteId);
    if (i === undefined) continue;
    c.idx[k] = i;
    c.level[k] = code(LEVELS, l.level);
    c.status[k] = code(STATUSES, l.status);
    c.source[k] = code(SOURCES, l.source);
    c.pause[k] = code(PAUSES, l.pauseReason);
    c.queue[k] = l.queue ?? -1;
    c.lanes[k] = l.lanesOpen ?? -1;
    c.wait[k] = l.waitMinutes ?? -1;
    c.updatedAt[k] = l.updatedAt ? Date.parse(l.updatedAt) : NaN;
    c.confidence[k] = l.confidence ?? NaN;
    c.lo[k] = l.waitRange?.[0] ?? -1;
    c.hi[k] = l.waitRange?.[1] ?? -1;
    k++;
  }
  c.n = k;
  return c;
}

export const transferables = (c: StateColumns): ArrayBuffer[] =>
  [c.idx, c.level, c.status, c.source, c.pause, c.queue, c.lanes, c.wait, c.updatedAt, c.confidence, c.lo, c.hi].map(
    (a) => a.buffer as ArrayBuffer,
  );

/** What ageing needs to know: while connected the server ages data out itself. */
export interface Ageing {
  connected: boolean;
  nowMs: number;
  staffStaleMs: number;
  carrierStaleMs: number;
}

/** Every site's latest state. */
export class LiveTable {
  readonly c: StateColumns;

  constructor(readonly n: number) {
    this.c = emptyColumns(n);
    this.c.level.fill(NO_STATE);
    this.c.wait.fill(-1);
    this.c.lo.fill(-1);
    this.c.hi.fill(-1);
    this.c.updatedAt.fill(NaN);
  }

  /** Copies a chunk in; `before` sees each row's old values first (the page keeps trends). */
  apply(src: StateColumns, before?: (i: number, k: number) => void): void {
    const m = this.c;
    for (let k = 0; k < src.n; k++) {
      const i = src.idx[k]!;
      if (i >= this.n) continue;
      before?.(i, k);
      m.level[i] = src.level[k]!;
      m.status[i] = src.status[k]!;
      m.source[i] = src.source[k]!;
      m.pause[i] = src.pause[k]!;
      m.queue[i] = src.queue[k]!;
      m.lanes[i] = src.lanes[k]!;
      m.wait[i] = src.wait[k]!;
      m.updatedAt[i] = src.updatedAt[k]!;
      m.confidence[i] = src.confidence[k]!;
      m.lo[i] = src.lo[k]!;
      m.hi[i] = src.hi[k]!;
    }
  }

  has(i: number): boolean {
    return this.c.level[i] !== NO_STATE;
  }

  /** A number older than its staleness limit while nobody (disconnected) ages it out. */
  aged(i: number, a: Ageing): boolean {
    const m = this.c;
    if (a.connected || m.level[i] === L_CLOSED || m.source[i] === SRC_NONE || Number.isNaN(m.updatedAt[i]))
      return false;
    return a.nowMs - m.updatedAt[i]! > (m.source[i] === SRC_STAFF ? a.staffStaleMs : a.carrierStaleMs);
  }

  /** Index into LEVELS of the level shown. */
  levelCode(i: number, a: Ageing): number {
    const code = this.c.level[i]!;
    return code === NO_STATE || this.aged(i, a) ? L_UNKNOWN : code;
  }

  /** Index into LOOKS: the level, or paused for a paused site with a number. */
  lookCode(i: number, a: Ageing): number {
    const level = this.levelCode(i, a);
    const look = LOOK_OF_LEVEL[level]!;
    return this.c.status[i] === S_PAUSED && level !== L_CLOSED && level !== L_UNKNOWN
      ? LOOK_PAUSED
      : (look ?? LOOK_UNKNOWN);
  }
}
