// The feed worker's side of the advice: the active notices over HTTP (GET /api/notices) for the
// moment before the socket delivers them, and the people on their way (GET /api/intents), both
// validated here. The worker already holds zod for the feed; keeping the schemas out of the page's
// main thread takes about 100 ms of script off a cheap phone's first load (and 25 KB off its wire).
import { z } from 'zod';
import { IntentCountsSchema, NoticeSchema, type Notice } from '../../../shared/schemas.js';

const NoticesBodySchema = z.object({ notices: z.array(NoticeSchema) });

async function getJson<T>(path: string, schema: z.ZodType<T>): Promise<T | null> {
  try {
    const res = await fetch(path, { headers: { accept: 'application/json' } });
    if (!res.ok) return null;
    const parsed = schema.safeParse(await res.json());
    return parsed.success ? parsed.data : null;
  } catch {
    // Offline: the caller keeps what it had.
    return null;
  }
}

/** The active notices, or null when they cannot be had. */
export async function fetchNotices(): Promise<Notice[] | null> {
  return (await getJson('/api/notices', NoticesBodySchema))?.notices ?? null;
}

/** People on their way per site id, or null when they cannot be had. */
export async function fetchEnRoute(): Promise<Record<string, number> | null> {
  return (await getJson('/api/intents', IntentCountsSchema))?.enRoute ?? null;
}
