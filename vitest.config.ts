import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{server,shared,scripts,client,e2e}/**/*.test.ts'],
    // The slow scale-out tests run in `npm run test:scale` (vitest.scale.config.ts), not here.
    exclude: ['**/node_modules/**', '**/*.scale.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    globalSetup: ['testing/server/global-setup.ts'],
    // Real servers, Redis and Chromium share two cores; two files at a time keeps timings sane.
    maxWorkers: 2,
  },
});
