// Row "property-based fuzzing", realtime: hostile Socket.IO packets straight onto the wire (any
// event name, reserved ones included, garbage arguments, acks or not, broken packet encodings,
// binary placeholders without attachments, oversized messages). The server never falls over,
// state never changes, and a healthy client beside them keeps being served.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Snapshot } from '../../shared/schemas.js';
import { hostileValue } from '../../testing/server/fuzz.js';
import { startFuzzApp, type FuzzApp } from '../../testing/server/fuzz-app.js';
import { recorder, type Client } from '../../testing/server/socket.js';
import { waitFor } from '../../testing/wait.js';

let f: FuzzApp;
let before: string;
const pool: Client[] = [];
let bystander: ReturnType<typeof recorder>;

/** The engine.io socket under a Socket.IO client, to write raw Socket.IO packets. */
const wire = (s: Client) => (s.io as unknown as { engine: { send(data: string): void } }).engine;

async function connected(): Promise<Client> {
  for (let i = pool.length - 1; i >= 0; i--) if (!pool[i]!.connected && !pool[i]!.active) pool.splice(i, 1);
  const live = pool.find((s) => s.connected);
  if (live && pool.length >= 4) return live;
  const r = recorder(f.t.url);
  pool.push(r.socket);
  await waitFor(() => expect(r.socket.connected).toBe(true));
  return r.socket;
}

beforeAll(async () => {
  f = await startFuzzApp();
  before = await f.liveBody();
  bystander = recorder(f.t.url);
  await waitFor(() => expect(bystander.socket.connected).toBe(true));
});
afterAll(async () => {
  bystander.socket.close();
  for (const s of pool) s.close();
  await f.close();
});

const eventName = fc.oneof(
  fc.constantFrom(
    'live:resync',
    'live:snapshot',
    'live:delta',
    'staff:revoked',
    'notices:updated',
    'connect',
    'disconnect',
    'disconnecting',
    'error',
    'newListener',
    '__proto__',
    'constructor',
    'toString',
    'hasOwnProperty',
    '',
  ),
  fc.string({ maxLength: 20 }),
);
/** A Socket.IO packet as text: an event with arguments and maybe an ack id, or broken encodings. */
const packet = fc.oneof(
  {
    weight: 6,
    arbitrary: fc
      .tuple(
        eventName,
        fc.array(hostileValue, { maxLength: 3 }),
        fc.option(fc.nat({ max: 2 ** 31 }), { nil: undefined }),
      )
      .map(([name, args, ack]) => `2${ack ?? ''}${JSON.stringify([name, ...args])}`),
  },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      '2',
      '2[',
      '2["live:resync"',
      '2{}',
      '2"live:resync"',
      '2[]',
      '2[null]',
      '2[1,2]',
      '21',
      '2-1["live:resync"]',
      '299999999999999999999["live:resync"]',
      '3',
      '31[1]',
      '4',
      '4"x"',
      '1',
      '0',
      '0/admin,',
      '0/nope,{"token":1}',
      '9',
      '51-["live:resync",{"_placeholder":true,"num":0}]',
      '5999-["x",{"_placeholder":true,"num":99}]',
      '6',
      '2/,["live:resync"]',
      `2["${'x'.repeat(100)}"]`,
    ),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 60 }) },
  { weight: 1, arbitrary: fc.constantFrom(`2["live:resync","${'x'.repeat(20_000)}"]`, `2["${'y'.repeat(17_000)}"]`) },
);

describe('fuzzing the realtime events', () => {
  it('when clients send hostile Socket.IO packets, then the server keeps serving, state is unchanged, and a bystander is unaffected', async () => {
    const closedByServer = new Set<Client>();
    const watched = new WeakSet<Client>();
    const runs = await f.run(
      'Socket.IO packets',
      [packet] as const,
      async (p) => {
        const s = await connected();
        if (!watched.has(s)) {
          watched.add(s);
          // Any end of the connection this side did not ask for (the pool closes sockets only in afterAll).
          s.on('disconnect', (reason) => {
            if (reason !== 'io client disconnect') closedByServer.add(s);
          });
        }
        wire(s).send(p);
      },
      { batch: 10 },
    );
    // No connection is left half-broken: each either answers a resync or is closed by the server
    // (a packet announcing binary attachments that never come makes the next text packet fatal).
    let hung = 0;
    for (const s of pool.filter((x) => x.connected)) {
      const snap = (await s
        .timeout(3000)
        .emitWithAck('live:resync')
        .catch(() => null)) as Snapshot | null;
      if (snap) expect(snap.sites.length).toBe(3);
      else await waitFor(() => expect(s.connected).toBe(false), { timeout: 3000 }).catch(() => hung++);
    }
    expect(hung).toBe(0);
    const snap: Snapshot = await bystander.socket.timeout(15_000).emitWithAck('live:resync');
    expect(JSON.stringify(snap.sites)).toBe(JSON.stringify((JSON.parse(before) as Snapshot).sites));
    expect(bystander.got.disconnects).toBe(0);
    expect(await f.liveBody()).toBe(before);
    expect((await f.http.send({ path: '/healthz' })).status).toBe(200);
    console.log(
      `[figure] fuzz Socket.IO packets: ${runs} runs, server errors=0, state changes=0, connections the server closed for bad packets=${closedByServer.size}`,
    );
  });

  it('when a client acknowledges live:resync with garbage arguments, then it gets a snapshot or nothing, never an error', async () => {
    const s = await connected();
    const runs = await f.run(
      'live:resync with arguments',
      [fc.array(hostileValue, { maxLength: 3 })] as const,
      async (args) => {
        const answer = await (
          s.timeout(300) as unknown as { emitWithAck(ev: string, ...a: unknown[]): Promise<unknown> }
        )
          .emitWithAck('live:resync', ...args)
          .catch(() => 'no answer');
        // With arguments the ack is not the first one, so the server ignores the request.
        if (answer !== 'no answer') expect(args).toEqual([]);
      },
      { runs: 100, batch: 10 },
    );
    expect(s.connected).toBe(true);
    console.log(`[figure] fuzz live:resync arguments: ${runs} runs, errors=0`);
  });
});
