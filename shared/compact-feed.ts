// The compact live feed (the contract's compact-feed extension): the content of `live:snapshot` and
// `live:delta` in a fraction of the bytes, for our own pages on phones and congested cells. Pure,
// and shared by the server (which encodes each frame once for every compact socket) and the page
// (which decodes). A frame is one flat JSON array of numbers:
//
//   delta:    [version, since, atMs, ...entries]
//   snapshot: [epoch, version, atMs, siteCount, ...entries]
//   entry:    indexGap, mask, ...one value per bit set in mask, in FIELDS order
//
// `indexGap` is the site's position in the registry (`GET /api/sites` order) minus the previous
// entry's position (entries are in registry order, so gaps are small); `mask` says which fields
// follow. A delta carries only the fields that changed since the previous frame (the engine
// accumulates them across every change within the frame, so a client holding any state between two
// frames, such as a `GET /api/live` body, ends at the next frame's state). A snapshot is the same
// form diffed against BLANK: a site with no entry is BLANK. Enums travel as their index in the
// schema's list, times as seconds before the frame's time. Compact JSON beat a binary varint form on
// CPU per frame and lost little in bytes once gaps and masks were in (docs/realtime.md).
import { z } from 'zod';
import { LevelSchema, PauseReasonSchema, SiteStatusSchema, SourceSchema, type LiveState } from './schemas.js';

/** The handshake `auth` fields of the feed choice (a staff `token` may sit beside them). */
export const FeedRequestSchema = z.object({
  feed: z.enum(['json', 'compact']).default('json'),
  /** The version the client holds (from `GET /api/live` or an earlier connection). */
  since: z.number().int().min(0).optional(),
  /** The `X-Live-Epoch` (or compact snapshot) the version belongs to. */
  epoch: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,32}$/)
    .optional(),
});
export type FeedRequest = z.infer<typeof FeedRequestSchema>;

/** One value of an entry: a number, null, or a [lo, hi] pair (waitRange). */
export type Wire = number | null | readonly [number, number];
const WireSchema = z.union([z.number(), z.null(), z.tuple([z.number().int(), z.number().int()])]);
const int = z.number().int();
export const CompactDeltaSchema = z.tuple([int.min(0), int.min(0), int], WireSchema);
export const CompactSnapshotSchema = z.tuple([z.string(), int.min(0), int, int.min(0)], WireSchema);
export type CompactDelta = [number, number, number, ...Wire[]];
export type CompactSnapshot = [string, number, number, number, ...Wire[]];

/** What a site looks like with no data and no entry in a snapshot. */
export const BLANK: Readonly<LiveState> = {
  siteId: '',
  status: 'open',
  lanesOpen: null,
  queue: null,
  waitMinutes: null,
  level: 'unknown',
  source: 'none',
  updatedAt: null,
  confidence: null,
  pauseReason: null,
  waitRange: null,
  trendPerMin: null,
};

type Mutable = Record<string, unknown>;
interface Field {
  same(a: LiveState, b: LiveState): boolean;
  encode(l: LiveState, atMs: number): Wire;
  /** Throws on a value the field cannot hold. */
  decode(into: Mutable, w: Wire, atMs: number): void;
}

function bad(what: string): never {
  throw new Error(`compact feed: bad ${what}`);
}
type Key = keyof LiveState;
const plain = (key: Key, ok: (w: Wire) => boolean): Field => ({
  same: (a, b) => (a[key] ?? null) === (b[key] ?? null),
  encode: (l) => (l[key] ?? null) as Wire,
  decode: (into, w) => void (into[key] = w === null || ok(w) ? w : bad(key)),
});
const isCount = (w: Wire) => typeof w === 'number' && Number.isInteger(w) && w >= 0;
const isNumber = (w: Wire) => typeof w === 'number';
const enumOf = (key: Key, values: readonly string[], nullable: boolean): Field => ({
  same: (a, b) => a[key] === b[key],
  encode: (l) => (l[key] === null ? null : values.indexOf(l[key] as string)),
  decode: (into, w) => {
    if (w === null && nullable) into[key] = null;
    else into[key] = (typeof w === 'number' && values[w]) || bad(key);
  },
});
const time: Field = {
  same: (a, b) => a.updatedAt === b.updatedAt,
  // Whole milliseconds apart, so the division prints with at most three decimals and rounds back.
  encode: (l, at) => (l.updatedAt === null ? null : (at - Date.parse(l.updatedAt)) / 1000),
  decode: (into, w, at) => {
    if (w !== null && typeof w !== 'number') bad('updatedAt');
    into.updatedAt = w === null ? null : new Date(at - Math.round(w * 1000)).toISOString();
  },
};
const range: Field = {
  same: (a, b) => a.waitRange?.[0] === b.waitRange?.[0] && a.waitRange?.[1] === b.waitRange?.[1],
  encode: (l) => l.waitRange ?? null,
  decode: (into, w) => {
    if (w !== null && !(Array.isArray(w) && w.every((x) => Number.isInteger(x) && x >= 0))) bad('waitRange');
    into.waitRange = w === null ? null : [w[0], w[1]];
  },
};

