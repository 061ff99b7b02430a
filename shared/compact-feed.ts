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
import {
  LevelSchema,
  noDataState,
  PauseReasonSchema,
  SiteStatusSchema,
  SourceSchema,
  type LiveState,
} from './schemas.js';

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
const int = z.number().int();
const DeltaHeaderSchema = z.tuple([int.min(0), int.min(0), int]);
const SnapshotHeaderSchema = z.tuple([z.string(), int.min(0), int, int.min(0)]);

/** What the server sends. */
export type CompactDelta = [number, number, number, ...Wire[]];
export type CompactSnapshot = [string, number, number, number, ...Wire[]];
/** What a receiver holds once the header is validated (entries are checked as they are decoded). */
export type ReceivedDelta = readonly [number, number, number, ...unknown[]];
export type ReceivedSnapshot = readonly [string, number, number, number, ...unknown[]];

/**
 * A received frame with its header validated, or null. Only the header goes through zod: a
 * schema per element costs more than decoding a 50,000-site frame, so entries are checked value
 * by value as they are decoded (readEntries).
 */
export function receiveDelta(raw: unknown): ReceivedDelta | null {
  return Array.isArray(raw) && DeltaHeaderSchema.safeParse(raw.slice(0, 3)).success
    ? (raw as unknown as ReceivedDelta)
    : null;
}
export function receiveSnapshot(raw: unknown): ReceivedSnapshot | null {
  return Array.isArray(raw) && SnapshotHeaderSchema.safeParse(raw.slice(0, 4)).success
    ? (raw as unknown as ReceivedSnapshot)
    : null;
}

/** What a site looks like with no data and no entry in a snapshot. */
export const BLANK: Readonly<LiveState> = Object.freeze(noDataState(''));

type Key = Exclude<keyof LiveState, 'siteId'>;
interface Field {
  key: Key;
  same(a: LiveState, b: LiveState): boolean;
  encode(l: LiveState, atMs: number): Wire;
  /** The field's value from its wire form; throws on a value the field cannot hold. */
  decode(w: unknown, atMs: number): unknown;
}

function bad(what: string): never {
  throw new Error(`compact feed: bad ${what}`);
}
const plain = (key: Key, ok: (w: unknown) => boolean): Field => ({
  key,
  same: (a, b) => (a[key] ?? null) === (b[key] ?? null),
  encode: (l) => (l[key] ?? null) as Wire,
  decode: (w) => (w === null || ok(w) ? w : bad(key)),
});
const isCount = (w: unknown) => typeof w === 'number' && Number.isInteger(w) && w >= 0;
const isNumber = (w: unknown) => typeof w === 'number';
const enumOf = (key: Key, values: readonly string[], nullable: boolean): Field => ({
  key,
  same: (a, b) => a[key] === b[key],
  encode: (l) => (l[key] === null ? null : values.indexOf(l[key] as string)),
  decode: (w) => (w === null && nullable ? null : (typeof w === 'number' && values[w]) || bad(key)),
});
const time: Field = {
  key: 'updatedAt',
  same: (a, b) => a.updatedAt === b.updatedAt,
  // Whole milliseconds apart, so the division prints with at most three decimals and rounds back.
  encode: (l, at) => (l.updatedAt === null ? null : (at - Date.parse(l.updatedAt)) / 1000),
  decode: (w, at) => {
    if (w === null) return null;
    return typeof w === 'number' ? new Date(at - Math.round(w * 1000)).toISOString() : bad('updatedAt');
  },
};
const range: Field = {
  key: 'waitRange',
  same: (a, b) => a.waitRange?.[0] === b.waitRange?.[0] && a.waitRange?.[1] === b.waitRange?.[1],
  encode: (l) => l.waitRange ?? null,
  decode: (w) => {
    if (w === null) return null;
    if (!Array.isArray(w) || w.length !== 2 || !isCount(w[0]) || !isCount(w[1])) bad('waitRange');
    return [w[0], w[1]];
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
 * A state from field values in FIELDS order, always built with the same shape: decoding a
 * 50,000-site delta makes 50,000 of these, and one shape keeps that fast.
 */
const build = (siteId: string, v: readonly unknown[]): LiveState =>
  ({
    siteId,
    status: v[0],
    lanesOpen: v[1],
    queue: v[2],
    waitMinutes: v[3],
    level: v[4],
    source: v[5],
    updatedAt: v[6],
    confidence: v[7],
    pauseReason: v[8],
    waitRange: v[9],
    trendPerMin: v[10],
  }) as LiveState;

/**
 * Reads entries from `start`, calling `apply` with each site's new state (`base` gives the state
 * the fields apply to). This is the validation of entries (a zod schema per element costs more
 * than the decoding at 50,000 sites): anything malformed throws, and the caller resyncs.
 */
function readEntries(
  frame: readonly unknown[],
  start: number,
  atMs: number,
  ids: readonly string[],
  base: (id: string) => LiveState,
  apply: (index: number, live: LiveState) => void,
): void {
  const values: unknown[] = new Array<unknown>(FIELDS.length);
  let index = 0;
  for (let p = start; p < frame.length;) {
    const gap = frame[p++];
    const mask = frame[p++];
    if (!isCount(gap) || (p > start + 2 && gap === 0)) bad('site index');
    if (!isCount(mask) || (mask as number) === 0 || (mask as number) > ALL_FIELDS) bad('mask');
    index += gap as number;
    const id = ids[index] ?? bad('site index');
    const prev = base(id);
    for (let i = 0; i < FIELDS.length; i++) {
      const f = FIELDS[i]!;
      if (!((mask as number) & (1 << i))) values[i] = prev[f.key] ?? null;
      else if (p < frame.length) values[i] = f.decode(frame[p++], atMs);
      else bad('entry length');
    }
    apply(index, build(id, values));
  }
}

/** The states a delta changes, each complete (the fields it carries on the state `get` holds). */
export function decodeDelta(frame: ReceivedDelta, ids: readonly string[], get: (id: string) => LiveState | undefined) {
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
export function decodeSnapshot(frame: ReceivedSnapshot, ids: readonly string[]) {
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
