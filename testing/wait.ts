// vi.waitFor with limits for a shared, slow machine. Vitest's default gives a condition 1 s, and
// unlike expect.poll (vitest.config.ts) that default cannot be configured; here a condition gets
// 15 s, which costs nothing when it holds sooner. Tests that need another limit still pass one.
import { vi } from 'vitest';

type Options = Parameters<typeof vi.waitFor>[1];

export function waitFor<T>(callback: () => T | Promise<T>, options?: Options): Promise<T> {
  const given = typeof options === 'number' ? { timeout: options } : (options ?? {});
  return vi.waitFor(callback, { timeout: 15_000, interval: 50, ...given });
}
