// The two write paths, independent of HTTP: a staff report and a carrier batch. Each computes
// what to store from this instance's view (calibration, history point), stores it atomically, then
// merges the stored result into the engine so the answer carries the new LiveState.
import { hash } from 'node:crypto';
import {
  isCarrierFresh,
  isStaffFresh,
  fuse,
  siteThroughput,
  updateCalibration,
  type CarrierRecord,
  type FuseContext,
  type RawSiteState,
  type StaffRecord,
} from '../../shared/domain.js';
import { smoothCarrier } from '../../shared/carrier-filter.js';
import { learnRate } from '../../shared/service-rate.js';
import type { CarrierAnswer, CarrierBatch, LiveState, StaffReport } from '../../shared/schemas.js';
import { AppError } from '../errors.js';
import type { CarrierApplyItem, HistoryPoint, Store } from '../store/types.js';
import type { LiveEngine } from './engine.js';
import { nextTurn, READINGS_PER_TURN } from '../turns.js';

/** A tablet clock may run a little fast; more than this is a wrong clock, not a real report. */
export const MAX_FUTURE_MS = 2 * 60_000;
/** Older reports are refused: they could only be replays of long-dead outboxes. */
export const MAX_AGE_MS = 24 * 3600_000;

export interface StaffOutcome {
  applied: boolean;
  reason?: 'outdated';
  live: LiveState;
}

/** Canonical JSON (sorted keys) so the same body hashes the same whatever its key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    // Default sort is by UTF-16 code units, the order `<` gives; keys are unique. One string is
    // built instead of entry arrays: this runs on every staff report (scripts/bench: staff).
    const obj = value as Record<string, unknown>;
    let out = '{';
    for (const k of Object.keys(obj).sort()) {
      const v = obj[k];
      if (v === undefined) continue;
      if (out.length > 1) out += ',';
      out += `${JSON.stringify(k)}:${canonical(v)}`;
    }
    return `${out}}`;
  }
  return JSON.stringify(value);
}

export const bodyHash = (body: unknown) => hash('sha256', canonical(body), 'base64url');

/** The history point at `ctx.nowMs`; the context is made once per write, not per site (local time is costly). */
function pointAt(engine: LiveEngine, siteId: string, raw: RawSiteState, ctx: FuseContext): HistoryPoint {
  const site = engine.site(siteId)!;
  const l = fuse(site, raw, ctx);
  const p: HistoryPoint = { atMs: ctx.nowMs, queue: l.queue, waitMinutes: l.waitMinutes, source: l.source };
  // Optional fields are left out when unknown: a site keeps ~4,400 points, a few bytes each add up.
  if (l.lanesOpen !== null) p.lanesOpen = l.lanesOpen;
  // The staff counter goes on the report's own point, and on a carrier point of the same minute,
  // which replaces it (one point a minute) and must not lose it. Not on later minutes: a report
  // that arrives late lands before them, and their older counter would then read as a reset.
  const served = raw.staff?.served;
  if (typeof served === 'number' && sameMinute(raw.staff!.observedAt, ctx.nowMs)) p.served = served;
  return p;
}

const sameMinute = (a: number, b: number) => Math.floor(a / 60_000) === Math.floor(b / 60_000);

// Readings are merged READINGS_PER_TURN at a time (turns.ts), as the stores do with their own chunks.

export class Writes {
  constructor(
    private readonly engine: LiveEngine,
    private readonly store: Store,
    private readonly origin: string,
  ) {}

