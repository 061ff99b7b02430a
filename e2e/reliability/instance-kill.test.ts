// Row "one of two instances killed with SIGKILL": its clients reconnect to the other through the
// balancer and resync to exactly its state. `npm run soak` runs it with more clients.
import { describe, expect, it } from 'vitest';
import { ms } from '../../testing/server/load.js';
import { hasRedisServer } from '../../testing/server/private-redis.js';
import { instanceKillScenario } from '../../testing/scenarios/instance-kill.js';

const hasRedis = hasRedisServer() || process.env.REQUIRE_REDIS === '1';

describe.skipIf(!hasRedis)('one of two instances killed', () => {
  it('when one instance is SIGKILLed under writes, then its clients reconnect to the other and every client ends with its exact state', async () => {
    const r = await instanceKillScenario({ clients: 100, reportsPerS: 40, afterKillMs: 2000 });
    console.log(
      `[figure] instance-kill: ${r.moved} of ${r.clients} clients moved to the survivor, reconnect p50 ${ms(r.reconnectP50Ms)}, p99 ${ms(r.reconnectP99Ms)}, max ${ms(r.reconnectMaxMs)}; state mismatches=${r.mismatches}; survivor errors=${r.survivorErrors}; resyncs=${r.resyncs}`,
    );
    expect(r.moved).toBeGreaterThan(10);
    expect(r.mismatches).toBe(0);
    expect(r.survivorErrors).toBe(0);
    expect(r.reconnectP99Ms).toBeLessThan(5000);
  }, 40_000);
});
