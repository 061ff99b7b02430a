// The alert rules as a pure evaluation: given what is known of each site now, which conditions
// hold. "Wait over N for M minutes" needs to remember since when a wait has been over N; that
// memory is the only state, kept by the caller (Conditions), and given the time explicitly.
import type { AlertRule } from '../../shared/alerts.js';
import type { LiveState } from '../../shared/schemas.js';
import type { AlertConfig } from './config.js';

export interface SiteFacts {
  live: LiveState;
  /** Queue 15 minutes ago, when known. */
  queueBefore: number | null;
  /** Epoch ms of the newest staff or carrier observation ever; null: never seen. */
  lastSeenMs: number | null;
  /** Calibrated carrier queue / staff queue while both are fresh (null: staff 0 and carrier not). */
  disagreeRatio: number | null | undefined;
}

export interface Condition {
  rule: AlertRule;
  siteId: string;
  value: number;
}

/** A factor between 2 and 6 people is noise, not a reason to call anyone. */
const DISAGREE_MIN_PEOPLE = 10;

export const conditionKey = (rule: AlertRule, siteId: string) => `${rule}:${siteId}`;

export class Conditions {
  /** siteId -> since when its wait has been over the threshold. */
  private readonly overSince = new Map<string, number>();

  constructor(private readonly cfg: AlertConfig) {}

  /**
   * `firing`: conditions that open an alert now. `holding`: the keys whose condition still holds,
   * ignoring how long (a wait over N keeps its alert open though this instance has not watched it
   * for M minutes yet); an alert resolves only when its key leaves `holding`, so two instances that
   * started at different times do not open and close the same alert in turn.
   */
  evaluate(facts: Iterable<SiteFacts>, nowMs: number): { firing: Map<string, Condition>; holding: Set<string> } {
    const out = new Map<string, Condition>();
    const holding = new Set<string>();
    const add = (rule: AlertRule, siteId: string, value: number) =>
      out.set(conditionKey(rule, siteId), { rule, siteId, value });
    for (const f of facts) {
      const { live } = f;
      const id = live.siteId;
      const open = live.status === 'open';
      if (open && live.waitMinutes !== null && live.waitMinutes > this.cfg.waitMinutes) {
        const since = this.overSince.get(id) ?? nowMs;
        this.overSince.set(id, since);
        holding.add(conditionKey('wait', id));
        if (nowMs - since >= this.cfg.waitForMinutes * 60_000) add('wait', id, live.waitMinutes);
      } else {
        this.overSince.delete(id);
      }
      if (open && live.queue !== null && f.queueBefore !== null && live.queue - f.queueBefore >= this.cfg.risePeople) {
        add('rise', id, live.queue - f.queueBefore);
      }
      if (
        open &&
        live.level === 'unknown' &&
        f.lastSeenMs !== null &&
        nowMs - f.lastSeenMs >= this.cfg.staleMinutes * 60_000
      ) {
        add('stale', id, Math.floor((nowMs - f.lastSeenMs) / 60_000));
      }
      const r = f.disagreeRatio;
      if (open && r !== undefined && live.queue !== null) {
        // r null: staff count 0 while the carrier sees people; r 0: the reverse. Both are "infinitely" apart.
        const factor = r === null || r === 0 ? Infinity : Math.max(r, 1 / r);
        const larger = r === null ? Infinity : Math.max(live.queue, live.queue * r);
        if (factor >= this.cfg.disagreeFactor && larger >= DISAGREE_MIN_PEOPLE) add('disagree', id, r ?? 0);
      }
    }
    for (const k of out.keys()) holding.add(k);
    return { firing: out, holding };
  }
}
