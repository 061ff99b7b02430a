// What every benchmark server answers, ours and the references alike, so both sides of a ratio
// are measured the same way: CPU from process.cpuUsage (µs, unlike /proc's 10 ms ticks), memory
// after two forced collections, event-loop delay sampled every millisecond.
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { LoopDelay } from '../lib/stats.js';

export interface ServerStats {
  cpuUs: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
  rss: number;
  sockets: number;
}

export function commonHandlers(sockets: () => number) {
  const loop = new LoopDelay();
  let profiler: Session | undefined;
  const stats = (): ServerStats => {
    const m = process.memoryUsage();
    const c = process.cpuUsage();
    return {
      cpuUs: c.user + c.system,
      heapUsed: m.heapUsed,
      external: m.external,
      arrayBuffers: m.arrayBuffers,
      rss: m.rss,
      sockets: sockets(),
    };
  };
  return {
    stats,
    gc: () => {
      const gc = (globalThis as { gc?: () => void }).gc;
      if (!gc) throw new Error('start the server with --expose-gc');
      gc();
      gc();
      return stats();
    },
    eldReset: () => loop.reset(),
    eld: () => loop.read(),
    // A CPU profile of part of a run (open the .cpuprofile in Chrome DevTools or speedscope).
    profStart: async () => {
      profiler ??= new Session();
      profiler.connect();
      await profiler.post('Profiler.enable');
      await profiler.post('Profiler.start');
    },
    profStop: async (file: string) => {
      if (!profiler) throw new Error('profStart first');
      const { profile } = await profiler.post('Profiler.stop');
      writeFileSync(file, JSON.stringify(profile));
      profiler.disconnect();
      return file;
    },
  };
}

/** Runs `fn` and measures the server's CPU meanwhile (µs). */
export async function withCpu<T>(
  srv: { request<R>(cmd: string): Promise<R> },
  fn: () => Promise<T>,
): Promise<{ value: T; cpuUs: number }> {
  const s0 = await srv.request<ServerStats>('stats');
  const value = await fn();
  const s1 = await srv.request<ServerStats>('stats');
  return { value, cpuUs: s1.cpuUs - s0.cpuUs };
}
