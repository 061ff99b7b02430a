// The LMDB archive's retention frees the disk: expired hours are removed, not only hidden.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { open } from 'lmdb';
import { afterEach, describe, expect, it } from 'vitest';
import { emptyHourRow, HOUR } from './hour-rows.js';
import { createLmdbArchive } from './lmdb.js';

const T0 = Date.UTC(2026, 10, 2);

describe('the LMDB hourly archive', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('when hours expire and are pruned, then their keys are gone from the sub-database', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'shortline-archive-lmdb-'));
    dirs.push(dir);
    const root = open({ path: join(dir, 'a.lmdb') });
    let now = T0;
    const archive = createLmdbArchive(root, () => now);
    const row = { ...emptyHourRow(T0), queueMean: 3, queueMax: 3, carrierMinutes: 60, noneMinutes: 0 };
    for (let h = 0; h < 3; h++)
      await archive.putHour(
        T0 + h * HOUR,
        ['a', 'b'].map((id) => [id, row] as const),
        T0 + (h + 10) * HOUR,
      );
    const keys = () => root.openDB({ name: 'archive' }).getKeysCount();
    expect(keys()).toBe(3 * 3);
    now = T0 + 11 * HOUR;
    await archive.prune();
    // Hours 0 and 1 expired (rows and marker removed); hour 2 lives until 12:00.
    expect(keys()).toBe(3);
    expect(await archive.hasHour(T0 + 2 * HOUR)).toBe(true);
    await root.close();
  });
});
