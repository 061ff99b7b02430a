// `npx tsx scripts/archive-size.ts [days]`: bytes a full hourly archive takes for the bundled city
// (986 sites x 24 h x days, every site with figures in every hour: the upper bound; closed hours
// are not stored). LMDB: the whole archive written to a temporary environment, its file measured.
// Redis: one day written under a temporary prefix, MEMORY USAGE summed and scaled to `days`, then
// deleted (the full archive is too large to put on a shared test Redis just to measure it).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { open } from 'lmdb';
import { emptyHourRow, HOUR, type HourRow } from '../server/archive/hour-rows.js';
import { createLmdbArchive } from '../server/archive/lmdb.js';
import { createRedisArchive } from '../server/archive/redis.js';
import { DEFAULT_SITES_FILE, loadRegistry } from '../server/registry/load.js';
import { deletePrefix, TEST_REDIS_URL, uniquePrefix } from '../testing/server/redis.js';

const days = Number(process.argv[2] ?? 35);
const sites = loadRegistry(DEFAULT_SITES_FILE);
const T0 = Date.UTC(2026, 10, 2);
const now = () => T0;
const keep = T0 + 400 * 24 * HOUR;

/** A plausible busy hour: means with a decimal, staff and carrier minutes mixed, served and lanes open known. */
function rowOf(i: number, h: number): HourRow {
  const q = ((i * 7 + h * 13) % 90) + 0.5;
  return {
    ...emptyHourRow(T0 + h * HOUR),
    waitMean: Math.round(q * 3) / 10,
    waitMax: Math.ceil(q / 2) + 3,
    queueMean: q,
    queueMax: Math.ceil(q) + 6,
    served: 40 + ((i * 11 + h * 7) % 160),
    lanesOpenMean: 1 + ((i + h) % 40) / 10,
    staffMinutes: 20 + (i % 30),
    carrierMinutes: 40 - (i % 30),
    noneMinutes: 0,
  };
}
const hourOf = (h: number) => sites.map((s, i) => [s.id, rowOf(i, h)] as const);
const mb = (b: number) => `${(b / 1e6).toFixed(1)} MB`;
const rows = sites.length * 24 * days;

const dir = mkdtempSync(join(tmpdir(), 'shortline-archive-size-'));
try {
  const root = open({ path: join(dir, 'a.lmdb'), mapSize: 8 * 1024 ** 3 });
  const lmdb = createLmdbArchive(root, now);
  for (let h = 0; h < 24 * days; h++) await lmdb.putHour(T0 + h * HOUR, hourOf(h), keep);
  await root.flushed;
  await root.close();
  const bytes = Number(execFileSync('du', ['-sb', '--apparent-size', dir]).toString().split('\t')[0]);
  const used = Number(execFileSync('du', ['-sB1', dir]).toString().split('\t')[0]);
  console.log(`LMDB: ${rows} rows, file ${mb(bytes)} (${mb(used)} on disk), ${Math.round(used / rows)} B/row`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const prefix = uniquePrefix('archive-size');
const client = new Redis(TEST_REDIS_URL);
try {
  const redis = createRedisArchive(client, prefix, now);
  let bytes = 0;
  for (let h = 0; h < 24; h++) {
    await redis.putHour(T0 + h * HOUR, hourOf(h), keep);
    bytes += (await client.memory('USAGE', `${prefix}archive:${T0 + h * HOUR}`, 'SAMPLES', 0)) ?? 0;
  }
  console.log(
    `Redis: ${mb(bytes)} a day; ${days} days: ${mb(bytes * days)}, ${Math.round(bytes / (24 * sites.length))} B/row`,
  );
} finally {
  await deletePrefix(TEST_REDIS_URL, prefix);
  client.disconnect();
}
