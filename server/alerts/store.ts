// Where alerts live: an interface with an embedded implementation (a small JSON file, written
// atomically) and a Redis one (store-redis.ts). Alerts are few (one per rule and site while the
// condition holds), so both keep whole records. "One alert, not one per instance": opening is
// conditional on no active alert for the same rule and site (Redis: SET NX), and resolving answers
// the record only to the one caller that resolved it, so each event is delivered once.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Alert, AlertRule } from '../../shared/alerts.js';
import { conditionKey, type Condition } from './rules.js';

export interface AlertRecord {
  id: string;
  rule: AlertRule;
  siteId: string;
  value: number;
  openedAtMs: number;
  ackAtMs: number | null;
  ackBy: string | null;
  resolvedAtMs: number | null;
}

/** Resolved alerts stay listed (and acknowledgeable in the record) this long. */
export const RESOLVED_KEEP_MS = 24 * 3600_000;

export interface AlertStore {
  /** Opens an alert unless one is active for this rule and site; the new record, else null. */
  open(c: Condition, nowMs: number): Promise<AlertRecord | null>;
  /** Resolves the active alert of `key`; the record to the caller that resolved it, else null. */
  resolve(key: string, nowMs: number): Promise<AlertRecord | null>;
  /** Null: no such alert. Acknowledging twice keeps the first who and when (`changed` false). */
  acknowledge(id: string, by: string, nowMs: number): Promise<{ record: AlertRecord; changed: boolean } | null>;
  /** Active alerts and those resolved within RESOLVED_KEEP_MS, newest first. */
  list(nowMs: number): Promise<AlertRecord[]>;
  close(): Promise<void>;
}

const alertId = (c: Condition, nowMs: number) => `al_${c.rule}_${c.siteId}_${nowMs.toString(36)}`;

/** A new alert's record, as both stores open it: not acknowledged, not resolved. */
export const newAlertRecord = (c: Condition, nowMs: number): AlertRecord => ({
  id: alertId(c, nowMs),
  rule: c.rule,
  siteId: c.siteId,
  value: c.value,
  openedAtMs: nowMs,
  ackAtMs: null,
  ackBy: null,
  resolvedAtMs: null,
});

/** Newest first, ties by id: the order both stores list in. */
export const newestFirst = (a: AlertRecord, b: AlertRecord) => b.openedAtMs - a.openedAtMs || a.id.localeCompare(b.id);

export const toAlert = (r: AlertRecord): Alert => ({
  id: r.id,
  rule: r.rule,
  siteId: r.siteId,
  value: r.value,
  openedAt: new Date(r.openedAtMs).toISOString(),
  acknowledgedAt: r.ackAtMs === null ? null : new Date(r.ackAtMs).toISOString(),
  acknowledgedBy: r.ackBy,
  resolvedAt: r.resolvedAtMs === null ? null : new Date(r.resolvedAtMs).toISOString(),
});

const keyOf = (r: AlertRecord) => conditionKey(r.rule, r.siteId);

/**
 * The embedded store: in memory, mirrored to `file` (when given) after every change by writing a
 * temporary file and renaming it over the old one, so a crash leaves the old or the new file, never
 * half of one. One process owns the file (the embedded store is single-instance by design).
 */
export function createFileAlertStore(file: string | null): AlertStore {
  const byId = new Map<string, AlertRecord>();
  if (file) {
    try {
      const parsed = JSON.parse(readFileSync(file, 'utf8')) as { alerts?: AlertRecord[] };
      for (const r of parsed.alerts ?? []) byId.set(r.id, r);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT')
        throw new Error(`ALERTS_FILE ${file}: ${(err as Error).message}`);
    }
  }
  const save = () => {
    if (!file) return;
    mkdirSync(dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify({ alerts: [...byId.values()] }));
    renameSync(tmp, file);
  };
  const active = (key: string) => [...byId.values()].find((r) => r.resolvedAtMs === null && keyOf(r) === key);
  const prune = (nowMs: number) => {
    for (const [id, r] of byId)
      if (r.resolvedAtMs !== null && nowMs - r.resolvedAtMs > RESOLVED_KEEP_MS) byId.delete(id);
  };
  return {
    async open(c, nowMs) {
      if (active(conditionKey(c.rule, c.siteId))) return null;
      const rec = newAlertRecord(c, nowMs);
      prune(nowMs);
      byId.set(rec.id, rec);
      save();
      return { ...rec };
    },
    async resolve(key, nowMs) {
      const rec = active(key);
      if (!rec) return null;
      rec.resolvedAtMs = nowMs;
      save();
      return { ...rec };
    },
    async acknowledge(id, by, nowMs) {
      const rec = byId.get(id);
      if (!rec) return null;
      if (rec.ackAtMs !== null) return { record: { ...rec }, changed: false };
      rec.ackAtMs = nowMs;
      rec.ackBy = by;
      save();
      return { record: { ...rec }, changed: true };
    },
    async list(nowMs) {
      prune(nowMs);
      return [...byId.values()].map((r) => ({ ...r })).sort(newestFirst);
    },
    async close() {},
  };
}
