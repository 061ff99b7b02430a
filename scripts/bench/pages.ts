// Page weight: what a first visit downloads before a page can run, gzipped: the entry script, the
// chunks it imports statically (Vite lists them as modulepreload) and the stylesheets, per built
// page. Built with the project's own Vite config into a scratch directory (dist/client may be
// served by someone's running tests). The reference, the library floor, is a page that does
// nothing but import what the resident page cannot do without: Leaflet (JS and CSS) and
// socket.io-client. Goal (issue 7): the resident page at most 160 KB.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Benchmark } from './lib/context.js';
import { makeRow, type Row } from './lib/report.js';
import { buildPage, buildProjectPages, ROOT } from './lib/vite-build.js';

/** Inside the project, so that the floor page's imports resolve from node_modules. */
const SCRATCH = join(ROOT, 'node_modules/.cache/shortline-bench');

const FLOOR_HTML =
  '<!doctype html><html><head><meta charset="utf-8"></head><body><script type="module" src="./main.js"></script></body></html>\n';
const FLOOR_MAIN = `import L from 'leaflet';
import 'leaflet/dist/leaflet.css';
import { io } from 'socket.io-client';
const map = L.map(document.body);
L.circleMarker([22.58, 113.08]).addTo(map);
io({ transports: ['websocket'] }).on('live:snapshot', (s) => console.log(s));
`;

interface ManifestChunk {
  file: string;
  isEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
  css?: string[];
}
type Manifest = Record<string, ManifestChunk>;

/** Files of a chunk and of its static imports, recursively: what loads before it runs. */
function staticClosure(m: Manifest, key: string, files = new Set<string>()): Set<string> {
  const c = m[key];
  if (!c || files.has(c.file)) return files;
  files.add(c.file);
  for (const css of c.css ?? []) files.add(css);
  for (const k of c.imports ?? []) staticClosure(m, k, files);
  return files;
}

/**
 * Adds the workers these chunks start (`new Worker(new URL('x.js', import.meta.url))`): Vite's
 * manifest does not list them, yet the resident page's live feed runs in one from the start.
 */
function withWorkers(outDir: string, files: Iterable<string>): Set<string> {
  const out = new Set(files);
  for (const f of [...out]) {
    if (!f.endsWith('.js')) continue;
    const text = readFileSync(join(outDir, f), 'utf8');
    for (const m of text.matchAll(
      /["'`]([^"'`]+?\.js)["'`]\s*,\s*(?:["'`]["'`]\s*\+\s*)?(?:self\.location|import\.meta\.url)/g,
    )) {
      const name = `assets/${m[1]!.replace(/^.*\//, '')}`;
      if (existsSync(join(outDir, name))) out.add(name);
    }
  }
  return out;
}

/**
 * Gzipped bytes (zlib's default level 6) per page, from Vite's manifest. `static` is the HTML, the
 * entry with its static imports and their CSS. `toRun` adds the biggest of the entry's own
 * dynamic imports with its static closure: pages load their app (or pick one mode of several)
 * that way at start, so that is what a first visit waits for. Dynamic imports of those chunks
 * (charts, panels opened later) are not counted.
 */
function pageWeights(outDir: string): Map<string, { static: number; toRun: number }> {
  const m = JSON.parse(readFileSync(join(outDir, '.vite/manifest.json'), 'utf8')) as Manifest;
  const gz = (files: Iterable<string>) =>
    [...withWorkers(outDir, files)].reduce((sum, f) => sum + gzipSync(readFileSync(join(outDir, f))).length, 0);
  const out = new Map<string, { static: number; toRun: number }>();
  for (const [key, c] of Object.entries(m)) {
    if (!c.isEntry || !key.endsWith('.html')) continue;
    const html = gzipSync(readFileSync(join(outDir, key))).length;
    const initial = staticClosure(m, key);
    const branches = (c.dynamicImports ?? []).map((d) => gz(staticClosure(m, d, new Set(initial))));
    out.set(key.replace(/^.*\//, '').replace(/\.html$/, ''), {
      static: html + gz(initial),
      toRun: html + Math.max(gz(initial), ...branches),
    });
  }
  return out;
}

export const pages: Benchmark = {
  names: ['page-weight'],
  async run(ctx) {
    ctx.log('page weight: vite build of the pages and of the library floor');
    const pagesOut = join(SCRATCH, 'pages');
    const floorOut = join(SCRATCH, 'floor');
    try {
      await buildProjectPages(pagesOut);
      await buildPage(join(SCRATCH, 'floor-src'), { 'index.html': FLOOR_HTML, 'main.js': FLOOR_MAIN }, floorOut);
      const floor = pageWeights(floorOut).get('index')!.toRun / 1024;
      const rows: Row[] = [];
      for (const [page, w] of pageWeights(pagesOut)) {
        const name = page === 'index' ? 'resident (/)' : `/${page}`;
        const notes = [];
        if (page === 'index')
          notes.push('reference: Leaflet JS+CSS and socket.io-client alone; one build, sizes do not vary between runs');
        if (w.toRun !== w.static)
          notes.push(`${(w.static / 1024).toFixed(1)} KB before the app chunk the entry loads at start`);
        rows.push(
          makeRow({
            name: `page weight, ${name}, JS+CSS to run, gzipped`,
            unit: 'KB',
            ours: [w.toRun / 1024],
            reference: [floor],
            goal: page === 'index' ? { of: 'ours', op: '<=', value: 160 } : undefined,
            note: notes.join('; ') || undefined,
          }),
        );
      }
      return rows;
    } finally {
      // BENCH_KEEP_BUILD=1 keeps the builds, to see what was counted.
      if (!process.env.BENCH_KEEP_BUILD) rmSync(SCRATCH, { recursive: true, force: true });
    }
  },
};
