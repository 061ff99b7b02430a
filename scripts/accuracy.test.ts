import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AccuracyJsonSchema } from './sim/json.js';

const dir = mkdtempSync(join(tmpdir(), 'shortline-accuracy-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs `npm run accuracy` as a user would (tsx on scripts/accuracy.ts), in its own process. */
function accuracy(args: string[]): Promise<{ code: number | null; stderr: string; stdout: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/accuracy.ts', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr })));
}

describe('npm run accuracy -- --scenario / --json', () => {
  it('when the scenario file has an unknown key, then it exits 2 with one clear line naming the key', async () => {
    const file = join(dir, 'typo.json');
    writeFileSync(file, JSON.stringify({ carrierPasersMax: 150 }));
    const r = await accuracy(['--scenario', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^accuracy: --scenario .*typo\.json: unknown key "carrierPasersMax"$/m);
    expect(r.stdout).toBe('');
  });

  it('when the scenario file is not JSON or missing, then it exits 2 and says so', async () => {
    const file = join(dir, 'broken.json');
    writeFileSync(file, '{ "seed": ');
    const broken = await accuracy(['--scenario', file]);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toContain('not JSON');
    const missing = await accuracy(['--scenario', join(dir, 'nope.json')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('cannot read it');
  });

  it('when an option is mistyped, then it exits 2 naming it with the usage; --help prints the usage', async () => {
    const typo = await accuracy(['--scenaro', 'x.json']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/^accuracy: Unknown option '--scenaro'/m);
    expect(typo.stderr).toContain('usage: npm run accuracy');
    expect(typo.stderr).not.toContain('    at ');
    const nowhere = await accuracy(['--districts', '火星区']);
    expect(nowhere.code).toBe(2);
    expect(nowhere.stderr).toMatch(/^accuracy: --districts matched no site \(districts: .*江海区/m);
    const help = await accuracy(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--scenario FILE.json');
  });

  it('when a short run is asked for JSON, then the file has the contract shape with one entry per run', async () => {
    const file = join(dir, 'small.json');
    writeFileSync(file, JSON.stringify({ name: 'small', carrierPassersMax: 60, staffEveryMin: [10, 20] }));
    const out = join(dir, 'results.json');
    const r = await accuracy([
      '--scenario',
      file,
      '--json',
      out,
      '--out',
      join(dir, 'r.html'),
      '--sites',
      '12',
      '--hours',
      '1',
      '--scenarios',
      'nearest,shortline',
      '--jobs',
      '1',
    ]);
    expect(r.stderr).not.toContain('failed');
    expect(r.code).toBe(0);
    const json = AccuracyJsonSchema.parse(JSON.parse(readFileSync(out, 'utf8')));
    expect(json.scenarios.map((s) => s.name)).toEqual(['small/nearest', 'small/shortline']);
    for (const s of json.scenarios) {
      expect(Object.keys(s.staff)).toEqual(
        expect.arrayContaining(['within5', 'mae', 'wrongLevel', 'within5Long', 'highRecall', 'inRange']),
      );
      expect(s.staff.arrivals + s.carrier.arrivals).toBeGreaterThan(0);
      expect(s.nearest.trip).toBeGreaterThanOrEqual(s.nearest.wait ?? 0);
    }
    expect(json.scenarios[0]!.followers).toEqual({ wait: null, trip: null });
    expect(json.scenarios[1]!.followShare).toBe(0.3);
  }, 180_000);
});
