// `npm run accuracy`: how close shortline's shown waits are to the true ones, over a simulated day
// per scenario (who follows the recommendation, spreading on or off). Each scenario runs in its
// own process (a day is CPU-bound and there are two cores), with the server on a ManualClock.
//
//   npm run accuracy                          # the full day, 986 sites, four scenarios
//   npm run accuracy -- --sites 150 --hours 4 # a quick look (07:00-11:00)
//   npm run accuracy -- --scenario scenarios/realistic.json --json results.json
//   options: --sites N --districts A,B --hours H --from HH:MM --seed S --jobs J --scenarios a,b --out FILE
//            --scenario FILE.json (overrides of the world, see docs/accuracy.md) --json FILE
//   scenarios: nearest, shortline, herding, spreading (default); intent (an experiment); oracle, oracle70
//   (bounds: followers who see every true queue)
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DEFAULT_SITES_FILE, loadRegistry } from '../server/registry/load.js';
import type { Site } from '../shared/schemas.js';
import { runFastDay } from './sim/fast-day.js';
import { accuracyHtml } from './sim/html.js';
import { accuracyJson } from './sim/json.js';
import { scenarioResult, type ScenarioResult } from './sim/report.js';
import { defaultScenario, parseScenario, scenario, type Scenario } from './sim/scenario.js';
import { accuracyText } from './sim/text.js';

/** A Monday, so that weekday-only opening hours apply; the registry's sites are in UTC+8. */
const DAY = '2026-11-23';
const UTC_OFFSET = '+08:00';

interface Run {
  label: string;
  followShare: number;
  spreading: boolean;
  countEnRoute?: boolean;
  seeTruth?: boolean;
}

const SCENARIOS = {
  nearest: {
    label: 'nobody follows shortline: everyone goes to the nearest open site',
    followShare: 0,
    spreading: true,
  },
  shortline: { label: "30% follow shortline's recommendation, spreading on", followShare: 0.3, spreading: true },
  herding: { label: '70% follow, spreading off (greedy: walk + predicted wait)', followShare: 0.7, spreading: false },
  spreading: { label: '70% follow, spreading on', followShare: 0.7, spreading: true },
  // Not in the default set: what a server-side count of residents on their way would do.
  intent: {
    label: '70% follow, spreading on, followers on their way counted in the wait (experiment)',
    followShare: 0.7,
    spreading: true,
    countEnRoute: true,
  },
  // Not in the default set: the bound, followers ranking on the true state of every site.
  oracle: {
    label: '30% follow a ranking that sees every true queue (a bound, not shortline)',
    followShare: 0.3,
    spreading: true,
    seeTruth: true,
  },
  oracle70: {
    label: '70% follow a ranking that sees every true queue (a bound, not shortline)',
    followShare: 0.7,
    spreading: true,
    seeTruth: true,
  },
} as const satisfies Record<string, Run>;
const DEFAULT_SCENARIOS = ['nearest', 'shortline', 'herding', 'spreading'];
type ScenarioName = keyof typeof SCENARIOS;

function fail(message: string): never {
  console.error(`accuracy: ${message}`);
  process.exit(2);
}

const USAGE = `usage: npm run accuracy -- [options]
  --sites N --districts A,B --hours H --from HH:MM --seed S --jobs J --scenarios a,b --out FILE
  --scenario FILE.json (overrides of the world, see docs/accuracy.md) --json FILE
  scenarios: ${Object.keys(SCENARIOS).join(', ')} (default: ${DEFAULT_SCENARIOS.join(',')})`;

