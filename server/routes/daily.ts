// GET /api/trends/daily: today so far against the same weekday last week, for the wall. Today comes
// from the per-minute history, last week from the hourly archive (archive/day-facts.ts): until it
// holds that day, lastWeek is null and the wall says "no data yet".
import { Router } from 'express';
import { localTime } from '../../shared/hours.js';
import type { Daily, DayFacts, TrendSeries } from '../../shared/trends.js';
import type { AppContext } from '../context.js';
import { archivedDayFacts } from '../archive/day-facts.js';
import { computeTrends, MinuteCache, type TrendDeps } from './trends.js';

const MINUTE = 60_000;
const WEEK = 7 * 24 * 60 * MINUTE;
/** Recomputed at most this often: 986 sites x up to 24 h of history, twice. */
const EVERY_MIN = 5;

export function dayFacts(s: TrendSeries): DayFacts {
  let n = 0;
  let sum = 0;
  let peak = 0;
  let waitN = 0;
  let waitSum = 0;
  s.queue.forEach((q, i) => {
    if (q === null) return;
    n += 1;
    sum += q;
    peak = Math.max(peak, q);
    const w = s.waitAvg[i];
    if (w !== null && w !== undefined) {
      waitN += 1;
      waitSum += w;
    }
  });
  if (!n) return null;
  return {
    queueAvg: Math.round(sum / n),
    queuePeak: peak,
    waitAvg: waitN ? Math.round((waitSum / waitN) * 10) / 10 : null,
    minutes: n,
  };
}

export function dailyRoutes(deps: TrendDeps & Pick<AppContext, 'archive'>): Router {
  const r = Router();
  const cache = new MinuteCache<Daily>();
  r.get('/trends/daily', async (_req, res) => {
    const now = deps.clock.now();
    const minute = Math.floor(now / (EVERY_MIN * MINUTE)) * EVERY_MIN * MINUTE;
    const body = await cache.get('daily', minute, async () => {
      const sinceMidnight = localTime(minute, deps.config.timezone).minutes;
      const hours = Math.max(1, Math.min(24, Math.ceil(sinceMidnight / 60)));
      const since = minute - sinceMidnight * MINUTE;
      const [today, lastWeek] = await Promise.all([
        computeTrends(deps, hours, minute),
        // The same hours a week before, the hour in progress then included.
        archivedDayFacts(deps.archive, since - WEEK, minute - WEEK),
      ]);
      // computeTrends covers whole hours; keep only the minutes since local midnight.
      const keep = (s: TrendSeries): TrendSeries => {
        const from = Math.max(0, s.queue.length - 1 - sinceMidnight);
        return { ...s, queue: s.queue.slice(from), waitAvg: s.waitAvg.slice(from) };
      };
      return {
        at: new Date(minute).toISOString(),
        since: new Date(since).toISOString(),
        today: dayFacts(keep(today.city)),
        lastWeek,
      };
    });
    res.setHeader('Cache-Control', 'no-cache');
    res.json(body);
  });
  return r;
}
