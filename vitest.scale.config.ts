// `npm run test:scale`: the slow scale-out tests (Sentinel failover, nginx in front of several
// instances). They are named *.scale.test.ts and skip themselves unless SCALE_TESTS=1, which this
// config sets, so plain `npm test` lists them as skipped rather than spending minutes on them.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{server,scripts}/**/*.scale.test.ts'],
    environment: 'node',
    env: { SCALE_TESTS: '1' },
    testTimeout: 120_000,
    hookTimeout: 60_000,
    // Each file runs several servers and Redis processes; one file at a time on two cores.
    maxWorkers: 1,
  },
});
