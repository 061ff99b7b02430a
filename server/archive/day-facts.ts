// "The same weekday last week" for the wall (GET /api/trends/daily): the city's day facts over a
// window from the hourly archive, since the per-minute history is gone after 73 h. Hours are the
// archive's resolution, so the figures are those of the minute series rebuilt from hour means:
// the city's queue in an hour is the sum over sites of mean queue x fresh minutes / 60 (exact while
// some site is fresh in every minute of the hour), and the peak is the highest such hourly value.
import type { DayFacts } from '../../shared/trends.js';
import { nextTurn } from '../turns.js';
import { HOUR } from './hour-rows.js';
import type { HourArchive } from './types.js';

/** DayFacts of the archived hours starting in [fromMs, toMs); null when none had any figure. */
export async function archivedDayFacts(archive: HourArchive, fromMs: number, toMs: number): Promise<DayFacts> {
  let minutes = 0;
  let queueMinutes = 0;
  let peak = 0;
  let waitSum = 0;
  let waitN = 0;
  for (let h = Math.floor(fromMs / HOUR) * HOUR; h < toMs; h += HOUR) {
    let hourQueue = 0;
    let hourMinutes = 0;
    for (const r of (await archive.hour(h)).values()) {
      const fresh = r.staffMinutes + r.carrierMinutes;
      if (r.queueMean === null || fresh === 0) continue;
      hourQueue += r.queueMean * fresh;
      hourMinutes = Math.max(hourMinutes, fresh);
      if (r.waitMean !== null) {
        waitSum += r.waitMean * fresh;
        waitN += fresh;
      }
    }
    if (hourMinutes) {
      minutes += hourMinutes;
      queueMinutes += hourQueue;
      peak = Math.max(peak, Math.round(hourQueue / 60));
    }
    await nextTurn();
  }
  if (!minutes) return null;
  return {
    queueAvg: Math.round(queueMinutes / minutes),
    queuePeak: peak,
    waitAvg: waitN ? Math.round((waitSum / waitN) * 10) / 10 : null,
    minutes,
  };
}