  /** The answer, and whether it is the replay of a report already taken (counted apart in metrics). */
  async staffReport(
    siteId: string,
    report: StaffReport,
    nowMs: number,
  ): Promise<{ answer: StaffOutcome; replayed: boolean }> {
    const observedAt = report.observedAt ? Date.parse(report.observedAt) : nowMs;
    if (observedAt > nowMs + MAX_FUTURE_MS) {
      throw new AppError(
        400,
        'observed_in_future',
        'observedAt is more than 2 minutes ahead of the server clock; check the device clock.',
      );
    }
    if (observedAt < nowMs - MAX_AGE_MS) {
      throw new AppError(400, 'observed_too_old', 'observedAt is more than 24 hours old; the report was not stored.');
    }
    const status = report.status ?? 'open';
    const record: StaffRecord = {
      reportId: report.reportId,
      queue: report.queue,
      lanesOpen: report.lanesOpen ?? null,
      status,
      pauseReason: status === 'paused' ? (report.pauseReason ?? null) : null,
      note: report.note ?? null,
      observedAt,
    };
    if (report.served !== undefined) record.served = report.served;
    const current = this.engine.rawOf(siteId);
    const after: RawSiteState = { ...current, staff: record };
    const carrierCtx = this.engine.fuseCtx(observedAt);
    const site = this.engine.site(siteId)!;
    const prior = carrierCtx.prior;
    let learned =
      current.carrier && isCarrierFresh(current.carrier, carrierCtx)
        ? updateCalibration(current.calibration, record, current.carrier, site.lanes, prior)
        : current.calibration;
    const prevStaff = current.staff;
    if (prevStaff && prevStaff.observedAt < observedAt) {
      const lanesOf = (s: StaffRecord) => s.lanesOpen ?? site.lanes;
      learned =
        learnRate(learned, { ...prevStaff, lanes: lanesOf(prevStaff) }, { ...record, lanes: lanesOf(record) }, prior) ??
        learned;
    }
    const calibration = learned && learned !== current.calibration ? learned : undefined;
    if (calibration) after.calibration = calibration;
    const result = await this.store.applyStaffReport({
      siteId,
      record,
      bodyHash: bodyHash(report),
      origin: this.origin,
      nowMs,
      historyPoint: pointAt(this.engine, siteId, after, carrierCtx),
      calibration,
    });
    if (result.outcome === 'mismatch') {
      throw new AppError(422, 'idempotency_mismatch', 'This reportId was already used with a different body.');
    }
    this.engine.merge(siteId, result.raw);
    const live = this.engine.liveOf(siteId)!;
    const applied = result.outcome === 'applied' || (result.outcome === 'replay' && result.applied);
    const answer: StaffOutcome = applied ? { applied: true, live } : { applied: false, reason: 'outdated', live };
    return { answer, replayed: result.outcome === 'replay' };
  }

  async carrierBatch(batch: CarrierBatch, nowMs: number): Promise<CarrierAnswer> {
    const observedAt = Date.parse(batch.observedAt);
    if (observedAt > nowMs + MAX_FUTURE_MS) {
      throw new AppError(400, 'observed_in_future', 'observedAt is more than 2 minutes ahead of the server clock.');
    }
    if (observedAt < nowMs - MAX_AGE_MS)
      throw new AppError(400, 'observed_too_old', 'observedAt is more than 24 hours old.');
    const unknown = new Set<string>();
    // The last reading of a site in a batch wins, like the last write of a site ever does.
    const bySite = new Map<string, CarrierApplyItem>();
    const ctx = this.engine.fuseCtx(observedAt);
    let handled = 0;
    for (const r of batch.readings) {
      if (++handled % READINGS_PER_TURN === 0) await nextTurn();
      if (!this.engine.site(r.siteId)) {
        unknown.add(r.siteId);
        continue;
      }
      const carrier: CarrierRecord = { people: r.people, confidence: r.confidence ?? null, observedAt };
      const current = this.engine.rawOf(r.siteId);
      const after: RawSiteState = { ...current, carrier };
      const site = this.engine.site(r.siteId)!;
      const prior = ctx.prior;
      // The filtered and smoothed readings move with every reading (at the pace the site's flow
      // allows); an overlap with a fresh staff count also teaches the calibration.
      const { flow } = siteThroughput(site, null, current.calibration, ctx.cfg.serviceRatePerLane);
      let calibration = smoothCarrier(current.calibration, carrier.people, observedAt, prior, flow);
      if (current.staff && isStaffFresh(current.staff, ctx)) {
        calibration = updateCalibration(calibration, current.staff, carrier, site.lanes, prior) ?? calibration;
      }
      after.calibration = calibration;
      bySite.set(r.siteId, {
        siteId: r.siteId,
        carrier,
        calibration,
        historyPoint: pointAt(this.engine, r.siteId, after, ctx),
      });
    }
    const items = [...bySite.values()];
    let accepted = 0;
    for (const r of batch.readings) if (!unknown.has(r.siteId)) accepted += 1;
    // Called even with no known site, so that the batch id is remembered and a replay is a duplicate.
    const result = await this.store.applyCarrierBatch({ batchId: batch.batchId, origin: this.origin, nowMs, items });
    if (result.duplicate) return { accepted: 0, unknownSites: [], duplicate: true };
    const mergeCtx = this.engine.fuseCtx();
    for (let i = 0; i < items.length; i++) {
      if (i > 0 && i % READINGS_PER_TURN === 0) await nextTurn();
      const it = items[i]!;
      this.engine.merge(it.siteId, { carrier: it.carrier, calibration: it.calibration }, mergeCtx);
    }
    return { accepted, unknownSites: [...unknown], duplicate: false };
  }
}
