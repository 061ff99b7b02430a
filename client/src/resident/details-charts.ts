// The charts part of the details: fetches the history, loads Chart.js on demand, and always
// gives a text summary too ("usually quieter at 14:00"), since a canvas says nothing to a screen
// reader. "Usually" comes from typical.ts: weekdays and weekends apart, only from at least a week
// of history; with less, the page says there is not enough data yet instead of guessing.
import { h } from '../lib/dom.js';
import { isOpenAt, localTime } from '../../../shared/hours.js';
import type { Site } from '../../../shared/schemas.js';
import { todaySeries, type Point } from './history.js';
import { busierThanUsual, dayKindOf, quieterLater, typicalWeek } from './typical.js';
import { t } from './text.js';

export interface ChartsHandle {
  el: HTMLElement;
  destroy(): void;
}

/**
 * History asked for. The history API answers at most 72 h today, so the typical week says "not
 * enough data yet" until it allows more: raise this to 14 * 24 with it (typical.ts needs 7 days).
 * (Asking for more and falling back on a 400 would log a console error on every details view.)
 */
const HISTORY_HOURS = 72;

async function fetchHistory(siteId: string, signal: AbortSignal): Promise<Point[]> {
  const res = await fetch(`/api/sites/${encodeURIComponent(siteId)}/history?hours=${HISTORY_HOURS}`, { signal });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  return ((await res.json()) as { points: Point[] }).points;
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

  void (async () => {
    try {
      const [mod, points] = await Promise.all([import('./charts.js'), fetchHistory(siteId, abort.signal)]);
      if (destroyed) return;
      const now = nowMs();
      const series = todaySeries(points, tz, now);
      const week = typicalWeek(points, tz);
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
    destroy() {
      destroyed = true;
      abort.abort();
      for (const c of charts) c.destroy();
    },
  };
}
