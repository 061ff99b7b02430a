// The charts part of the details: fetches 72 h of history, loads Chart.js on demand, and always
// gives a text summary too ("usually quiet: 14:00, 15:00"), since a canvas says nothing to a screen reader.
import { h } from '../lib/dom.js';
import { isOpenAt, localTime } from '../../../shared/hours.js';
import type { Site } from '../../../shared/schemas.js';
import { quietHours, todaySeries, typicalByHour, type Point } from './history.js';
import { t } from './text.js';

export interface ChartsHandle {
  el: HTMLElement;
  destroy(): void;
}

const HISTORY_HOURS = 72;

export function siteCharts(site: Pick<Site, 'id' | 'hours'>, tz: string, nowMs: () => number, elderly: () => boolean): ChartsHandle {
  const siteId = site.id;
  const status = h('p', { class: 'chart-status', role: 'status' }, t('chart.loading'));
  const el = h('section', { class: 'd-charts', 'aria-label': t('chart.typical') }, status);
  const abort = new AbortController();
  const charts: Array<{ destroy(): void }> = [];
  let destroyed = false;

  void (async () => {
    try {
      const [mod, res] = await Promise.all([
        import('./charts.js'),
        fetch(`/api/sites/${encodeURIComponent(siteId)}/history?hours=${HISTORY_HOURS}`, { signal: abort.signal }),
      ]);
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      const { points } = (await res.json()) as { points: Point[] };
      if (destroyed) return;
      const now = nowMs();
      const series = todaySeries(points, tz, now);
      const typical = typicalByHour(points, tz);
      const hasToday = series.some((p) => p.wait !== null);
      const hasTypical = typical.wait.some((w) => w !== null);
      if (!hasToday && !hasTypical) {
        status.textContent = t('chart.none');
        return;
      }
      status.remove();
      const text = { waitLabel: t('wait.label'), hourLabel: (hr: number) => t('chart.hour', { h: hr }) };
      const today = localTime(now, tz);
      const quiet = quietHours(typical, 10, (hr) => isOpenAt(site.hours, { ...today, minutes: hr * 60 + 30 }));
      if (hasToday) {
        const canvas = h('canvas', { role: 'img', 'aria-label': t('chart.today') });
        el.append(h('h3', {}, t('chart.today')), h('div', { class: 'chart-box' }, canvas));
        charts.push(mod.todayChart(canvas, series, text, elderly()));
      }
      if (hasTypical) {
        const canvas = h('canvas', { role: 'img', 'aria-label': t('chart.typical') });
        el.append(h('h3', {}, t('chart.typical')), h('div', { class: 'chart-box' }, canvas));
        charts.push(mod.typicalChart(canvas, typical.wait, Math.floor(today.minutes / 60), text, elderly()));
      }
      if (quiet.length) el.append(h('p', { class: 'chart-quiet' }, t('chart.quiet', { hours: quiet.map((hr) => t('chart.hour', { h: hr })).join(t('day.sep')) })));
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
