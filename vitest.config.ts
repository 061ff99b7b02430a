import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{server,shared,scripts,client,e2e}/**/*.test.ts'],
    // The slow scale-out tests run in `npm run test:scale` (vitest.scale.config.ts), not here.
    exclude: ['**/node_modules/**', '**/*.scale.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Polls wait for a condition, so a generous limit costs nothing when things work and keeps a
    // shared, slow machine from failing a test that would have passed a second later (1 s default).
    expect: { poll: { timeout: 15_000, interval: 50 } },
    globalSetup: ['testing/server/global-setup.ts'],
    // Real servers, Redis and Chromium share two cores; two files at a time keeps timings sane.
    maxWorkers: 2,
  },
});
