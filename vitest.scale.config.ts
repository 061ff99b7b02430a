// `npm run test:scale`: the slow scale-out tests (Sentinel failover, nginx in front of several
// instances). They are named *.scale.test.ts; `npm test` leaves them out, and they skip themselves
// unless SCALE_TESTS=1 (set here), so running one by hand outside this config does nothing heavy.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{server,scripts,e2e}/**/*.scale.test.ts'],
    environment: 'node',
    env: { SCALE_TESTS: '1' },
    testTimeout: 120_000,
    hookTimeout: 60_000,
    // Each file runs several servers and Redis processes; one file at a time on two cores.
    maxWorkers: 1,
  },
});
