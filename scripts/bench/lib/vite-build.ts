// Vite builds for the page benchmarks (page-weight, first-render): the project's pages with its own
// config, and small reference pages from sources written on the spot. Both into scratch folders,
// never dist/client, which someone's running tests may be serving.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** The project's pages, as `npm run build` makes them, with Vite's manifest (unminified for profiles). */
export async function buildProjectPages(outDir: string, minify = true): Promise<void> {
  await build({
    root: join(ROOT, 'client'),
    configFile: resolve(ROOT, 'vite.config.ts'),
    logLevel: 'error',
    build: { outDir, emptyOutDir: true, manifest: true, minify },
  });
}

/**
 * A page from `files` (an index.html and what it loads), written to `srcDir` and built to
 * `outDir`. `srcDir` must sit inside the project, so that its imports resolve from node_modules.
 */
export async function buildPage(
  srcDir: string,
  files: Record<string, string>,
  outDir: string,
  base = '/',
): Promise<void> {
  mkdirSync(srcDir, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(srcDir, name), text);
  await build({
    root: srcDir,
    configFile: false,
    base,
    logLevel: 'error',
    build: {
      outDir,
      emptyOutDir: true,
      manifest: true,
      rollupOptions: { input: { index: join(srcDir, 'index.html') } },
    },
  });
}
