// The charts part of the details: fetches the history, loads Chart.js on demand, and always
// gives a text summary too ("usually quieter at 14:00"), since a canvas says nothing to a screen
// reader. "Usually" comes from the server's typical week (shared/typical.ts, from the hourly
// archive): weekdays and weekends apart, only from at least a week of data; with less, the page
// says there is not enough data yet instead of guessing.
import { h } from '../lib/dom.js';
import { isOpenAt, localTime } from '../../../shared/hours.js';
import type { Site } from '../../../shared/schemas.js';
import { todaySeries, type Point } from './history.js';
import { busierThanUsual, dayKindOf, quieterLater, type TypicalWeek } from '../../../shared/typical.js';
import { t } from './text.js';

export interface ChartsHandle {
  el: HTMLElement;
  /** The typical week once fetched (null when it cannot be had), for the trip planner too. */
  typical: Promise<TypicalWeek | null>;
  destroy(): void;
}

/** Today's series needs the minutes since local midnight: at most a day of history. */
const HISTORY_HOURS = 24;

async function fetchHistory(siteId: string, signal: AbortSignal): Promise<Point[]> {
  const res = await fetch(`/api/sites/${encodeURIComponent(siteId)}/history?hours=${HISTORY_HOURS}`, { signal });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  return ((await res.json()) as { points: Point[] }).points;
}

/** The typical week from the server's hourly archive (shared/typical.ts); `enough` false until 7 days. */
async function fetchTypical(siteId: string, signal: AbortSignal): Promise<TypicalWeek> {
  const res = await fetch(`/api/sites/${encodeURIComponent(siteId)}/typical`, { signal });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  const body = (await res.json()) as TypicalWeek;
  if (typeof body.enough !== 'boolean' || body.weekday?.length !== 24 || body.weekend?.length !== 24)
    throw new Error('unexpected typical week');
  return body;
}

export function siteCharts(
  site: Pick<Site, 'id' | 'hours'>,
  tz: string,
  nowMs: () => number,
  elderly: () => boolean,
  waitNow: () => number | null = () => null,
): ChartsHandle {
  const siteId = site.id;
  const status = h('p', { class: 'chart-status', role: 'status' }, t('chart.loading'));
  const el = h('section', { class: 'd-charts', 'aria-label': t('chart.typical') }, status);
  const abort = new AbortController();
  const charts: Array<{ destroy(): void }> = [];
  let destroyed = false;
  // Fetched once for both the charts and the trip planner.
  const typical = fetchTypical(siteId, abort.signal);

  void (async () => {
    try {
      const [mod, points, week] = await Promise.all([
        import('./charts.js'),
        fetchHistory(siteId, abort.signal),
        typical,
      ]);
      if (destroyed) return;
      const now = nowMs();
      const series = todaySeries(points, tz, now);
      const today = localTime(now, tz);
      const kind = dayKindOf(today.day);
      const nowHour = Math.floor(today.minutes / 60);
      const typicalWait = week.enough ? week[kind].map((x) => x.wait) : [];
      const hasToday = series.some((p) => p.wait !== null);
      const hasTypical = typicalWait.some((w) => w !== null);
      status.remove();
      const text = { waitLabel: t('wait.label'), hourLabel: (hr: number) => t('chart.hour', { h: hr }) };
      const quiet = quieterLater(week, kind, nowHour, (hr) =>
        isOpenAt(site.hours, { ...today, minutes: hr * 60 + 30 }),
      );
      if (busierThanUsual(week, kind, nowHour, waitNow()))
        el.append(h('p', { class: 'chart-busier', 'data-testid': 'busier' }, t('chart.busier')));
      if (!hasToday) el.append(h('h3', {}, t('chart.today')), h('p', { class: 'chart-none' }, t('chart.none')));
      if (hasToday) {
        const canvas = h('canvas', { role: 'img', 'aria-label': t('chart.today') });
        el.append(h('h3', {}, t('chart.today')), h('div', { class: 'chart-box' }, canvas));
        charts.push(mod.todayChart(canvas, series, text, elderly()));
      }
      const typicalTitle = t(kind === 'weekend' ? 'chart.typical.weekend' : 'chart.typical.weekday');
      if (hasTypical) {
        const canvas = h('canvas', { role: 'img', 'aria-label': typicalTitle });
        el.append(h('h3', {}, typicalTitle), h('div', { class: 'chart-box' }, canvas));
        charts.push(mod.typicalChart(canvas, typicalWait, nowHour, text, elderly()));
      } else {
        el.append(
          h('h3', {}, typicalTitle),
          h('p', { class: 'chart-none', 'data-testid': 'typical-none' }, t('chart.notEnough', { days: week.days })),
        );
      }
      if (quiet.length)
        el.append(
          h(
            'p',
            { class: 'chart-quiet' },
            t('chart.quiet', { hours: quiet.map((hr) => t('chart.hour', { h: hr })).join(t('day.sep')) }),
          ),
        );
    } catch (err) {
      if (destroyed || (err as Error).name === 'AbortError') return;
      status.textContent = t('chart.error');
    }
  })();

  return {
    el,
    typical: typical.catch(() => null),
    destroy() {
      destroyed = true;
      abort.abort();
      for (const c of charts) c.destroy();
    },
  };
}
