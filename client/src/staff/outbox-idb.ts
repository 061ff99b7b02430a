// The tablet's outbox storage: IndexedDB, which survives reloads, restarts and a dead battery.
// Keys are auto-incremented and never reused, so key order is the order reports were made.
import type { NewEntry, OutboxEntry, OutboxStorage } from './outbox.js';

const DB_NAME = 'shortline-staff';
const STORE = 'outbox';
const VERSION = 1;

function done<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed'));
  });
}

/** Resolves when the transaction committed: only then is an entry really on disk. */
function committed(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction failed'));
    tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
  });
}

export function openOutboxDb(factory: IDBFactory = indexedDB): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = factory.open(DB_NAME, VERSION);
    req.onupgradeneeded = () => {
      if (!req.result.objectStoreNames.contains(STORE))
        req.result.createObjectStore(STORE, { keyPath: 'seq', autoIncrement: true });
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB open failed'));
    // Another tab holds an older version open; it closes itself on versionchange below.
    req.onblocked = () => undefined;
  });
}

export class IdbOutboxStorage implements OutboxStorage {
  constructor(private readonly db: IDBDatabase) {
    // A newer page version wants to upgrade: let it, this page reopens on its next load.
    db.onversionchange = () => db.close();
  }

  static async open(): Promise<IdbOutboxStorage> {
    return new IdbOutboxStorage(await openOutboxDb());
  }

  async append(entry: NewEntry): Promise<OutboxEntry> {
    const tx = this.db.transaction(STORE, 'readwrite', { durability: 'strict' });
    const ok = committed(tx);
    const key = await done(tx.objectStore(STORE).add(entry));
    await ok;
    return { ...entry, seq: Number(key) };
  }

  async all(): Promise<OutboxEntry[]> {
    const tx = this.db.transaction(STORE, 'readonly');
    return (await done(tx.objectStore(STORE).getAll())) as OutboxEntry[];
  }

  async put(entry: OutboxEntry): Promise<void> {
    const tx = this.db.transaction(STORE, 'readwrite');
    const ok = committed(tx);
    const store = tx.objectStore(STORE);
    // Put only inside the request callback: the transaction is guaranteed active there.
    const probe = store.count(entry.seq);
    probe.onsuccess = () => {
      if (probe.result > 0) store.put(entry);
    };
    await ok;
  }

  async delete(seq: number): Promise<void> {
    const tx = this.db.transaction(STORE, 'readwrite', { durability: 'strict' });
    const ok = committed(tx);
    tx.objectStore(STORE).delete(seq);
    await ok;
  }
}
