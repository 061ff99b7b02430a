// Rolls each finished hour of every site's per-minute history into the hourly archive. One path for
// the regular roll-up and the catch-up after a start or an outage: every tick looks at each finished
// hour still fully inside the minute history and rolls up those the archive does not have yet.
// Several instances may roll up the same hour: the rows are the same, so writing them twice is
// harmless (types.ts). Reads are batched with a turn of the event loop between batches.
import type { Site } from '../../shared/schemas.js';
import type { Clock } from '../clock.js';
import { staleMsBySource } from '../../shared/stale.js';
import { staleMs, type Config } from '../config.js';
import type { Logger } from '../logger.js';
import { eachBatched } from '../routes/trends.js';
import { HISTORY_RETENTION_MS, type Store } from '../store/types.js';
import { HOUR, hourRows, type HourRow } from './hour-rows.js';
import type { HourArchive } from './types.js';

const MINUTE = 60_000;
const DAY = 24 * HOUR;
/** An hour is rolled up this long after it ends, so reports arriving a little late are in it. */
export const ROLLUP_GRACE_MS = 2 * MINUTE;
/** Real time between checks for a finished hour; the injected clock decides what is finished. */
const CHECK_EVERY_MS = MINUTE;

export interface ArchiverDeps {
  store: Store;
  archive: HourArchive;
  clock: Clock;
  sites: readonly Site[];
  config: Pick<Config, 'staffStaleMin' | 'carrierStaleMin' | 'historyDays'>;
  logger: Logger;
}

export const archiveRetentionMs = (c: Pick<Config, 'historyDays'>) => c.historyDays * DAY;

/** Minutes before an hour whose points decide its first minutes (the longest freshness window). */
export const lookbackMs = (c: Pick<Config, 'staffStaleMin' | 'carrierStaleMin'>) => {
  const s = staleMs(c);
  return Math.max(s.staffStaleMs, s.carrierStaleMs);
};

/**
 * The first hour whose minutes, look-back included, are all still in the per-minute history at
 * `nowMs`: from it on, hours are computed from that history; before it, read from the archive.
 */
export function minuteHistoryStart(nowMs: number, c: Pick<Config, 'staffStaleMin' | 'carrierStaleMin'>): number {
  return Math.ceil((nowMs - HISTORY_RETENTION_MS + lookbackMs(c)) / HOUR) * HOUR;
}

export class Archiver {
  /** Hours known to be archived, so a tick asks the archive only about new ones. */
  private readonly known = new Set<number>();
  private running: Promise<void> | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;
  private readonly log: Logger;

  constructor(private readonly d: ArchiverDeps) {
    this.log = d.logger.child({ module: 'archive' });
  }

  /** Rolls up every finished hour missing from the archive and drops expired ones; one at a time. */
  tick(): Promise<void> {
    this.running ??= this.catchUp().finally(() => (this.running = null));
    return this.running;
  }

  /** Checks at once (catching up after a start), then every minute. */
  start(): void {
    this.timer ??= setInterval(() => void this.tick(), CHECK_EVERY_MS);
    this.timer.unref?.();
    void this.tick();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running?.catch(() => undefined);
  }

  /** One site's row of one hour from the minute history: the rule the archive keeps. */
  async rowOf(siteId: string, hourMs: number): Promise<HourRow> {
    const c = this.d.config;
    const stale = staleMsBySource(staleMs(c));
    const points = await this.d.store.history(siteId, hourMs - lookbackMs(c), hourMs + HOUR - 1);
    return hourRows(points, hourMs, hourMs + HOUR, stale)[0]!;
  }

  /** Rolls up one hour of every site and stores it. */
  async rollUp(hourMs: number): Promise<void> {
    const rows: Array<[string, HourRow]> = [];
    await eachBatched(this.d.sites, async (site) => {
      const row = await this.rowOf(site.id, hourMs);
      // An hour with nothing known (a closed site at night) is not stored: readers take a missing
      // row of an archived hour as emptyHourRow, which is what hourRows gives for it.
      if (row.noneMinutes < 60) rows.push([site.id, row]);
    });
    await this.d.archive.putHour(hourMs, rows, hourMs + archiveRetentionMs(this.d.config));
    this.known.add(hourMs);
  }

  private async catchUp(): Promise<void> {
    const now = this.d.clock.now();
    const first = minuteHistoryStart(now, this.d.config);
    const last = Math.floor((now - ROLLUP_GRACE_MS) / HOUR) * HOUR - HOUR;
    try {
      for (const h of this.known) if (h < first) this.known.delete(h);
      for (let h = first; h <= last; h += HOUR) {
        if (this.known.has(h)) continue;
        if (await this.d.archive.hasHour(h)) this.known.add(h);
        else await this.rollUp(h);
      }
      await this.d.archive.prune();
    } catch (err) {
      // The next tick tries again; hours stay in the minute history for three days.
      this.log.warn({ err }, 'hourly roll-up failed');
    }
  }
}
