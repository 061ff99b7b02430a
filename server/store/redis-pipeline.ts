// Many commands to Redis at once, for the Redis store (redis.ts): pipelines in chunks, a few on
// the wire at a time, with the replies in the order of the items.
import { Cluster, type ChainableCommander, type Redis } from 'ioredis';
import { nextTurn } from '../turns.js';

/**
 * Commands per pipeline: amortises round trips, yet building or answering one is a short task.
 * Measured on a 50,000-reading batch (scripts/bench: carrier): 2,000 a pipeline held the loop
 * ~100 ms; 500 gave an event-loop p99 of 22-23 ms on a slow, shared machine, 250 gives 13-15 ms,
 * and the batch is no slower (1.3-1.5x the raw pipeline either way).
 */
const CHUNK = 250;
/**
 * Chunks on the wire at once. With one, Node built and decoded chunks while Redis sat idle and
 * vice versa (a 50,000-reading batch took ~2x the bare pipeline); with two, Node builds chunk
 * N+1 while Redis runs chunk N. One connection keeps them in order.
 */
const IN_FLIGHT = 2;

export async function execChunk(pipeline: ChainableCommander): Promise<unknown[]> {
  const replies = await pipeline.exec();
  if (!replies) throw new Error('pipeline discarded');
  return replies.map(([err, reply]) => {
    if (err) throw err;
    return reply;
  });
}

/**
 * One command per item, CHUNK items a round trip, IN_FLIGHT round trips at once. ioredis refuses
 * a cluster pipeline whose keys live on several nodes, so on a cluster a chunk is CHUNK commands
 * in flight at once: as fast as a pipeline, and faster than its auto-pipelining
 * (scripts/scale/carrier-strategies.ts). Replies come back in the order of `items`.
 */
export async function perItem<T>(
  client: Redis | Cluster,
  items: readonly T[],
  queue: (target: ChainableCommander, item: T) => unknown,
): Promise<unknown[]> {
  const replies = new Array<unknown>(items.length);
  const send = (from: number): Promise<void> => {
    const chunk = items.slice(from, from + CHUNK);
    let sent: Promise<unknown[]>;
    if (client instanceof Cluster) {
      const target = client as unknown as ChainableCommander;
      sent = Promise.all(chunk.map((item) => queue(target, item)));
    } else {
      const pipeline = client.pipeline();
      for (const item of chunk) queue(pipeline, item);
      sent = execChunk(pipeline);
    }
    return sent.then((r) => {
      for (let j = 0; j < r.length; j++) replies[from + j] = r[j];
    });
  };
  const inFlight: Array<Promise<void>> = [];
  for (let i = 0; i < items.length; i += CHUNK) {
    if (inFlight.length >= IN_FLIGHT) {
      await inFlight.shift();
      // One socket read can carry the replies of both chunks; without a turn here their
      // handling and the next two chunks' building would be one long task.
      await nextTurn();
    }
    const p = send(i);
    // A later chunk may fail while an earlier one is awaited: its error is rethrown when its
    // turn comes (or dropped once an earlier failure ended the batch), never unhandled.
    p.catch(() => undefined);
    inFlight.push(p);
  }
  for (const p of inFlight) await p;
  return replies;
}
