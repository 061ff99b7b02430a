// The embedded database around the contract: what was answered is there after a reopen, and a
// JSON store file of an earlier version is imported once on start.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../logger.js';
import { embeddedDbPath, openEmbeddedDb } from './embedded-db.js';
import { createMemoryStore } from './memory.js';
import type { StaffApplyInput } from './types.js';

const T0 = Date.UTC(2025, 4, 1, 2, 0, 0);
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'shortline-embedded-db-'));
  dirs.push(d);
  return d;
};

function report(reportId: string, observedAt: number, queue = 7): StaffApplyInput {
  return {
    siteId: 's1',
    bodyHash: `hash-${reportId}`,
    origin: 'test',
    nowMs: observedAt,
    record: { reportId, queue, lanesOpen: 1, status: 'open', pauseReason: null, note: null, observedAt },
    historyPoint: { atMs: observedAt, queue, waitMinutes: 3, source: 'staff' },
    // Opaque to the store: any JSON object comes back as it went in.
    calibration: { ratio: 0.5, samples: 3, byHour: [1, 2, { nested: true }] } as never,
  };
}
const token = { tokenId: 't1', hash: 'hash-t1', siteId: 's1', label: 'desk', createdAtMs: T0 };

describe('the embedded database', () => {
  it('when the store is closed and opened again, then reports, report ids, history, tokens (sealed copies included) and revocations are all there', async () => {
    const path = join(tempDir(), 'store.lmdb');
    const clock = () => T0 + 60_000;
    const first = await openEmbeddedDb({ path, now: clock, logger: silentLogger() });
    await first.store.applyStaffReport(report('r1', T0));
    await first.store.createStaffTokens([token]);
    const sealed = { ...token, tokenId: 't3', hash: 'hash-t3', sealed: 'v1.sealed-copy' };
    await first.store.createStaffTokens([{ ...token, tokenId: 't2', hash: 'hash-t2' }, sealed]);
    await first.store.revokeStaffToken('t2', 'test');
    await first.close();

    const again = await openEmbeddedDb({ path, now: clock, logger: silentLogger() });
    const replay = await again.store.applyStaffReport(report('r1', T0));
    expect(replay).toMatchObject({ outcome: 'replay', applied: true });
    expect((await again.store.loadSites(['s1'])).get('s1')?.calibration).toEqual(report('r1', T0).calibration);
    expect(await again.store.history('s1', 0, Infinity)).toEqual([report('r1', T0).historyPoint]);
    expect(await again.store.findStaffToken('hash-t1')).toEqual(token);
    expect(await again.store.findStaffToken('hash-t2')).toBeNull();
    expect(await again.store.findStaffToken('hash-t3')).toEqual(sealed);
    await again.close();
  });

  it('when a JSON store file of an earlier version exists, then it is imported once and kept as .migrated', async () => {
    const dir = tempDir();
    const file = join(dir, 'store.json');
    const old = createMemoryStore({ now: () => T0, logger: silentLogger() });
    await old.applyStaffReport(report('old-1', T0, 9));
    await old.createStaffTokens([token]);
    writeFileSync(file, JSON.stringify({ format: 1, savedAt: T0, state: old.dump() }));

    const db = await openEmbeddedDb({
      path: embeddedDbPath(file),
      legacyJsonFile: file,
      now: () => T0 + 1000,
      logger: silentLogger(),
    });
    expect(existsSync(file)).toBe(false);
    expect(existsSync(`${file}.migrated`)).toBe(true);
    expect((await db.store.loadSites(['s1'])).get('s1')?.staff?.queue).toBe(9);
    expect(await db.store.applyStaffReport(report('old-1', T0, 9))).toMatchObject({ outcome: 'replay', applied: true });
    expect(await db.store.history('s1', 0, Infinity)).toHaveLength(1);
    expect(await db.store.findStaffToken('hash-t1')).toEqual(token);
    await db.close();
  });
});
