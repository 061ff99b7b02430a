// Keeps the wall's copy of /api/trends and /api/trends/sites current: fetched at start, whenever
// the server's minute turns (those answers change once a minute), and retried when a fetch fails.
import { SiteTrendsSchema, TrendsSchema, type SiteTrends, type Trends } from '../../../shared/trends.js';
import { fetchParsed } from '../lib/fetch-json.js';
import type { ServerClock } from './model.js';

/** How often the minute is checked when no live frame arrives to prompt it. */
const CHECK_MS = 5_000;
const NO_STORE = { cache: 'no-store' } as const;

export interface TrendsFeedHandlers {
  onTrends(t: Trends): void;
  onSites(s: SiteTrends): void;
}

export class TrendsFeed {
  private fetchedMinute = -1;
  private inFlight = false;
  private readonly timer: ReturnType<typeof setInterval>;

  constructor(
    private readonly hours: number,
    private readonly clock: ServerClock,
    private readonly handlers: TrendsFeedHandlers,
  ) {
    this.timer = setInterval(() => this.check(), CHECK_MS);
    this.check();
  }

  /** Cheap; called on every live frame so a time-compressed server is followed at its own pace. */
  check(): void {
    const minute = Math.floor(this.clock.now() / 60_000);
    if (minute === this.fetchedMinute || this.inFlight) return;
    void this.fetchBoth(minute);
  }

  /** Fetches the per-site facts again now (a site just went dark and its last sighting is unknown). */
  refreshSites(): void {
    void fetchParsed('/api/trends/sites', SiteTrendsSchema, NO_STORE).then((s) => s && this.handlers.onSites(s));
  }

  private async fetchBoth(minute: number): Promise<void> {
    this.inFlight = true;
    try {
      const [trends, sites] = await Promise.all([
        fetchParsed(`/api/trends?hours=${this.hours}`, TrendsSchema, NO_STORE),
        fetchParsed('/api/trends/sites', SiteTrendsSchema, NO_STORE),
      ]);
      if (trends) this.handlers.onTrends(trends);
      if (sites) this.handlers.onSites(sites);
      if (trends && sites) this.fetchedMinute = minute;
    } finally {
      this.inFlight = false;
    }
  }

  close(): void {
    clearInterval(this.timer);
  }
}
