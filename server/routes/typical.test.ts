// GET /api/sites/:id/typical from archived hours written straight into the archive (manual clock):
// nothing "usual" before 7 days with readings; weekdays and weekends apart after.
import { afterEach, describe, expect, it } from 'vitest';
import { startTestApp, testSites, type TestApp } from '../../testing/server/app.js';
import { emptyHourRow, HOUR } from '../archive/hour-rows.js';
import { createMemoryArchive } from '../archive/memory.js';
import type { HourArchive } from '../archive/types.js';
import { ManualClock } from '../clock.js';
import type { TypicalWeek } from '../../shared/typical.js';

/** Monday 2026-11-02 00:00 in Jiangmen (UTC+8). */
const START = Date.parse('2026-11-01T16:00:00Z');
const sites = testSites(2);

/** `days` days of archived hours from START for site-1: 15 min on weekdays (40 at 09:00), 5 at weekends, 08:00-19:59. */
async function archiveDays(archive: HourArchive, days: number): Promise<void> {
  for (let hr = 0; hr < days * 24; hr++) {
    const hourMs = START + hr * HOUR;
    const local = new Date(hourMs + 8 * HOUR);
    const h = local.getUTCHours();
    const weekend = local.getUTCDay() === 0 || local.getUTCDay() === 6;
    const wait = h < 8 || h >= 20 ? null : weekend ? 5 : h === 9 ? 40 : 15;
    const row =
      wait === null
        ? emptyHourRow(hourMs)
        : {
            ...emptyHourRow(hourMs),
            waitMean: wait,
            waitMax: wait,
            queueMean: wait * 2,
            queueMax: wait * 2,
            carrierMinutes: 60,
            noneMinutes: 0,
          };
    await archive.putHour(hourMs, wait === null ? [] : [['site-1', row]], hourMs + 35 * 24 * HOUR);
  }
}

describe('GET /api/sites/:id/typical', () => {
  let t: TestApp | undefined;
  afterEach(async () => t?.close());
  const open = async (days: number) => {
    const clock = new ManualClock(START + days * 24 * HOUR + 10 * HOUR);
    const archive = createMemoryArchive(() => clock.now());
    await archiveDays(archive, days);
    t = await startTestApp({ clock, sites, archive });
    return t;
  };
  const typical = async (t: TestApp, id = 'site-1') => {
    const res = await fetch(`${t.url}/api/sites/${id}/typical`);
    return { status: res.status, body: (await res.json()) as TypicalWeek & { error?: string } };
  };

  it('when the archive holds 6 days, then nothing usual is given, whatever the readings', async () => {
    const { status, body } = await typical(await open(6));
    expect(status).toBe(200);
    expect(body.enough).toBe(false);
    expect(body.days).toBe(6);
    expect(body.weekday).toHaveLength(24);
  });

  it('when the archive holds 14 days, then weekdays and weekends are apart, by local hour', async () => {
    const { body } = await typical(await open(14));
    expect(body.enough).toBe(true);
    expect(body.days).toBe(14);
    expect(body.weekday[9]).toEqual({ wait: 40, low: 40, high: 40, days: 10 });
    expect(body.weekday[14]!.wait).toBe(15);
    expect(body.weekend[9]).toEqual({ wait: 5, low: 5, high: 5, days: 4 });
    expect(body.weekday[3]).toEqual({ wait: null, low: null, high: null, days: 0 });
  });

  it('when a site has no archived hours or is unknown, then not enough data, or 404 unknown_site', async () => {
    const app = await open(14);
    expect((await typical(app, 'site-2')).body).toMatchObject({ enough: false, days: 0 });
    const missing = await typical(app, 'nope');
    expect(missing.status).toBe(404);
    expect(missing.body.error).toBe('unknown_site');
  });
});
