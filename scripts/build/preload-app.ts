// A Vite plugin: the resident page's entry (main.ts, the chunk of index.html) starts the feed worker and then imports the
// page itself (app.ts) dynamically, so its download would only start once main.ts has run, one
// round trip later. This adds <link rel="modulepreload"> for that chunk and its static imports to
// index.html, so the browser fetches them alongside the entry (a round trip saved on 150 ms links).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Plugin } from 'vite';

interface ChunkLike {
  type: 'chunk';
  fileName: string;
  facadeModuleId?: string | null;
  imports: string[];
  dynamicImports: string[];
}

/** Files to preload for `entrySuffix`'s dynamic import of a module ending in `targetSuffix`. */
export function preloadsFor(
  bundle: Record<string, { type: string }>,
  entrySuffix: string,
  targetSuffix: string,
): string[] {
  const chunks = Object.values(bundle).filter((c): c is ChunkLike => c.type === 'chunk');
  const byFile = new Map(chunks.map((c) => [c.fileName, c]));
  const entry = chunks.find((c) => c.facadeModuleId?.endsWith(entrySuffix));
  const target = entry?.dynamicImports.map((f) => byFile.get(f)).find((c) => c?.facadeModuleId?.endsWith(targetSuffix));
  if (!entry || !target) return [];
  const out = new Set<string>();
  const walk = (c: ChunkLike) => {
    if (out.has(c.fileName)) return;
    out.add(c.fileName);
    for (const f of c.imports) if (byFile.get(f)) walk(byFile.get(f)!);
  };
  walk(target);
  // The entry and its own static imports are loaded by Vite's tags already.
  for (const f of [entry.fileName, ...entry.imports]) out.delete(f);
  return [...out];
}

export function preloadApp(o: { html: string; entry: string; target: string }): Plugin {
  let outDir = '';
  let base = '/';
  return {
    name: 'shortline-preload-app',
    apply: 'build',
    configResolved(config) {
      outDir = config.build.outDir;
      base = config.base;
    },
    writeBundle(_options, bundle) {
      const files = preloadsFor(bundle, o.entry, o.target);
      if (!files.length) return;
      const path = join(outDir, o.html);
      const html = readFileSync(path, 'utf8');
      const links = files.map((f) => `<link rel="modulepreload" crossorigin href="${base}${f}">`).join('\n  ');
      writeFileSync(path, html.replace('</head>', `  ${links}\n</head>`));
    },
  };
}
