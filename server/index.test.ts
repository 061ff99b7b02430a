// The real entry point as a process: configuration errors, graceful shutdown, and the embedded
// store surviving a restart through its file.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ADMIN = 'entry-admin-token-0123456789';

interface Run {
  child: ChildProcess;
  out: () => string;
  err: () => string;
  exit: Promise<number | null>;
}

function run(env: Record<string, string>): Run {
  // The production bundle (built by the suite's global setup), exactly what `npm start` runs.
  const child = spawn(process.execPath, ['dist/server/index.js'], {
    env: { PATH: process.env.PATH, HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info', STORE_FILE: 'off', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, out: () => out, err: () => err, exit };
}

async function listening(r: Run): Promise<string> {
  for (let i = 0; i < 200; i++) {
    const m = /"port":(\d+)/.exec(r.out());
    if (m) return `http://127.0.0.1:${m[1]}`;
    if (r.child.exitCode !== null) throw new Error(`exited: ${r.err()}`);
    await new Promise((res) => setTimeout(res, 50));
  }
  throw new Error(`never listened: ${r.out()} ${r.err()}`);
}

describe('the entry point', () => {
  it('when variables are bad, then it stops with exit 2 and one line naming each', async () => {
    const r = run({ PORT: 'x', FRAME_MS: '-5', REDIS_URL: 'http://nope', TRUST_PROXY: 'true,' });
    expect(await r.exit).toBe(2);
    const lines = r
      .err()
      .trim()
      .split('\n')
      .filter((l) => /^[A-Z_]+:/.test(l));
    expect(lines.map((l) => l.split(':')[0]).sort()).toEqual(['FRAME_MS', 'PORT', 'REDIS_URL', 'TRUST_PROXY']);
  });

  it('when Redis, the registry or the store file cannot be used, then it stops with a line naming the variable', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'shortline-entry-'));
    writeFileSync(join(dir, 'bad.csv'), 'id,name\nx,y\n');
    writeFileSync(join(dir, 'store.json'), '{"format": 99}');
    const cases: Array<[Record<string, string>, string]> = [
      [{ REDIS_URL: 'redis://127.0.0.1:1' }, 'REDIS_URL'],
      [{ SITES_FILE: join(dir, 'bad.csv') }, 'SITES_FILE'],
      [{ STORE_FILE: join(dir, 'store.json') }, 'STORE_FILE'],
    ];
    for (const [env, name] of cases) {
      const r = run(env);
      expect(await r.exit, name).toBe(2);
      expect(r.err(), name).toContain(`${name}:`);
    }
  }, 30_000);

  it('when stopped with SIGTERM and started again, then tablets, counts and report ids survive in the store file', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'shortline-entry-')), 'store.json');
    const env = { ADMIN_TOKEN: ADMIN, STORE_FILE: file };
    const first = run(env);
    const url = await listening(first);
    const issued = await (
      await fetch(`${url}/api/admin/staff-tokens`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ siteId: 'jm-pengjiang-0001' }),
      })
    ).json();
    const body = JSON.stringify({ reportId: 'restart-0001', queue: 37 });
    const post = (base: string) =>
      fetch(`${base}/api/sites/jm-pengjiang-0001/reports`, {
        method: 'POST',
        headers: { authorization: `Bearer ${issued.token}`, 'content-type': 'application/json' },
        body,
      });
    expect((await post(url)).status).toBe(200);
    first.child.kill('SIGTERM');
    expect(await first.exit).toBe(0);

    const second = run(env);
    const url2 = await listening(second);
    try {
      expect((await (await fetch(`${url2}/api/sites/jm-pengjiang-0001`)).json()).live.queue).toBe(37);
      const replay = await post(url2);
      expect(replay.status).toBe(200);
      expect((await replay.json()).applied).toBe(true);
    } finally {
      second.child.kill('SIGTERM');
      expect(await second.exit).toBe(0);
    }
  }, 30_000);
});
