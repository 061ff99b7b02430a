// Loaded into a shortline child process for soak tests (`--expose-gc --import tsx --import
// ./testing/server/heap-probe.ts`): every HEAP_PROBE_MS it collects garbage and prints one JSON
// line with the heap in use, so a leak shows as a line going up; on SIGUSR2 it also counts the
// Socket.IO and TCP sockets still alive in the heap (v8.queryObjects walks the whole heap and
// blocks the process for a second or more: only on demand, at the end). Nothing in the app knows
// about it.
import { Socket as NetSocket } from 'node:net';
import v8 from 'node:v8';
import { Socket as IoSocket } from 'socket.io';

const every = Number(process.env.HEAP_PROBE_MS ?? 1000);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) console.error('heap-probe: run node with --expose-gc, or heap figures include garbage');

export interface HeapSample {
  probe: 'heap';
  atMs: number;
  heapUsed: number;
  /** Only in answers to SIGUSR2. */
  ioSockets?: number;
  netSockets?: number;
}

function sample(countSockets: boolean): void {
  gc?.();
  const s: HeapSample = { probe: 'heap', atMs: Date.now(), heapUsed: process.memoryUsage().heapUsed };
  if (countSockets) {
    s.ioSockets = v8.queryObjects(IoSocket, { format: 'count' });
    s.netSockets = v8.queryObjects(NetSocket, { format: 'count' });
  }
  console.log(JSON.stringify(s));
}

setInterval(() => sample(false), every).unref();
process.on('SIGUSR2', () => sample(true));
