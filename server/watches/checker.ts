// Checks watches against live changes and pushes the ones whose condition came true. It is fed
// every frame the live loop produces (live/sync.ts), on every instance: each instance's frames hold
// every change, its own and those other instances published. Kept cheap: a frame with no site that
// is open costs nothing; otherwise one store read names the watched sites, and only changed sites
// among them are read further. Checks run one at a time; frames arriving meanwhile are merged
// (the newest state of each site wins) and checked next.
import type { LiveState, Site } from '../../shared/schemas.js';
import { watchMet } from '../../shared/watch.js';
import type { WatchPush } from '../../shared/watch-schema.js';
import type { Clock } from '../clock.js';
import type { Frame } from '../live/engine.js';
import type { Logger } from '../logger.js';
import type { PushOutcome, PushSender } from './push.js';
import type { WatchRecord, WatchStore } from './types.js';

export interface WatchCheckerDeps {
  store: WatchStore;
  send: PushSender;
  clock: Clock;
  logger: Logger;
  /** The registry's site (the live engine's lookup). */
  site: (siteId: string) => Site | undefined;
  /** Nobody should go there now: a "closed" or "go elsewhere" notice, or past its opening hours. */
  stayAway: (siteId: string) => boolean;
}

/** What happened to watches whose condition came true; `lost` ones another instance claimed first. */
export type WatchCounts = Record<PushOutcome | 'lost', number>;

export class WatchChecker {
  readonly counts: WatchCounts = { sent: 0, gone: 0, failed: 0, lost: 0 };
  private pending = new Map<string, LiveState>();
  private running: Promise<void> | null = null;

  constructor(private readonly d: WatchCheckerDeps) {}

  /** Takes a frame's changed sites; returns at once (the check runs in the background). */
  onFrame(frame: Frame): void {
    // Both conditions need an open site: anything else cannot fire a watch.
    for (const l of frame.delta.sites) if (l.status === 'open' && l.level !== 'closed') this.pending.set(l.siteId, l);
    if (this.pending.size > 0) this.running ??= this.drain();
  }

  /** Resolves once nothing is pending or being checked (tests; shutdown). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private async drain(): Promise<void> {
    try {
      while (this.pending.size > 0) {
        const batch = this.pending;
        this.pending = new Map();
        await this.check(batch).catch((err: unknown) => this.d.logger.warn({ err }, 'watch check failed'));
      }
    } finally {
      this.running = null;
    }
  }

  private async check(changed: Map<string, LiveState>): Promise<void> {
    const now = this.d.clock.now();
    const watched = await this.d.store.sitesWatched(now);
    for (const [siteId, live] of changed) {
      if (!watched.has(siteId)) continue;
      for (const w of await this.d.store.forSite(siteId, now)) {
        const kind = watchMet(w.cond, live, this.d.stayAway(siteId));
        if (kind) await this.fire(w, live, kind);
      }
    }
  }

  private async fire(w: WatchRecord, live: LiveState, kind: WatchPush['kind']): Promise<void> {
    if (!(await this.d.store.claim(w))) {
      this.counts.lost++;
      return;
    }
    const site = this.d.site(w.siteId);
    const name = (w.lang === 'en' ? site?.pinyin?.name : undefined) ?? site?.name ?? w.siteId;
    const payload: WatchPush = {
      siteId: w.siteId,
      name,
      waitMinutes: live.waitMinutes,
      kind,
      ...(w.cond.belowMinutes !== undefined ? { belowMinutes: w.cond.belowMinutes } : {}),
      lang: w.lang,
    };
    const outcome = await this.d.send(w, payload);
    this.counts[outcome]++;
    if (outcome === 'gone') await this.d.store.removeSubscription(w.subKey);
    if (outcome === 'failed') this.d.logger.warn({ siteId: w.siteId }, 'watch push failed; the watch has ended');
  }
}
