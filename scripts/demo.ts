// `npm run demo`: shortline with a simulated city. The server is the real one (embedded store,
// bundled registry, configuration from the environment) with the "demo data" badge on; the
// simulator's staff tablets and carrier feed reach it only through its HTTP API.
//
//   npm run demo                  # real time
//   npm run demo -- --speed 10    # ten simulated seconds per second (also DEMO_SPEED=10)
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { createApp } from '../server/app.js';
import { ManualClock, systemClock, type Clock } from '../server/clock.js';
import { ConfigError, configFromEnv, type Config } from '../server/config.js';
import { createLogger } from '../server/logger.js';
import { DEFAULT_SITES_FILE, loadRegistry, RegistryError } from '../server/registry/load.js';
import { createMemoryStore } from '../server/store/memory.js';
import { localTime } from '../shared/hours.js';
import type { Site } from '../shared/schemas.js';
import { ShortlineApi } from './sim/api.js';
import { runLive } from './sim/live.js';
import { scenario } from './sim/scenario.js';
import { Simulation } from './sim/simulation.js';

/** Queues exist before the first count: the model runs this long before the server hears of it. */
const WARM_UP_MS = 2 * 3600_000;
/** First counts of all tablets are spread over this, as a morning shift starting would be. */
const FIRST_COUNTS_WITHIN_MS = 20_000;
/** Enrolment links printed for people to try the staff page. */
const LINKS = 3;

function fail(message: string): never {
  console.error(`shortline demo: ${message}`);
  process.exit(2);
}

const { values: args } = parseArgs({ options: { speed: { type: 'string' }, fast: { type: 'boolean' } } });
// --fast is the test's shorthand: a simulated minute every few seconds.
const speed = Number(args.speed ?? process.env.DEMO_SPEED ?? (args.fast ? 20 : 1));
if (!(speed >= 1 && speed <= 1000)) fail('--speed / DEMO_SPEED must be between 1 and 1000');

function loadConfig(): Config {
  try {
    const cfg = configFromEnv(process.env);
    // A city of tablets logs a line per enrolment at info; the banner says what matters.
    return { ...cfg, demo: true, logLevel: process.env.LOG_LEVEL ? cfg.logLevel : 'warn' };
  } catch (err) {
    if (err instanceof ConfigError) fail(`bad configuration:\n${err.message}`);
    throw err;
  }
}

/**
 * At night in Jiangmen every site is closed and the demo would show a sleeping city. Unless
 * TIMEZONE is set, run the city in a fixed-offset zone where it is mid-morning now, and say so.
 */
function daytimeZone(cfg: Config, nowMs: number): string | null {
  if (process.env.TIMEZONE) return null;
  const local = localTime(nowMs, cfg.timezone);
  if (local.minutes >= 8 * 60 && local.minutes < 20 * 60) return null;
  let offset = 10 - new Date(nowMs).getUTCHours();
  if (offset > 14) offset -= 24;
  if (offset < -12) offset += 24;
  // POSIX sign: Etc/GMT-8 is eight hours ahead of UTC.
  return offset === 0 ? 'Etc/GMT' : offset > 0 ? `Etc/GMT-${offset}` : `Etc/GMT+${-offset}`;
}

function loadSites(cfg: Config): Site[] {
  try {
    return loadRegistry(cfg.sitesFile ?? DEFAULT_SITES_FILE);
  } catch (err) {
    if (err instanceof RegistryError) fail(`SITES_FILE: ${err.message}`);
    throw err;
  }
}

async function main(): Promise<void> {
  const config = loadConfig();
  const notes: string[] = [];
  const adminToken = config.adminToken ?? `demo-admin-${randomBytes(16).toString('hex')}`;
  config.adminToken = adminToken;
  if (config.carrierKeys.size === 0)
    config.carrierKeys = new Map([['demo-carrier', [randomBytes(24).toString('hex')]]]);
  const [keyId, secrets] = [...config.carrierKeys][0]!;
  const carrierKey = { id: keyId, secret: secrets[0]! };
  if (config.redisUrl) notes.push('REDIS_URL is ignored: the demo always runs on the embedded store.');

  const clock: Clock = speed === 1 ? systemClock : new ManualClock(Date.now());
  const zone = daytimeZone(config, clock.now());
  if (zone) {
    const was = localTime(clock.now(), config.timezone);
    notes.push(
      `It is ${String(Math.floor(was.minutes / 60)).padStart(2, '0')}:${String(was.minutes % 60).padStart(2, '0')} in ${config.timezone} and the sites are closed; the demo runs them on ${zone} time (mid-morning) instead. Set TIMEZONE to keep real hours.`,
    );
    config.timezone = zone;
  }

  const sites = loadSites(config);
  const logger = createLogger({ level: config.logLevel });
  const store = createMemoryStore({ now: () => clock.now(), logger });
  const app = await createApp({ config, store, clock, logger, sites, defaultMetrics: true });
  const addr = await app.listen(config.port, config.host);
  const anyHost = addr.address === '0.0.0.0' || addr.address === '::';
  const shownHost = anyHost ? 'localhost' : addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  const selfHost = anyHost ? '127.0.0.1' : shownHost;
  const url = `http://${shownHost}:${addr.port}`;
  const api = new ShortlineApi(`http://${selfHost}:${addr.port}`);

  const now = clock.now();
  const sim = new Simulation({
    // The demo's residents all post from this machine's one address: intents would only meet the
    // per-client limit. Followers still rank as the page does, without counts of people on their way.
    sites,
    scenario: scenario({ seed: Number(process.env.DEMO_SEED ?? 20221001), followersSendIntents: false }),
    api,
    adminToken,
    carrierKey,
    timezone: config.timezone,
    defaultRate: config.serviceRate,
    startMs: now,
  });
  sim.warmUp(now - WARM_UP_MS, now);
  const staffed = await sim.enrol(undefined, FIRST_COUNTS_WITHIN_MS);
  const live = runLive(sim, {
    clock,
    speed,
    onError: (err) => logger.warn({ err }, 'demo simulator turn failed'),
  });

  // Links for sites the simulator leaves to the carrier, so a person's counts are the only staff
  // counts there and visibly take over the site.
  const staffedSet = new Set(staffed);
  const open = sim.city.accepting;
  const free = sites
    .map((_, i) => i)
    .filter((i) => !staffedSet.has(i))
    .sort((a, b) => open[b]! - open[a]!)
    .slice(0, LINKS);
  const links = await Promise.all(free.map((i) => api.issueStaffToken(adminToken, sites[i]!.id, 'demo')));

  console.log(
    `shortline demo: ${url}  (simulated city: ${sites.length} sites, ${staffed.length} staff tablets, carrier feed every minute${speed !== 1 ? `, ${speed}x speed` : ''})`,
  );
  console.log(`  wall display:  ${url}/wall`);
  console.log(`  admin token:   ${adminToken}`);
  console.log('  staff enrolment links (sites only the carrier watches; your counts will show as staff data):');
  for (const l of links) {
    const s = sites.find((x) => x.id === l.siteId)!;
    // The API builds links from the address the simulator called; show the one printed above.
    const link = config.publicUrl ? l.enrollUrl : l.enrollUrl.replace(/^https?:\/\/[^/]+/, url);
    console.log(`    ${s.name} (${s.id}): ${link}`);
  }
  for (const n of notes) console.log(`  note: ${n}`);
  console.log('  Ctrl-C stops.');

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`shortline demo: ${signal}, stopping`);
    setTimeout(() => process.exit(1), 10_000).unref();
    await live.stop();
    api.close();
    await app.close();
    await store.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

await main();
