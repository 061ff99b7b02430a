// One site's true queue: first come, first served over the lanes that are open, each lane serving
// one person at a time at the site's rate. Exact in continuous time (a step only decides how far
// to run), so the wait recorded for each person is the wait they really had in the model.
import type { Rng } from './random.js';

export interface Person {
  arrivalMs: number;
  /**
   * A probe that takes no service time: it starts when a real arrival at that moment would, so it
   * measures the wait a resident would have had, without changing anyone else's.
   */
  phantom: boolean;
  /** Where the measurement of this person is kept (see measure.ts); -1 when not measured. */
  record: number;
}

export type StartListener = (p: Person, startMs: number) => void;

/** Service time spread: a swab takes about the same time each time, give or take 40%. */
const SERVICE_SPREAD = 0.4;
/** Served people are dropped from the front of the array in chunks, not one shift() at a time. */
const COMPACT_AT = 512;

export class SiteQueue {
  private items: Person[] = [];
  private head = 0;
  private readonly laneFreeAt: number[];
  private lanes = 0;
  private paused = false;
  /** Real people waiting (not in service, not probes). */
  waiting = 0;
  served = 0;

  constructor(
    readonly lanesMax: number,
    /** People per minute per lane. */
    readonly ratePerMin: number,
    private readonly rng: Rng,
    private readonly onStart: StartListener,
  ) {
    this.laneFreeAt = new Array<number>(lanesMax).fill(0);
  }

  get lanesOpen(): number {
    return this.lanes;
  }

  get isPaused(): boolean {
    return this.paused;
  }

  /** Everyone in the queue, probes included; a closed site is done once this is 0. */
  get length(): number {
    return this.items.length - this.head;
  }

  /** Arrivals must come in time order (the step sorts them); a probe costs nobody anything. */
  push(p: Person): void {
    this.items.push(p);
    if (!p.phantom) this.waiting += 1;
  }

  /** Opening a lane makes it free from now on; a closed lane finishes the person it is serving. */
  setLanes(n: number, nowMs: number): void {
    const next = Math.max(0, Math.min(this.lanesMax, n));
    for (let i = this.lanes; i < next; i++) this.laneFreeAt[i] = Math.max(this.laneFreeAt[i]!, nowMs);
    this.lanes = next;
  }

  /** A pause (break, no swabs) stops new services; those in service finish. */
  setPaused(paused: boolean, nowMs: number): void {
    if (this.paused && !paused) {
      for (let i = 0; i < this.lanes; i++) this.laneFreeAt[i] = Math.max(this.laneFreeAt[i]!, nowMs);
    }
    this.paused = paused;
  }

  /** Lanes serving someone at `nowMs`; the carrier's phones count them too. */
  inService(nowMs: number): number {
    let n = 0;
    for (const t of this.laneFreeAt) if (t > nowMs) n += 1;
    return n;
  }

  private serviceMs(): number {
    return (60_000 / this.ratePerMin) * (1 - SERVICE_SPREAD + 2 * SERVICE_SPREAD * this.rng());
  }

  /** Serves in order everyone who can start by `toMs`. */
  advance(toMs: number): void {
    if (this.paused || this.lanes === 0) return;
    while (this.head < this.items.length) {
      let lane = 0;
      for (let i = 1; i < this.lanes; i++) if (this.laneFreeAt[i]! < this.laneFreeAt[lane]!) lane = i;
      const p = this.items[this.head]!;
      const start = Math.max(this.laneFreeAt[lane]!, p.arrivalMs);
      if (start > toMs) break;
      this.head += 1;
      if (!p.phantom) {
        this.laneFreeAt[lane] = start + this.serviceMs();
        this.waiting -= 1;
        this.served += 1;
      }
      this.onStart(p, start);
    }
    if (this.head >= COMPACT_AT && this.head * 2 >= this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }
}
