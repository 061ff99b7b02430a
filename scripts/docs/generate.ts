// `npm run docs`: writes the generated references under docs/reference/. `--check` writes nothing
// and exits 1 when a file differs from what would be generated (CI runs it through the suite).
import { readFileSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildOpenApi } from '../../server/openapi.js';
import { httpReference } from './http-reference.js';
import { realtimeReference } from './realtime-reference.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Every generated file, by path under the project root, with its current content. */
export function generatedDocs(): Record<string, string> {
  return {
    'docs/reference/http.md': httpReference(buildOpenApi() as Record<string, unknown>),
    'docs/reference/realtime.md': realtimeReference(join(ROOT, 'shared/events.ts')),
  };
}

/** Paths whose committed content differs from what would be generated now. */
export function staleDocs(): string[] {
  return Object.entries(generatedDocs())
    .filter(([p, text]) => !existsSync(join(ROOT, p)) || readFileSync(join(ROOT, p), 'utf8') !== text)
    .map(([p]) => p);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  if (process.argv.includes('--check')) {
    const stale = staleDocs();
    if (stale.length) {
      console.error(`out of date (run npm run docs): ${stale.join(', ')}`);
      process.exit(1);
    }
  } else {
    for (const [p, text] of Object.entries(generatedDocs())) {
      mkdirSync(dirname(join(ROOT, p)), { recursive: true });
      writeFileSync(join(ROOT, p), text);
      console.log(`wrote ${p}`);
    }
  }
}
