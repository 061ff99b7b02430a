// The JSON store file of earlier versions (the whole state, saved every few seconds): read once,
// validated, to migrate it into the embedded database (embedded-db.ts), which replaced it.
import { readFileSync, existsSync } from 'node:fs';
import { z } from 'zod';
import { PauseReasonSchema, SiteStatusSchema, SourceSchema, NoticeKindSchema } from '../../shared/schemas.js';
import type { MemoryState } from './memory.js';

const FORMAT = 1;
const n = z.number().finite();
const nullableNum = n.nullable();

const RawSchema = z.object({
  staff: z
    .looseObject({
      reportId: z.string(),
      queue: n,
      lanesOpen: nullableNum,
      status: SiteStatusSchema,
      pauseReason: PauseReasonSchema.nullable(),
      note: z.string().nullable(),
      observedAt: n,
      served: nullableNum.optional(),
    })
    .nullable(),
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
  tokens: z.array(
    z.object({
      tokenId: z.string(),
      hash: z.string(),
      siteId: z.string(),
      label: z.string().nullable(),
      createdAtMs: n,
    }),
  ),
  notices: z.array(
    z.object({
      id: z.string(),
      siteId: z.string().nullable(),
      kind: NoticeKindSchema,
      message: z.string(),
      redirectSiteId: z.string().nullable(),
      createdAtMs: n,
      expiresAtMs: n,
    }),
  ),
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
