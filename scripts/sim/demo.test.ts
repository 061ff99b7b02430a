import { spawn, type ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import type { Meta, Snapshot } from '../../shared/schemas.js';
import { waitFor } from '../../testing/wait.js';

let child: ChildProcess | null = null;

afterEach(() => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  child = null;
});

describe('npm run demo', () => {
  it('when the demo starts, then it serves a living city marked as demo data and stops cleanly on SIGTERM', async () => {
    const proc = spawn(process.execPath, ['--import', 'tsx', 'scripts/demo.ts', '--fast'], {
      env: { ...process.env, PORT: '0', HOST: '127.0.0.1', ADMIN_TOKEN: '', CARRIER_KEYS: '', LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = proc;
    let out = '';
    proc.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    proc.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));

    const url = await waitFor(
      () => {
        // The banner arrives in several writes; wait for its last line.
        const m = /shortline demo: (http:\/\/\S+)/.exec(out);
        if (!m || !/Ctrl-C stops\./.test(out)) throw new Error(`banner not printed yet:\n${out}`);
        return m[1]!;
      },
      { timeout: 20_000, interval: 100 },
    );
    expect(out).toMatch(/admin token: +demo-admin-[0-9a-f]{32}/);
    expect(out).toMatch(/\/staff#enroll=st_[A-Za-z0-9_-]{43}/);

    const meta = (await (await fetch(`${url}/api/meta`)).json()) as Meta;
    expect(meta.demo).toBe(true);
    await waitFor(
      async () => {
        const live = (await (await fetch(`${url}/api/live`)).json()) as Snapshot;
        const sources = new Set(live.sites.map((s) => s.source));
        expect(sources.has('staff') || sources.has('carrier')).toBe(true);
      },
      { timeout: 10_000, interval: 200 },
    );

    proc.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 30_000);
});
