// The live engine: each instance's in-memory view of every site's raw data and fused LiveState.
// Writes and change messages merge raw data in; fusion runs per changed site; ageing is found by a
// per-frame expiry scan and a once-a-minute sweep (opening hours, estimates moving forward in
// time). Frames carry only what changed: the sites, and for the compact feed the fields of each
// (accumulated over every change within the frame, so that a state read between two frames, as
// `GET /api/live` serves it, plus the next frame's fields gives the next frame's state).
import { randomBytes } from 'node:crypto';
import { ALL_FIELDS, changedFields, type SiteChange } from '../../shared/compact-feed.js';
import {
  emptyRaw,
  fuse,
  fuseContext,
  nextExpiry,
  type FuseContext,
  type FusionConfig,
  type RawSiteState,
} from '../../shared/domain.js';
import type { Delta, LiveState, Site, Snapshot, Summary } from '../../shared/schemas.js';
import { sameSummary, SummaryTally } from '../../shared/summary.js';
import type { Clock } from '../clock.js';
import { cityPrior, priorFromRatio, type CarrierPrior } from '../../shared/estimator.js';

/** Sites re-fused for ageing per frame at most (see refreshTime). */
export const REFUSIONS_PER_FRAME = 5_000;
/**
 * Changed sites one frame carries at most. A carrier batch can change every site of a city at
 * once: at 50,000 sites that frame was 35-70 ms of one task to collect, encode and send, and a
 * phone was sent it whole. More changes than this go out in the next frames (one per FRAME_MS).
 */
export const FRAME_MAX_SITES = 10_000;

export interface Frame {
  delta: Delta;
  /** The frame's time (the delta's `at`), ms. */
  atMs: number;
  /** The changed sites in registry order, with the fields that changed (compact feed). */
  changes: SiteChange[];
  /** Present when the summary changed in this frame. */
  summary: Summary | null;
}

/** Newer observation wins; equal times take the incoming one (same report replayed). */
export function mergeRaw(into: RawSiteState, incoming: Partial<RawSiteState>): void {
  const { staff, carrier, calibration } = incoming;
  if (staff && (!into.staff || staff.observedAt >= into.staff.observedAt)) into.staff = staff;
  if (carrier && (!into.carrier || carrier.observedAt >= into.carrier.observedAt)) into.carrier = carrier;
  if (calibration) into.calibration = calibration;
}

export class LiveEngine {
  readonly sites: readonly Site[];
  private readonly byId = new Map<string, Site>();
  /** Registry position of each site: how the compact feed names sites. */
  private readonly indexOf = new Map<string, number>();
  /** Per registry position, the fields changed since the last frame (compact-feed bits). */
  private readonly masks: Uint16Array;
  /**
   * Names this engine's version sequence: versions restart with the process, so a client resuming
   * from a version (`X-Live-Epoch`, the compact feed's `since`) must hold one of this sequence.
   */
  readonly epoch = randomBytes(6).toString('base64url');
  private readonly raw = new Map<string, RawSiteState>();
  private readonly live = new Map<string, LiveState>();
  /**
   * Per registry position, when the site's fused state next ages (epoch ms); the minute sweep sets
   * every one to -Infinity. A typed array: the scan runs every frame over every site.
   */
  private readonly expiry: Float64Array;
  /** Where the next frame's expiry scan starts, so that capped refusions reach every site in turn. */
  private scanFrom = 0;
  /** Where the next frame's scan for changes starts, so that capped frames reach every site in turn. */
  private frameFrom = 0;
  /** Sites changed since the last frame: those whose mask is set. */
  private pending = 0;
  private version = 0;
  /** Bumped on every change of any LiveState; keys the cached HTTP bodies. */
  private changeSeq = 0;
  private lastMinute = -1;
  private snapshotCache: Snapshot | null = null;
  private summaryCache: Summary | null = null;
  /** Totals kept per change rather than re-counted per frame. */
  private readonly tally: SummaryTally;
  /**
   * Called when a site changes while nothing was waiting for the next frame, so the live loop can
   * send a change that arrives in a quiet window at once (live/sync.ts).
   */
  onFirstChange: (() => void) | null = null;
  private localTimes: [
    { minute: number; local: FuseContext['local'] }?,
    { minute: number; local: FuseContext['local'] }?,
  ] = [];

