// One GET whose JSON answer is checked with a zod schema: the answer, or null when the request
// failed, the status was not 2xx or the body did not match. For feeds that keep what they had
// until the next try (the wall's trends, the resident worker's notices and intents).
import type { z } from 'zod';

export async function fetchParsed<S extends z.ZodType>(
  url: string,
  schema: S,
  init: RequestInit = {},
): Promise<z.infer<S> | null> {
  try {
    const res = await fetch(url, init);
    if (!res.ok) return null;
    const parsed = schema.safeParse(await res.json());
    return parsed.success ? parsed.data : null;
  } catch {
    // Offline or refused: the caller keeps what it had.
    return null;
  }
}
