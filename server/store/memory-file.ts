// Persistence of the embedded store: without Redis, a restart must not forget enrolled tablets,
// report ids or the latest counts. The state is written to one JSON file, atomically (temp file
// and rename), a few seconds after changes and on shutdown; it is validated when read back.
import { mkdirSync, readFileSync, renameSync, existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import { PauseReasonSchema, SiteStatusSchema, SourceSchema, NoticeKindSchema } from '../../shared/schemas.js';
import type { Logger } from '../logger.js';
import type { MemoryState, MemoryStore } from './memory.js';

const FORMAT = 1;
const n = z.number().finite();
const nullableNum = n.nullable();

const RawSchema = z.object({
  staff: z.object({
    reportId: z.string(), queue: n, lanesOpen: nullableNum, status: SiteStatusSchema, pauseReason: PauseReasonSchema.nullable(),
    note: z.string().nullable(), observedAt: n,
  }).nullable(),
  carrier: z.object({ people: n, confidence: nullableNum, observedAt: n }).nullable(),
  // Opaque to the store: its shape belongs to the estimator (shared/domain.ts).
  calibration: z.record(z.string(), z.unknown()).nullable(),
});
const PointSchema = z.object({ atMs: n, queue: nullableNum, waitMinutes: nullableNum, source: SourceSchema });

const StateSchema = z.object({
  sites: z.array(z.tuple([z.string(), RawSchema])),
  reportIds: z.array(z.tuple([z.string(), z.object({ bodyHash: z.string(), applied: z.boolean() }), n])),
  batchIds: z.array(z.tuple([z.string(), n])),
  histories: z.array(z.tuple([z.string(), z.array(PointSchema), n])),
  tokens: z.array(z.object({ tokenId: z.string(), hash: z.string(), siteId: z.string(), label: z.string().nullable(), createdAtMs: n })),
  notices: z.array(z.object({
    id: z.string(), siteId: z.string().nullable(), kind: NoticeKindSchema, message: z.string(),
    redirectSiteId: z.string().nullable(), createdAtMs: n, expiresAtMs: n,
  })),
});
const FileSchema = z.object({ format: z.literal(FORMAT), savedAt: n, state: StateSchema });

export class StoreFileError extends Error {
  override name = 'StoreFileError';
}

/** The saved state, null when there is no file yet; throws StoreFileError on a corrupt file. */
export function readStoreFile(file: string): MemoryState | null {
  if (!existsSync(file)) return null;
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new StoreFileError(`${file}: not readable JSON (${err instanceof Error ? err.message : String(err)})`);
  }
  const parsed = FileSchema.safeParse(json);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new StoreFileError(`${file}: not a shortline store file (${first?.path.join('.')}: ${first?.message})`);
  }
  // Calibration stays opaque JSON here (validated as an object), typed as the estimator's.
  return parsed.data.state as MemoryState;
}

export interface StoreFilePersister {
  /** Writes now if anything changed since the last write. */
  flush(): Promise<void>;
  /** Final write, then no more. Idempotent. */
  stop(): Promise<void>;
}

/** Saves `store` to `file` at most every `intervalMs` while it changes. */
export function persistStore(store: MemoryStore, file: string, logger: Logger, intervalMs = 5000): StoreFilePersister {
  mkdirSync(dirname(file), { recursive: true });
  let saved = store.changeCount;
  let writing: Promise<void> = Promise.resolve();
  const write = async () => {
    if (store.changeCount === saved) return;
    const count = store.changeCount;
    const body = JSON.stringify({ format: FORMAT, savedAt: Date.now(), state: store.dump() });
    const tmp = `${file}.tmp`;
    await writeFile(tmp, body);
    renameSync(tmp, file);
    saved = count;
  };
  const flush = () => (writing = writing.then(write).catch((err: unknown) => {
    logger.error({ err: String(err), file }, 'saving the embedded store failed; will retry');
  }));
  const timer = setInterval(() => void flush(), intervalMs);
  timer.unref();
  let stopping: Promise<void> | undefined;
  return {
    flush,
    stop: () => (stopping ??= (async () => {
      clearInterval(timer);
      await flush();
    })()),
  };
}