  /**
   * What an uncalibrated carrier reading means (estimator.ts cityPrior): learned from every site's
   * calibration once a minute, so that all instances holding the same raw data agree on it.
   */
  private prior: CarrierPrior;

  constructor(
    sites: readonly Site[],
    private readonly cfg: FusionConfig,
    private readonly clock: Clock,
  ) {
    this.prior = priorFromRatio(cfg.defaultCarrierRatio);
    this.sites = sites;
    sites.forEach((s, i) => {
      this.byId.set(s.id, s);
      this.indexOf.set(s.id, i);
    });
    this.masks = new Uint16Array(sites.length);
    this.expiry = new Float64Array(sites.length).fill(Infinity);
    this.tally = new SummaryTally(sites);
  }

  /** Replaces all raw data (start-up, or after a store subscription break) and fuses every site again. */
  load(raw: ReadonlyMap<string, RawSiteState>): void {
    // The first load is version 0 itself: nobody has seen an earlier state to send a delta against.
    const first = this.live.size === 0;
    for (const site of this.sites) this.raw.set(site.id, raw.get(site.id) ?? emptyRaw());
    this.learnPrior();
    const ctx = this.fuseCtx();
    this.lastMinute = Math.floor(ctx.nowMs / 60_000);
    for (const site of this.sites) this.fuseSite(site, ctx);
    if (first) {
      this.pending = 0;
      this.masks.fill(0);
    }
  }

  site(id: string): Site | undefined {
    return this.byId.get(id);
  }

  rawOf(id: string): RawSiteState {
    return this.raw.get(id) ?? emptyRaw();
  }

  liveOf(id: string): LiveState | undefined {
    return this.live.get(id);
  }

  /**
   * Local time is the costly part of a context (Intl formatting, ~5 µs), and a report asks for two
   * (its observedAt and now); the wall clock's local minute changes only once a minute, as UTC
   * offsets are whole minutes, so the last two minutes' local times are kept.
   */
  fuseCtx(nowMs = this.clock.now()): FuseContext {
    const minute = Math.floor(nowMs / 60_000);
    const [a, b] = this.localTimes;
    if (a && a.minute === minute) return { nowMs, local: a.local, cfg: this.cfg, prior: this.prior };
    if (b && b.minute === minute) return { nowMs, local: b.local, cfg: this.cfg, prior: this.prior };
    const c = fuseContext(nowMs, this.cfg, this.prior);
    this.localTimes = [{ minute, local: c.local }, a];
    return c;
  }

  /** Merges raw data (own write or another instance's message) and fuses the site again. */
  merge(siteId: string, incoming: Partial<RawSiteState>, ctx = this.fuseCtx()): void {
    const site = this.byId.get(siteId);
    if (!site) return;
    let raw = this.raw.get(siteId);
    if (!raw) this.raw.set(siteId, (raw = emptyRaw()));
    mergeRaw(raw, incoming);
    this.fuseSite(site, ctx);
  }

  private fuseSite(site: Site, ctx: FuseContext): void {
    const raw = this.raw.get(site.id) ?? emptyRaw();
    const next = fuse(site, raw, ctx);
    const index = this.indexOf.get(site.id)!;
    this.expiry[index] = nextExpiry(raw, ctx);
    const prev = this.live.get(site.id);
    const mask = prev ? changedFields(prev, next) : ALL_FIELDS;
    if (mask === 0) return;
    const wasClean = this.pending === 0;
    if (this.masks[index] === 0) this.pending += 1;
    this.masks[index]! |= mask;
    this.live.set(site.id, next);
    this.tally.replace(site.district, prev, next);
    if (wasClean) this.onFirstChange?.();
    this.changeSeq += 1;
    this.snapshotCache = null;
  }