/** Bit i of a mask is FIELDS[i]; the order is part of the wire format (append only). */
const FIELDS: readonly Field[] = [
  enumOf('status', SiteStatusSchema.options, false),
  plain('lanesOpen', isCount),
  plain('queue', isCount),
  plain('waitMinutes', isCount),
  enumOf('level', LevelSchema.options, false),
  enumOf('source', SourceSchema.options, false),
  time,
  plain('confidence', isNumber),
  enumOf('pauseReason', PauseReasonSchema.options, true),
  range,
  plain('trendPerMin', isNumber),
];
export const ALL_FIELDS = (1 << FIELDS.length) - 1;

/** The bits of the fields in which two states differ; 0 when they are the same. */
export function changedFields(a: LiveState, b: LiveState): number {
  let mask = 0;
  for (let i = 0; i < FIELDS.length; i++) if (!FIELDS[i]!.same(a, b)) mask |= 1 << i;
  return mask;
}

/** One changed site of a frame: its registry position, the fields to send, its state now. */
export interface SiteChange {
  index: number;
  mask: number;
  live: LiveState;
}

/** Entries in registry order (the caller sorts by index). */
function pushEntries(out: Array<Wire | string>, changes: Iterable<SiteChange>, atMs: number): void {
  let prev = 0;
  for (const { index, mask, live } of changes) {
    out.push(index - prev, mask);
    prev = index;
    for (let i = 0; i < FIELDS.length; i++) if (mask & (1 << i)) out.push(FIELDS[i]!.encode(live, atMs));
  }
}

export function encodeDelta(version: number, since: number, atMs: number, changes: Iterable<SiteChange>): CompactDelta {
  const out: CompactDelta = [version, since, atMs];
  pushEntries(out, changes, atMs);
  return out;
}

/** Every site, in registry order (as `GET /api/live` lists them). */
export function encodeSnapshot(
  epoch: string,
  version: number,
  atMs: number,
  sites: readonly LiveState[],
): CompactSnapshot {
  const out: CompactSnapshot = [epoch, version, atMs, sites.length];
  function* changes() {
    for (let index = 0; index < sites.length; index++) {
      const mask = changedFields(BLANK, sites[index]!);
      if (mask) yield { index, mask, live: sites[index]! };
    }
  }
  pushEntries(out, changes(), atMs);
  return out;
}

/**
 * Reads entries from `start`, calling `apply` with each site's new state (`base` gives the state
 * the fields apply to). Throws on anything malformed: the caller resyncs.
 */
function readEntries(
  frame: readonly Wire[],
  start: number,
  atMs: number,
  ids: readonly string[],
  base: (id: string) => LiveState,
  apply: (index: number, live: LiveState) => void,
): void {
  let index = 0;
  let first = true;
  for (let p = start; p < frame.length;) {
    const gap = frame[p++];
    const mask = frame[p++];
    if (!isCount(gap ?? null) || (!first && gap === 0)) bad('site index');
    if (typeof mask !== 'number' || !Number.isInteger(mask) || mask <= 0 || mask > ALL_FIELDS) bad('mask');
    index += gap as number;
    first = false;
    const id = ids[index] ?? bad('site index');
    const next = { ...base(id), siteId: id } as Mutable;
    for (let i = 0; i < FIELDS.length; i++) {
      if (!((mask as number) & (1 << i))) continue;
      if (p >= frame.length) bad('entry length');
      FIELDS[i]!.decode(next, frame[p++]!, atMs);
    }
    apply(index, next as unknown as LiveState);
  }
}

/** The states a delta changes, each complete (the fields it carries on the state `get` holds). */
export function decodeDelta(frame: CompactDelta, ids: readonly string[], get: (id: string) => LiveState | undefined) {
  const changed: LiveState[] = [];
  readEntries(
    frame,
    3,
    frame[2],
    ids,
    (id) => get(id) ?? { ...BLANK, siteId: id },
    (_i, l) => changed.push(l),
  );
  return { version: frame[0], since: frame[1], atMs: frame[2], changed };
}

/** Every site's state, in registry order. */
export function decodeSnapshot(frame: CompactSnapshot, ids: readonly string[]) {
  const [epoch, version, atMs, count] = frame;
  if (count !== ids.length) bad(`registry: ${count} sites here, ${ids.length} known`);
  const sites = ids.map((siteId): LiveState => ({ ...BLANK, siteId }));
  // Only the header holds a string (the epoch); entries start after it.
  readEntries(
    frame as readonly unknown[] as readonly Wire[],
    4,
    atMs,
    ids,
    (id) => ({ ...BLANK, siteId: id }),
    (i, l) => (sites[i] = l),
  );
  return { epoch, version, atMs, sites };
}
