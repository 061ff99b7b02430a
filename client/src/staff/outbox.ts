// The outbox: every report is written here before anything is sent, and leaves only when the
// server answered it for good (applied, outdated or refused). Entries keep their reportId, so a
// replay after a crash, a reload or a lost answer is recognised by the server and applied once.
//
// Storage is a small interface: IndexedDB on the tablet (outbox-idb.ts), an in-memory one where
// there is no IndexedDB (and in Node tests). Both keep entries in the order they were added.
import type { StaffReport } from '../../../shared/schemas.js';

export interface OutboxEntry {
  /** Increasing with every append, never reused: the replay order. */
  seq: number;
  siteId: string;
  report: StaffReport;
  /** Client clock, ms. */
  createdAt: number;
  /** Last failed attempt's reason, for the screen; null before the first failure. */
  lastError: string | null;
}

export type NewEntry = Omit<OutboxEntry, 'seq'>;

export interface OutboxStorage {
  /** Stores the entry with the next seq and returns it. */
  append(entry: NewEntry): Promise<OutboxEntry>;
  /** All entries, oldest first. */
  all(): Promise<OutboxEntry[]>;
  /** Replaces the entry with the same seq; no effect if it is gone. */
  put(entry: OutboxEntry): Promise<void>;
  delete(seq: number): Promise<void>;
}

/** A real, simple storage that lives as long as the page: the fallback and the Node tests' storage. */
export class MemoryOutboxStorage implements OutboxStorage {
  private readonly entries = new Map<number, OutboxEntry>();
  private nextSeq = 1;

  async append(entry: NewEntry): Promise<OutboxEntry> {
    const stored = structuredClone({ ...entry, seq: this.nextSeq++ });
    this.entries.set(stored.seq, stored);
    return structuredClone(stored);
  }

  async all(): Promise<OutboxEntry[]> {
    return [...this.entries.values()].sort((a, b) => a.seq - b.seq).map((e) => structuredClone(e));
  }

  async put(entry: OutboxEntry): Promise<void> {
    if (this.entries.has(entry.seq)) this.entries.set(entry.seq, structuredClone(entry));
  }

  async delete(seq: number): Promise<void> {
    this.entries.delete(seq);
  }
}

export class Outbox {
  private chain: Promise<unknown> = Promise.resolve();
  private readonly listeners = new Set<(entries: readonly OutboxEntry[]) => void>();
  private cached: OutboxEntry[] = [];

  constructor(private readonly storage: OutboxStorage) {}

  /** Reads what a previous page left behind; call once before anything else. */
  load(): Promise<OutboxEntry[]> {
    return this.serial(async () => this.refresh());
  }

  /** Entries as last read or written, oldest first (for the screen: pending count). */
  get entries(): readonly OutboxEntry[] {
    return this.cached;
  }

  add(siteId: string, report: StaffReport, createdAt: number): Promise<OutboxEntry> {
    return this.serial(async () => {
      const entry = await this.storage.append({ siteId, report, createdAt, lastError: null });
      await this.refresh();
      return entry;
    });
  }

  /** The oldest entry: the only one that may be sent, so reports reach the server in order. */
  head(): Promise<OutboxEntry | undefined> {
    return this.serial(async () => (await this.storage.all())[0]);
  }

  remove(seq: number): Promise<void> {
    return this.serial(async () => {
      await this.storage.delete(seq);
      await this.refresh();
    });
  }

  noteFailure(seq: number, reason: string): Promise<void> {
    return this.serial(async () => {
      const entry = (await this.storage.all()).find((e) => e.seq === seq);
      if (entry) await this.storage.put({ ...entry, lastError: reason });
      await this.refresh();
    });
  }

  onChange(listener: (entries: readonly OutboxEntry[]) => void): () => void {
    this.listeners.add(listener);
    listener(this.cached);
    return () => this.listeners.delete(listener);
  }

  /** One operation at a time, in call order: an add never interleaves with the sender's remove. */
  private serial<R>(op: () => Promise<R>): Promise<R> {
    const next = this.chain.then(op, op);
    this.chain = next.catch(() => undefined);
    return next;
  }

  private async refresh(): Promise<OutboxEntry[]> {
    this.cached = await this.storage.all();
    for (const l of this.listeners) l(this.cached);
    return this.cached;
  }
}
