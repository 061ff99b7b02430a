// Row "soak": sockets churning and 50 updates/s; heap after GC stays flat and no socket is left
// behind. The suite runs 15 s with 200 sockets; `npm run soak` runs 5 min or more with 1,000.
import { describe, expect, it } from 'vitest';
import { hasRedisServer } from '../../testing/server/private-redis.js';
import { soakScenario } from '../../testing/scenarios/soak.js';

const hasRedis = hasRedisServer() || process.env.REQUIRE_REDIS === '1';

describe.skipIf(!hasRedis)('soak, short', () => {
  it('when 200 sockets churn for 15 s under 50 updates/s, then heap after GC stays flat and no socket leaks', async () => {
    const r = await soakScenario({
      sockets: 200,
      updatesPerS: 50,
      durationMs: 15_000,
      warmupMs: 6_000,
      lifetimeMs: [500, 3000],
      probeMs: 1000,
    });
    console.log(
      `[figure] soak (suite, 15 s, 200 sockets, 50 updates/s): ${r.connects} connections, ${r.updates} updates (errors ${r.updateErrors}); heap after GC ${r.heapAtWarmupMb.toFixed(1)} MB after warm-up -> ${r.heapAtEndMb.toFixed(1)} MB at the end (growth ${r.heapGrowthMb.toFixed(1)} MB, slope ${r.heapSlopeMbPerMin.toFixed(2)} MB/min over ${r.samples} samples); leaked Socket.IO sockets=${r.leakedIoSockets}`,
    );
    expect(r.connects).toBeGreaterThan(200);
    expect(r.connectErrors).toBe(0);
    expect(r.updateErrors).toBe(0);
    expect(r.leakedIoSockets).toBe(0);
    // Flat: a leak of one socket's worth of state per connection would be tens of MB here.
    expect(r.heapGrowthMb).toBeLessThan(8);
  }, 60_000);
});
