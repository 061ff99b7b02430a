// Trend charts. The server's per-minute series replace the chart data in place (same arrays, same
// length every time), and the live summary overwrites the newest minute, so a chart never grows
// and never re-animates: animation is off and every update is update('none').
import {
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  type ChartDataset,
} from 'chart.js';
import type { Summary } from '../../../shared/schemas.js';
import type { Trends } from '../../../shared/trends.js';
import type { T } from './i18n.js';

Chart.register(LineController, LineElement, PointElement, LinearScale, CategoryScale, Legend);

const DISTRICT_COLORS = [
  '#4cc3ff',
  '#a78bfa',
  '#f472b6',
  '#34d399',
  '#fbbf24',
  '#fb923c',
  '#93c5fd',
  '#e879f9',
  '#bef264',
];
const GRID = 'rgba(147, 164, 194, 0.15)';
const TEXT = '#93a4c2';

type Line = ChartDataset<'line', (number | null)[]>;

/** Font sizes follow the screen height, like the CSS; never below a legible 9 px. */
const vh = (n: number) => Math.max(9, Math.round((window.innerHeight * n) / 100));
const lineWidth = () => Math.max(1.5, (window.innerHeight * 0.22) / 100);

function hourTick(this: { getLabelForValue(v: number): string }, value: number | string): string | null {
  const label = this.getLabelForValue(Number(value));
  // Every second hour: the two charts sit side by side, and hourly labels would run into each other.
  return label.endsWith(':00') && Number(label.slice(0, 2)) % 2 === 0 ? label : null;
}

function baseOptions(twoAxes: boolean) {
  const ticks = () => ({ color: TEXT, font: { size: vh(1.5) } });
  return {
    responsive: true,
    maintainAspectRatio: false,
    animation: false as const,
    normalized: true,
    events: [] as never[],
    interaction: { mode: 'nearest' as const, intersect: false },
    elements: { point: { radius: 0 }, line: { borderWidth: lineWidth(), tension: 0.2 } },
    plugins: {
      legend: {
        position: 'top' as const,
        align: 'end' as const,
        labels: { color: TEXT, boxWidth: vh(1.6), boxHeight: Math.max(3, lineWidth() * 1.5), font: { size: vh(1.5) } },
      },
    },
    scales: {
      // A tick and grid line on each whole hour: steady marks a viewer can read across the room.
      x: { ticks: { ...ticks(), maxRotation: 0, autoSkip: false, callback: hourTick }, grid: { color: GRID } },
      // Whole people; an empty city shows 0-10 rather than 0.0-1.0.
      y: { beginAtZero: true, suggestedMax: 10, ticks: { ...ticks(), precision: 0 }, grid: { color: GRID } },
      ...(twoAxes
        ? {
            y1: {
              position: 'right' as const,
              beginAtZero: true,
              suggestedMax: 10,
              ticks: ticks(),
              grid: { display: false },
            },
          }
        : {}),
    },
  };
}

/** Replaces the contents of `target` with `source` without replacing the array Chart.js holds. */
function refill<V>(target: V[], source: readonly V[]): void {
  target.length = 0;
  for (const v of source) target.push(v);
}

export interface WallCharts {
  setTrends(t: Trends): void;
  setLive(s: Summary): void;
  /** Points held by both charts; tests check it stays bounded. */
  points(): number;
}

export function wallCharts(
  t: T,
  cityCanvas: HTMLCanvasElement,
  districtCanvas: HTMLCanvasElement,
  timezone: string,
): WallCharts {
  const labels: string[] = [];
  const queue: Line = { label: t('chart.queue'), data: [], borderColor: '#4cc3ff', yAxisID: 'y' };
  const wait: Line = { label: t('chart.wait'), data: [], borderColor: '#f5b50b', yAxisID: 'y1', spanGaps: true };
  const city = new Chart(cityCanvas, {
    type: 'line',
    data: { labels, datasets: [queue, wait] },
    options: baseOptions(true),
  });
  const districtLabels: string[] = [];
  const byDistrict = new Chart(districtCanvas, {
    type: 'line',
    data: { labels: districtLabels, datasets: [] as Line[] },
    options: baseOptions(false),
  });
  const names: string[] = [];

  const fmt = new Intl.DateTimeFormat('zh-CN', {
    timeZone: timezone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  const mark = () => {
    cityCanvas.dataset.points = String(city.data.datasets.reduce((n, d) => n + d.data.length, 0) + labels.length);
    districtCanvas.dataset.points = String(
      byDistrict.data.datasets.reduce((n, d) => n + d.data.length, 0) + districtLabels.length,
    );
  };

  window.addEventListener('resize', () => {
    city.options = baseOptions(true);
    byDistrict.options = baseOptions(false);
    city.update('none');
    byDistrict.update('none');
  });

  return {
    setTrends(tr) {
      const times = tr.times.map((iso) => fmt.format(Date.parse(iso)));
      refill(labels, times);
      refill(queue.data, tr.city.queue);
      refill(wait.data, tr.city.waitAvg);
      refill(districtLabels, times);
      const current = tr.districts.map((d) => d.district);
      if (current.join('|') !== names.join('|')) {
        refill(names, current);
        byDistrict.data.datasets = current.map((name, i) => ({
          label: name,
          data: [],
          borderColor: DISTRICT_COLORS[i % DISTRICT_COLORS.length],
          backgroundColor: DISTRICT_COLORS[i % DISTRICT_COLORS.length],
        }));
      }
      tr.districts.forEach((d, i) => refill(byDistrict.data.datasets[i]!.data as (number | null)[], d.queue));
      city.update('none');
      byDistrict.update('none');
      mark();
      // The minute these series end at; shows that the wall keeps up with the server.
      cityCanvas.dataset.at = tr.at;
    },
    setLive(s) {
      // The newest minute shows what the wall shows now; the next fetch replaces it with history.
      const last = labels.length - 1;
      if (last < 0) return;
      queue.data[last] = s.totals.queue;
      wait.data[last] = s.totals.waitMinutesAvg;
      for (const d of s.districts) {
        const i = names.indexOf(d.district);
        const ds = byDistrict.data.datasets[i];
        if (ds) ds.data[ds.data.length - 1] = d.queue;
      }
      city.update('none');
      byDistrict.update('none');
    },
    points: () => Number(cityCanvas.dataset.points ?? 0) + Number(districtCanvas.dataset.points ?? 0),
  };
}
