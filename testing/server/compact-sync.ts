// Waits until a compact-feed client (Socket.IO or the plain /feed) holds exactly what
// GET /api/live serves now, past version `after`: a large body is served as built for up to a
// frame, so without `after` a client still at the version before a batch would match a body from
// before the batch too.
import { expect } from 'vitest';
import { waitFor } from '../wait.js';
import { fetchLiveBr, type CompactHeld } from './compact-client.js';

export async function expectInSync(url: string, ids: readonly string[], got: CompactHeld, after = -1): Promise<void> {
  await waitFor(async () => {
    const { snapshot } = await fetchLiveBr(url);
    expect(snapshot.version).toBeGreaterThan(after);
    expect(got.version).toBe(snapshot.version);
    expect(ids.map((id) => got.sites.get(id))).toEqual(snapshot.sites);
  });
  expect(got.errors).toEqual([]);
}
