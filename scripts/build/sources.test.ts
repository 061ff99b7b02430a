import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildIsCurrent, newestSource, STAMP } from './sources.mjs';

const roots: string[] = [];
afterEach(() => {
  for (const r of roots.splice(0)) rmSync(r, { recursive: true, force: true });
});

/** A project tree with one server source, one test and a complete build stamped at `stampFrom`. */
function project(): string {
  const root = mkdtempSync(join(tmpdir(), 'shortline-build-'));
  roots.push(root);
  mkdirSync(join(root, 'server'), { recursive: true });
  mkdirSync(join(root, 'dist/server'), { recursive: true });
  writeFileSync(join(root, 'server/app.ts'), 'export {};\n');
  writeFileSync(join(root, 'dist/server/index.js'), '\n');
  return root;
}

const stamp = (root: string, newest: number) =>
  writeFileSync(join(root, 'dist', STAMP), JSON.stringify({ builtAt: new Date().toISOString(), newestSource: newest }));
const setTime = (file: string, sec: number) => utimesSync(file, sec, sec);

describe('npm start decides whether to build', () => {
  it('when dist/ has no stamp, then the build is not current', () => {
    expect(buildIsCurrent(project())).toBe(false);
  });

  it('when the stamp covers the newest source, then the build is current', () => {
    const root = project();
    setTime(join(root, 'server/app.ts'), 1_000);
    stamp(root, newestSource(root));
    expect(buildIsCurrent(root)).toBe(true);
  });

  it('when a source changed after the build, then the build is stale', () => {
    const root = project();
    setTime(join(root, 'server/app.ts'), 1_000);
    stamp(root, newestSource(root));
    setTime(join(root, 'server/app.ts'), 2_000);
    expect(buildIsCurrent(root)).toBe(false);
  });

  it('when only a test file changed, then the build stays current', () => {
    const root = project();
    setTime(join(root, 'server/app.ts'), 1_000);
    stamp(root, newestSource(root));
    writeFileSync(join(root, 'server/app.test.ts'), 'export {};\n');
    setTime(join(root, 'server/app.test.ts'), 3_000);
    expect(buildIsCurrent(root)).toBe(true);
  });

  it('when the bundle is missing, then the build is not current', () => {
    const root = project();
    stamp(root, newestSource(root));
    rmSync(join(root, 'dist/server/index.js'));
    expect(buildIsCurrent(root)).toBe(false);
  });
});