/** Options as given; a mistyped one gets its message and the usage, exit 2, not a stack trace. */
function readArgs() {
  try {
    return parseArgs({
      options: {
        sites: { type: 'string' },
        districts: { type: 'string' },
        hours: { type: 'string', default: '24' },
        from: { type: 'string' },
        seed: { type: 'string' },
        scenario: { type: 'string' },
        json: { type: 'string' },
        jobs: { type: 'string' },
        scenarios: { type: 'string', default: DEFAULT_SCENARIOS.join(',') },
        out: { type: 'string', default: 'accuracy-report.html' },
        worker: { type: 'string' },
        result: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (e) {
    fail(`${(e as Error).message}\n${USAGE}`);
  }
}
const args = readArgs();
if (args.help) {
  console.log(USAGE);
  process.exit(0);
}

const hours = Number(args.hours);
if (!(hours > 0 && hours <= 24)) fail('--hours must be in (0, 24]');
// A short run starts at 07:00 so that it sees the morning peak rather than the night.
const from = args.from ?? (hours >= 24 ? '00:00' : '07:00');
if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(from)) fail('--from must be HH:MM');

/** The world's overrides from --scenario: read, parsed and validated before anything runs. */
function loadWorld(): { world: string; overrides: Partial<Scenario> } {
  if (!args.scenario) return { world: 'default', overrides: {} };
  let text: string;
  try {
    text = readFileSync(args.scenario, 'utf8');
  } catch (err) {
    fail(`--scenario ${args.scenario}: cannot read it (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    fail(`--scenario ${args.scenario}: not JSON (${(err as Error).message})`);
  }
  const parsed = parseScenario(json);
  if (!parsed.ok) fail(`--scenario ${args.scenario}: ${parsed.message}`);
  return { world: parsed.name ?? basename(args.scenario).replace(/\.json$/i, ''), overrides: parsed.overrides };
}
const { world, overrides } = loadWorld();
const seed = Number(args.seed ?? overrides.seed ?? defaultScenario.seed);
if (!Number.isInteger(seed)) fail('--seed must be an integer');
const names = args.scenarios.split(',').map((s) => s.trim()) as ScenarioName[];
for (const n of names)
  if (!(n in SCENARIOS)) fail(`unknown scenario "${n}" (known: ${Object.keys(SCENARIOS).join(', ')})`);
const startMs = Date.parse(`${DAY}T${from}:00${UTC_OFFSET}`);
const startMinute = Number(from.slice(0, 2)) * 60 + Number(from.slice(3));

function pickSites(registry: Site[]): Site[] {
  // --districts first: every site of those districts keeps the real distances between neighbours.
  const wanted = args.districts?.split(',').filter(Boolean);
  const all = wanted ? registry.filter((s) => wanted.includes(s.district)) : registry;
  if (wanted && all.length === 0)
    fail(`--districts matched no site (districts: ${[...new Set(registry.map((s) => s.district))].join(',')})`);
  if (!args.sites) return all;
  const n = Number(args.sites);
  if (!(Number.isInteger(n) && n >= 1)) fail('--sites must be a positive integer');
  if (n >= all.length) return all;
  // Evenly through the registry, so that every district keeps some sites.
  return Array.from({ length: n }, (_, i) => all[Math.floor((i * all.length) / n)]!);
}

async function worker(name: ScenarioName, resultFile: string): Promise<void> {
  const sites = pickSites(loadRegistry(DEFAULT_SITES_FILE));
  const def: Run = SCENARIOS[name];
  const day = await runFastDay({
    sites,
    startMs,
    minutes: Math.round(hours * 60),
    // The world from the scenario file; who follows and how is the run's.
    scenario: scenario({
      ...overrides,
      seed,
      followShare: def.followShare,
      spreading: def.spreading,
      countEnRoute: def.countEnRoute ?? overrides.countEnRoute ?? false,
      followersSeeTruth: def.seeTruth ?? overrides.followersSeeTruth ?? false,
    }),
    progress: (m, sim) => {
      if (m % 180 === 0)
        console.error(`  ${name}: ${fmtClock(startMinute + m)} simulated, ${sim.city.totalWaiting()} queuing`);
    },
  });
  if (Object.keys(day.intents.refused).length)
    console.error(
      `  ${name}: intents refused by status: ${JSON.stringify(day.intents.refused)} of ${day.intents.sent}`,
    );
  const cpuMs = Math.round((process.cpuUsage().user + process.cpuUsage().system) / 1000);
  writeFileSync(resultFile, JSON.stringify({ ...scenarioResult(name, def.label, day, world), cpuMs }));
}

const fmtClock = (m: number) =>
  `${String(Math.floor(m / 60) % 24).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

function runWorker(name: ScenarioName, dir: string): Promise<ScenarioResult> {
  const file = join(dir, `${name}.json`);
  const passOn = [
    '--hours',
    String(hours),
    '--from',
    from,
    '--seed',
    String(seed),
    ...(args.sites ? ['--sites', args.sites] : []),
    ...(args.districts ? ['--districts', args.districts] : []),
    ...(args.scenario ? ['--scenario', args.scenario] : []),
  ];
  // process.execArgv carries tsx's loader, so the child runs this same TypeScript file.
  const child = spawn(
    process.execPath,
    [...process.execArgv, fileURLToPath(import.meta.url), '--worker', name, '--result', file, ...passOn],
    {
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  );
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`scenario ${name} failed (exit ${code})`));
      resolve(JSON.parse(readFileSync(file, 'utf8')) as ScenarioResult);
    });
  });
}

async function main(): Promise<void> {
  const jobs = Number(args.jobs ?? Math.min(2, availableParallelism()));
  const siteCount = pickSites(loadRegistry(DEFAULT_SITES_FILE)).length;
  const t0 = performance.now();
  console.error(
    `accuracy: ${names.length} scenarios of ${hours} h from ${from} in the ${world} world, ${siteCount} sites, seed ${seed}, ${jobs} at a time`,
  );
  const dir = mkdtempSync(join(tmpdir(), 'shortline-accuracy-'));
  const results = new Map<ScenarioName, ScenarioResult>();
  try {
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.max(1, jobs) }, async () => {
        while (next < names.length) {
          const name = names[next++]!;
          results.set(name, await runWorker(name, dir));
        }
      }),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const ordered = names.map((n) => results.get(n)!);
  const command = `npm run accuracy${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`;
  const cpuS = ordered.reduce((sum, r) => sum + r.cpuMs, 0) / 1000;
  const heading =
    `Simulated ${DAY} (Monday) ${from} + ${hours} h, world "${world}", ${siteCount} sites, seed ${seed}; ` +
    `${((performance.now() - t0) / 1000).toFixed(0)} s wall, ${cpuS.toFixed(0)} s CPU over ${names.length} scenario processes.`;
  console.log(accuracyText(ordered, heading));
  writeFileSync(args.out, accuracyHtml(ordered, { heading, command, startMinute }));
  console.error(`\naccuracy: report written to ${args.out}`);
  if (args.json) {
    writeFileSync(args.json, `${JSON.stringify(accuracyJson(ordered), null, 2)}\n`);
    console.error(`accuracy: results written to ${args.json}`);
  }
}

if (args.worker) {
  if (!(args.worker in SCENARIOS) || !args.result) fail('--worker needs a known scenario and --result');
  await worker(args.worker as ScenarioName, args.result);
} else {
  await main();
}
