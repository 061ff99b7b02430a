// The accuracy report as one HTML file that opens from disk: Chart.js is inlined from node_modules
// (no CDN), the data is embedded as JSON, tables are built as static HTML with escaped text.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { checkGoals } from './goals.js';
import { HIST_RANGE, WAIT_PERCENTILES, type ScenarioResult } from './report.js';
import { oscillationTable, sourceTable, waitTable } from './text.js';

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The UMD build, found next to the package's main file (its exports map does not list it). */
function chartJs(): string {
  const main = createRequire(import.meta.url).resolve('chart.js');
  return readFileSync(join(dirname(main), 'chart.umd.min.js'), 'utf8');
}

// Runs in the page. Plain ES2020 so any browser opening a file can run it.
const PAGE_SCRIPT = String.raw`
const data = JSON.parse(document.getElementById('data').textContent);
const hhmm = (m) => String(Math.floor(m / 60) % 24).padStart(2, '0') + ':' + String(m % 60).padStart(2, '0');
const colours = ['#1b6ca8', '#d1495b', '#edae49', '#66a182', '#8d6a9f', '#555555'];
const line = (label, values, i, extra) => Object.assign({ label, data: values, borderColor: colours[i % colours.length], backgroundColor: colours[i % colours.length], pointRadius: 0, borderWidth: 1.5, spanGaps: false }, extra || {});
const chart = (id, config) => new Chart(document.getElementById(id), config);
const results = data.results;
const main = results.find((r) => r.name === 'shortline') || results[0];

const bins = main.errorHistogram.staff.map((_, i) => i - data.histRange);
chart('errors', { type: 'bar', data: { labels: bins, datasets: ['staff', 'carrier'].map((s, i) => {
  const h = main.errorHistogram[s]; const total = h.reduce((a, b) => a + b, 0) || 1;
  return { label: s === 'staff' ? 'staff fresh' : 'carrier only', data: h.map((n) => 100 * n / total), backgroundColor: colours[i] };
}) }, options: { scales: { x: { title: { display: true, text: 'shown - true wait, minutes (clamped at ±' + data.histRange + ')' } }, y: { title: { display: true, text: '% of arrivals' } } } } });

main.examples.forEach((ex, k) => {
  const labels = ex.trueWait.map((_, m) => hhmm(data.startMinute + m));
  const shownBy = (src) => ex.shownWait.map((w, m) => (ex.source[m] === src ? w : null));
  chart('example' + k, { type: 'line', data: { labels, datasets: [
    line('true wait (probe)', ex.trueWait, 5),
    line('shown, staff', shownBy('staff'), 0),
    line('shown, carrier', shownBy('carrier'), 1),
  ] }, options: { animation: false, scales: { y: { title: { display: true, text: 'minutes' } } } } });
});

const fiveMin = (n) => Array.from({ length: n }, (_, i) => hhmm(data.startMinute + 5 * i));
chart('cityQueue', { type: 'line', data: { labels: fiveMin(main.cityQueue.length), datasets: results.map((r, i) => line(r.name, r.cityQueue, i)) }, options: { animation: false, scales: { y: { title: { display: true, text: 'people queuing, whole city' } } } } });

const qs = data.waitPercentiles;
const waitSets = [];
results.forEach((r, i) => {
  waitSets.push(line(r.name + ' nearest', r.waitQuantiles.nearest, i, { borderDash: [5, 4] }));
  if (r.waitQuantiles.followers.length) waitSets.push(line(r.name + ' followers', r.waitQuantiles.followers, i));
});
chart('waits', { type: 'line', data: { labels: qs, datasets: waitSets }, options: { animation: false, scales: { x: { title: { display: true, text: 'percentile of people' } }, y: { title: { display: true, text: 'wait, minutes' } } } } });

const herd = results.find((r) => r.name === 'herding') || main;
const worst = herd.summary.oscillation.worstSite;
const idx = herd.siteWaits.ids.indexOf(worst);
document.getElementById('oscTitle').textContent = worst + ' (most reversals under ' + herd.name + ')';
chart('oscillation', { type: 'line', data: { labels: fiveMin(herd.siteWaits.values[idx].length), datasets: results.map((r, i) => line(r.name, r.siteWaits.values[r.siteWaits.ids.indexOf(worst)], i)) }, options: { animation: false, scales: { y: { title: { display: true, text: 'queue, minutes of wait at full capacity' } } } } });
`;

export interface HtmlMeta {
  heading: string;
  command: string;
  /** Local minute of the day the run starts at, for time labels. */
  startMinute: number;
}

export function accuracyHtml(results: readonly ScenarioResult[], meta: HtmlMeta): string {
  const goals = checkGoals(results);
  const pre = (s: string) => `<pre>${esc(s)}</pre>`;
  const main = results.find((r) => r.name === 'shortline') ?? results[0];
  const data = JSON.stringify({
    results,
    startMinute: meta.startMinute,
    histRange: HIST_RANGE,
    waitPercentiles: WAIT_PERCENTILES,
  }).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>shortline accuracy report</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body { font: 15px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 1100px; padding: 0 1rem; color: #222; }
pre { background: #f5f5f5; padding: .75rem; overflow-x: auto; font-size: 13px; }
figure { margin: 1.5rem 0; } figcaption { font-weight: 600; margin-bottom: .4rem; }
.met { color: #1e7b34; } .unmet { color: #b3261e; } li { margin: .2rem 0; }
</style></head><body>
<h1>shortline: how accurate are the numbers?</h1>
<p>${esc(meta.heading)}</p>
<p>Command: <code>${esc(meta.command)}</code>. Every number comes from a simulated city whose true queues are known; the
observers (staff tablets, the carrier feed) reached shortline through its real HTTP API, and the shown waits were read
back from <code>GET /api/live</code>. Method: see README.sim.md.</p>
<h2>Goals</h2><ul>${goals.map((g) => `<li class="${g.met ? 'met' : 'unmet'}">${g.met === null ? '?' : g.met ? '✔ met' : '✘ not met'}: ${esc(g.goal)}: <b>${esc(g.measured)}</b></li>`).join('')}</ul>
<h2>Accuracy by source shown</h2>
${results.map((r) => `<h3>${esc(r.name)}: ${esc(r.label)}</h3>${pre(sourceTable(r))}`).join('\n')}
<figure><figcaption>Error of the shown wait (${esc(main?.name ?? '')})</figcaption><canvas id="errors" height="110"></canvas></figure>
${(main?.examples ?? []).map((ex, k) => `<figure><figcaption>${esc(ex.siteId)} ${esc(ex.name)} (${ex.staffed ? 'with a staff tablet' : 'carrier only'}): true vs shown wait</figcaption><canvas id="example${k}" height="110"></canvas></figure>`).join('\n')}
<h2>Residents: following shortline vs going to the nearest site</h2>
${pre(waitTable(results))}
<figure><figcaption>Wait percentiles (dashed: nearest-site goers; solid: followers)</figcaption><canvas id="waits" height="120"></canvas></figure>
<figure><figcaption>People queuing in the whole city</figcaption><canvas id="cityQueue" height="110"></canvas></figure>
<h2>Oscillation</h2>
${pre(oscillationTable(results))}
<figure><figcaption>Queue of <span id="oscTitle"></span> in each scenario</figcaption><canvas id="oscillation" height="110"></canvas></figure>
<script id="data" type="application/json">${data}</script>
<script>${chartJs()}</script>
<script>${PAGE_SCRIPT}</script>
</body></html>
`;
}
