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
/** Hours rolled up from one history read per site: bounds the rows held at once (12 x sites). */
const RUN_HOURS = 12;

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

  /**
   * Rolls up `count` consecutive hours from `fromHour` for every site and stores them, oldest first.
   * One history read per site covers the whole run: catching up 72 hours after a start was
   * 72 x 986 reads and a burst of short-lived objects that grew the young heap by ~10 MB for good.
   */
  async rollUp(fromHour: number, count = 1): Promise<void> {
    const c = this.d.config;
    const stale = staleMsBySource(staleMs(c));
    const toMs = fromHour + count * HOUR;
    const perHour: Array<Array<[string, HourRow]>> = Array.from({ length: count }, () => []);
    await eachBatched(this.d.sites, async (site) => {
      const points = await this.d.store.history(site.id, fromHour - lookbackMs(c), toMs - 1);
      // Nothing known in the run (every site after a restart of the in-memory store): no rows.
      if (points.length === 0) return;
      hourRows(points, fromHour, toMs, stale).forEach((row, i) => {
        // An hour with nothing known (a closed site at night) is not stored: readers take a
        // missing row of an archived hour as emptyHourRow, which is what hourRows gives for it.
        if (row.noneMinutes < 60) perHour[i]!.push([site.id, row]);
      });
    });
    for (let i = 0; i < count; i += 1) {
      const hourMs = fromHour + i * HOUR;
      await this.d.archive.putHour(hourMs, perHour[i]!, hourMs + archiveRetentionMs(c));
      this.known.add(hourMs);
    }
  }

  private async catchUp(): Promise<void> {
    const now = this.d.clock.now();
    const first = minuteHistoryStart(now, this.d.config);
    const last = Math.floor((now - ROLLUP_GRACE_MS) / HOUR) * HOUR - HOUR;
    try {
      for (const h of this.known) if (h < first) this.known.delete(h);
      // Missing hours in runs of at most RUN_HOURS, each rolled up with one read per site.
      let runFrom: number | null = null;
      let runLength = 0;
      const flush = async () => {
        if (runFrom !== null) await this.rollUp(runFrom, runLength);
        runFrom = null;
        runLength = 0;
      };
      for (let h = first; h <= last; h += HOUR) {
        if (this.known.has(h) || (await this.d.archive.hasHour(h))) {
          this.known.add(h);
          await flush();
          continue;
        }
        runFrom ??= h;
        runLength += 1;
        if (runLength === RUN_HOURS) await flush();
      }
      await flush();
      await this.d.archive.prune();
    } catch (err) {
      // The next tick tries again; hours stay in the minute history for three days.
      this.log.warn({ err }, 'hourly roll-up failed');
    }
  }
}
