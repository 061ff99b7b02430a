// Keeps the wall's copy of /api/trends and /api/trends/sites current: fetched at start, whenever
// the server's minute turns (those answers change once a minute), and retried when a fetch fails.
import { SiteTrendsSchema, TrendsSchema, type SiteTrends, type Trends } from '../../../shared/trends.js';
import type { ServerClock } from './model.js';

/** How often the minute is checked when no live frame arrives to prompt it. */
const CHECK_MS = 5_000;

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
    void this.get('/api/trends/sites', SiteTrendsSchema).then((s) => s && this.handlers.onSites(s));
  }

  private async fetchBoth(minute: number): Promise<void> {
    this.inFlight = true;
    try {
      const [trends, sites] = await Promise.all([
        this.get(`/api/trends?hours=${this.hours}`, TrendsSchema),
        this.get('/api/trends/sites', SiteTrendsSchema),
      ]);
      if (trends) this.handlers.onTrends(trends);
      if (sites) this.handlers.onSites(sites);
      if (trends && sites) this.fetchedMinute = minute;
    } finally {
      this.inFlight = false;
    }
  }

  private async get<S extends typeof TrendsSchema | typeof SiteTrendsSchema>(
    url: string,
    schema: S,
  ): Promise<ReturnType<S['parse']> | null> {
    try {
      const res = await fetch(url, { cache: 'no-store' });
      if (!res.ok) return null;
      const parsed = schema.safeParse(await res.json());
      return parsed.success ? (parsed.data as ReturnType<S['parse']>) : null;
    } catch {
      return null;
    }
  }

  close(): void {
    clearInterval(this.timer);
  }
}
