// `npm run build`: the pages with Vite and the server bundled with esbuild, into dist/. Plain
// JavaScript so that `npm start` can run it without a TypeScript loader.
//
// Instances may be serving dist/client while a build runs, so the pages are built into a fresh
// folder and copied over the old ones: hashed assets of the previous build stay (a page loaded a
// moment ago can still fetch them) and each HTML file is replaced last, in one rename.
import { cpSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { STAMP, newestSource } from './sources.mjs';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const dist = join(root, 'dist');

async function buildPages() {
  const { build } = await import('vite');
  const tmp = join(dist, `.client-${process.pid}`);
  rmSync(tmp, { recursive: true, force: true });
  // NODE_ENV=production builds exactly what ships (the staff page's service worker included).
  process.env.NODE_ENV = 'production';
  await build({
    configFile: join(root, 'vite.config.ts'),
    logLevel: 'warn',
    build: { outDir: tmp, emptyOutDir: true },
  });
  const out = join(dist, 'client');
  mkdirSync(out, { recursive: true });
  const files = listFiles(tmp);
  // Everything but HTML first, so that a new HTML file never names an asset not yet in place.
  const html = files.filter((f) => f.endsWith('.html'));
  for (const f of files.filter((f) => !f.endsWith('.html'))) {
    mkdirSync(join(out, relative(tmp, f), '..'), { recursive: true });
    cpSync(f, join(out, relative(tmp, f)));
  }
  for (const f of html) {
    const target = join(out, relative(tmp, f));
    mkdirSync(join(target, '..'), { recursive: true });
    renameSync(f, target);
  }
  rmSync(tmp, { recursive: true, force: true });
}

function listFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? listFiles(join(dir, e.name)) : [join(dir, e.name)],
  );
}

export async function buildServer() {
  const { build } = await import('esbuild');
  const out = join(dist, 'server');
  // Our code bundled; packages stay in node_modules (native ones cannot be bundled). Split at
  // dynamic imports, so what an instance may never need (the Redis backend, and ioredis with it)
  // is a chunk of its own, loaded only when imported. Chunks sit beside index.js: code that finds
  // files from import.meta.url sees the same folder whichever file it lands in.
  const result = await build({
    entryPoints: [join(root, 'server/index.ts')],
    outdir: out,
    entryNames: '[name]',
    chunkNames: 'chunk-[hash]',
    splitting: true,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: true,
    metafile: true,
    logLevel: 'warning',
  });
  // Chunks of earlier builds go; every chunk an instance needs it imports while starting.
  const made = new Set(Object.keys(result.metafile.outputs).map((f) => resolve(root, f)));
  for (const f of readdirSync(out)) {
    if (f.startsWith('chunk-') && !made.has(join(out, f))) rmSync(join(out, f));
  }
  // The bundled registry is found next to the bundle (server/registry/load.ts: ../data/).
  cpSync(join(root, 'server/data'), join(dist, 'data'), { recursive: true });
}

export async function buildAll() {
  const started = Date.now();
  mkdirSync(dist, { recursive: true });
  await buildPages();
  await buildServer();
  writeFileSync(
    join(dist, STAMP),
    `${JSON.stringify({ builtAt: new Date().toISOString(), newestSource: newestSource(root) })}\n`,
  );
  console.log(`shortline: built dist/ (pages and server) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await buildAll();
}
