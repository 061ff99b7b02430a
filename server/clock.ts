// Time is injected so freshness, ageing and history are testable without sleeping.
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock that only moves when told; for tests and the time-compressed simulator. */
export class ManualClock implements Clock {
  constructor(private t: number = Date.parse('2026-11-22T02:00:00Z')) {}
  now(): number {
    return this.t;
  }
  set(ms: number): void {
    this.t = ms;
  }
  advance(ms: number): void {
    this.t += ms;
  }
}
