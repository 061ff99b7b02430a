// Chart.js, loaded only when a site's details open (dynamic import keeps it out of the first load).
// Only the pieces used are registered, so the lazy chunk stays small.
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Filler,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
} from 'chart.js';

Chart.register(
  BarController,
  BarElement,
  CategoryScale,
  Filler,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
);

export interface ChartText {
  waitLabel: string;
  hourLabel: (h: number) => string;
}

const FONT = { family: 'system-ui, "Noto Sans CJK SC", "Microsoft YaHei", sans-serif', size: 13 };

function base(elderly: boolean) {
  return {
    responsive: true,
    maintainAspectRatio: false,
    // Motion costs battery on cheap phones and bothers people who asked for less of it.
    animation: false as const,
    plugins: { legend: { display: false }, tooltip: { enabled: true } },
    scales: {
      x: {
        ticks: { color: '#333', font: { ...FONT, size: elderly ? 16 : 12 }, maxRotation: 0, autoSkipPadding: 12 },
        grid: { display: false },
      },
      y: {
        beginAtZero: true,
        ticks: { color: '#333', font: { ...FONT, size: elderly ? 16 : 12 }, precision: 0 },
        grid: { color: '#e3e3e3' },
      },
    },
  };
}

export function todayChart(
  canvas: HTMLCanvasElement,
  series: Array<{ label: string; wait: number | null }>,
  text: ChartText,
  elderly: boolean,
): Chart {
  return new Chart(canvas, {
    type: 'line',
    data: {
      labels: series.map((p) => p.label),
      datasets: [
        {
          label: text.waitLabel,
          data: series.map((p) => p.wait),
          borderColor: '#0b57d0',
          backgroundColor: 'rgba(11,87,208,0.12)',
          fill: true,
          pointRadius: 0,
          borderWidth: elderly ? 3 : 2,
          spanGaps: false,
          tension: 0.2,
        },
      ],
    },
    options: base(elderly),
  });
}

export function typicalChart(
  canvas: HTMLCanvasElement,
  wait: (number | null)[],
  nowHour: number,
  text: ChartText,
  elderly: boolean,
): Chart {
  return new Chart(canvas, {
    type: 'bar',
    data: {
      labels: wait.map((_, hr) => text.hourLabel(hr)),
      datasets: [
        {
          label: text.waitLabel,
          data: wait,
          // The current hour stands out by colour and by a dark outline, not colour alone.
          backgroundColor: wait.map((_, hr) => (hr === nowHour ? '#0b57d0' : '#90a4ae')),
          borderColor: wait.map((_, hr) => (hr === nowHour ? '#0a2a66' : '#90a4ae')),
          borderWidth: wait.map((_, hr) => (hr === nowHour ? 2 : 0)),
        },
      ],
    },
    options: base(elderly),
  });
}