  /** The city's carrier prior from all sites' calibrations (a pass over ~1,000 small objects). */
  private learnPrior(): void {
    const next = cityPrior(
      Array.from(this.raw.values(), (r) => r.calibration),
      priorFromRatio(this.cfg.defaultCarrierRatio),
    );
    const p = this.prior;
    if (next.a === p.a && next.b === p.b && next.paa === p.paa && next.pbb === p.pbb) return;
    this.prior = next;
  }

  /** The prior uncalibrated carrier readings are read with now (for metrics and tests). */
  get carrierPrior(): CarrierPrior {
    return this.prior;
  }

  /**
   * Re-fuses sites whose data aged out, and every site when the local minute turns (hours, and
   * the city's carrier prior, learned again first). At most REFUSIONS_PER_FRAME a frame: in a city
   * of 50,000 sites the sweep, or every carrier reading of a batch ageing out together, is ~50 ms
   * of fusion, so it is spread over the next frames (a second each) instead of held in one task.
   * A city of up to that many sites is swept whole in the minute's first frame.
   */
  refreshTime(): void {
    const nowMs = this.clock.now();
    const minute = Math.floor(nowMs / 60_000);
    if (minute !== this.lastMinute) {
      this.learnPrior();
      this.expiry.fill(-Infinity);
    }
    this.lastMinute = minute;
    const ctx = this.fuseCtx(nowMs);
    const n = this.sites.length;
    let budget = REFUSIONS_PER_FRAME;
    for (let k = 0; k < n && budget > 0; k++) {
      const i = (this.scanFrom + k) % n;
      if (this.expiry[i]! > ctx.nowMs) continue;
      this.fuseSite(this.sites[i]!, ctx);
      if (--budget === 0) this.scanFrom = (i + 1) % n;
    }
  }

  /**
   * Called once per frame: ages data, then returns what changed since the previous frame, at most
   * FRAME_MAX_SITES sites; the rest stay pending for the next frame (`framePending`).
   */
  frame(): Frame | null {
    this.refreshTime();
    if (this.pending === 0) return null;
    const changes: SiteChange[] = [];
    // A site has changed exactly when its mask is set: a scan of the masks finds the changes. It
    // starts where the last capped frame stopped; the changes are then put in registry order,
    // which the compact feed's encoding needs.
    const masks = this.masks;
    const n = masks.length;
    const from = this.frameFrom;
    let k = 0;
    for (; k < n && changes.length < FRAME_MAX_SITES; k++) {
      const index = (from + k) % n;
      const mask = masks[index]!;
      if (mask === 0) continue;
      changes.push({ index, mask, live: this.live.get(this.sites[index]!.id)! });
      masks[index] = 0;
    }
    this.frameFrom = (from + k) % n;
    this.pending -= changes.length;
    // Started mid-registry, the scan may have wrapped around.
    if (from !== 0) changes.sort((a, b) => a.index - b.index);
    const sites = changes.map((c) => c.live);
    const since = this.version;
    this.version += 1;
    this.snapshotCache = null;
    const atMs = this.clock.now();
    const at = new Date(atMs).toISOString();
    const summary = this.computeSummary();
    const changed = !this.summaryCache || !sameSummary(this.summaryCache, summary);
    if (changed) this.summaryCache = summary;
    return {
      delta: { version: this.version, since, at, sites },
      atMs,
      changes,
      summary: changed ? summary : null,
    };
  }

  /** Every site at the current version; pending changes are included (the next delta repeats them). */
  snapshot(): Snapshot {
    if (!this.snapshotCache) {
      this.snapshotCache = {
        version: this.version,
        at: new Date(this.clock.now()).toISOString(),
        sites: this.sites.map((s) => this.live.get(s.id)).filter((l): l is LiveState => !!l),
      };
    }
    return this.snapshotCache;
  }

  summary(): Summary {
    if (this.pending > 0 || !this.summaryCache) return this.computeSummary();
    return this.summaryCache;
  }

  private computeSummary(): Summary {
    return this.tally.summary(this.clock.now());
  }

  get currentVersion(): number {
    return this.version;
  }

  /** Some site changed since the last frame (the next frame will carry it). */
  get framePending(): boolean {
    return this.pending > 0;
  }

  get changeSequence(): number {
    return this.changeSeq;
  }
}
