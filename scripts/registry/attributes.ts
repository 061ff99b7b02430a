// Lanes, opening hours and tags of a site: invented, but in the proportions the 2022 reports
// describe (most sites a few lanes, a handful with six or more; split shifts around lunch; a few
// 24-hour sites; green lanes for the elderly and disabled at roughly a third).
import type { OpeningHours } from '../../shared/schemas.js';
import { type Rng, weighted } from './random.js';

export interface SiteAttributes {
  lanes: number;
  hours?: OpeningHours[];
  serviceRatePerLane?: number;
  tags?: string[];
}

const URBAN_LANES: [number, number][] = [
  [1, 3],
  [2, 22],
  [3, 32],
  [4, 25],
  [5, 7],
  [6, 6],
  [7, 2.5],
  [8, 2.5],
];
const RURAL_LANES: [number, number][] = [
  [1, 18],
  [2, 44],
  [3, 26],
  [4, 10],
  [5, 1],
  [6, 1],
];

const WEEKDAYS = [1, 2, 3, 4, 5];
const WEEKEND = [6, 7];

const SPLIT = [
  { open: '08:00', close: '12:00' },
  { open: '14:00', close: '21:00' },
];
const LONG_DAY = [{ open: '07:30', close: '22:00' }];
const EVENINGS = [
  { open: '08:00', close: '12:00' },
  { open: '14:30', close: '17:30' },
  { open: '19:00', close: '21:00' },
];
const SHORT_WEEKENDS = [
  { days: WEEKDAYS, open: '08:00', close: '12:00' },
  { days: WEEKDAYS, open: '14:00', close: '20:00' },
  { days: WEEKEND, open: '09:00', close: '17:00' },
];
const LONG_WEEKDAYS = [
  { days: WEEKDAYS, open: '07:30', close: '22:00' },
  { days: WEEKEND, open: '08:00', close: '18:00' },
];
// Villages sample before the day's farm work and again late afternoon.
const MORNINGS = [
  { open: '07:00', close: '11:30' },
  { open: '15:00', close: '18:00' },
];

const URBAN_HOURS: [OpeningHours[], number][] = [
  [SPLIT, 42],
  [LONG_DAY, 22],
  [EVENINGS, 10],
  [SHORT_WEEKENDS, 12],
  [LONG_WEEKDAYS, 9],
  [MORNINGS, 5],
];
const RURAL_HOURS: [OpeningHours[], number][] = [
  [SPLIT, 45],
  [LONG_DAY, 8],
  [EVENINGS, 6],
  [SHORT_WEEKENDS, 12],
  [LONG_WEEKDAYS, 3],
  [MORNINGS, 26],
];

export function siteAttributes(rng: Rng, urban: boolean): SiteAttributes {
  // Always the same number of draws in the same order, whatever is chosen, so that one site's
  // choices never shift the next site's.
  const lanes = weighted(rng, urban ? URBAN_LANES : RURAL_LANES);
  const allDay = rng() < (urban ? 0.09 : 0.025);
  const hours = weighted(rng, urban ? URBAN_HOURS : RURAL_HOURS);
  // A priority lane needs a spare lane, so bigger sites have one far more often.
  const green = rng() < (lanes >= 3 ? 0.45 : 0.12);
  const hasRate = rng() < 0.22;
  const rate = Math.round((1.5 + rng() * 1.5) * 10) / 10;

  const tags = [...(allDay ? ['24h'] : []), ...(green ? ['green-channel'] : [])];
  const attrs: SiteAttributes = { lanes };
  if (!allDay) attrs.hours = hours.map((h) => ({ ...h, ...(h.days ? { days: [...h.days] } : {}) }));
  if (hasRate) attrs.serviceRatePerLane = rate;
  if (tags.length > 0) attrs.tags = tags;
  return attrs;
}
