import { describe, expect, it } from 'vitest';
import type { StaffReport } from '../../../shared/schemas.js';
import { MemoryOutboxStorage, Outbox, type OutboxEntry } from './outbox.js';

const report = (queue: number, id = `report-${queue}`): StaffReport => ({
  reportId: id,
  queue,
  observedAt: new Date(1_000 * queue).toISOString(),
});

describe('outbox', () => {
  it('when reports are added, then head() gives the oldest and they leave in the order they came', async () => {
    const box = new Outbox(new MemoryOutboxStorage());
    await box.load();
    await box.add('s1', report(1), 1);
    await box.add('s1', report(2), 2);
    await box.add('s1', report(3), 3);
    const order: number[] = [];
    for (let e = await box.head(); e; e = await box.head()) {
      order.push(e.report.queue);
      await box.remove(e.seq);
    }
    expect(order).toEqual([1, 2, 3]);
    expect(box.entries).toEqual([]);
  });

  it('when a page is reloaded, then a new Outbox on the same storage finds the entries with their reportIds', async () => {
    const storage = new MemoryOutboxStorage();
    const first = new Outbox(storage);
    await first.load();
    await first.add('s1', report(5, 'aaaaaaaa-1'), 10);
    await first.add('s1', report(6, 'aaaaaaaa-2'), 11);

    const second = new Outbox(storage);
    const loaded = await second.load();
    expect(loaded.map((e) => e.report.reportId)).toEqual(['aaaaaaaa-1', 'aaaaaaaa-2']);
    expect(second.entries).toHaveLength(2);
  });

  it('when adds and removes are issued without awaiting, then they apply in call order', async () => {
    const box = new Outbox(new MemoryOutboxStorage());
    await box.load();
    const a = box.add('s1', report(1), 1);
    const head = box.head();
    const b = box.add('s1', report(2), 2);
    const removed = head.then((e) => box.remove(e!.seq));
    await Promise.all([a, b, removed]);
    expect(box.entries.map((e) => e.report.queue)).toEqual([2]);
  });

  it('when a send fails, then the entry keeps its place and records why', async () => {
    const box = new Outbox(new MemoryOutboxStorage());
    await box.load();
    const e = await box.add('s1', report(1), 1);
    await box.add('s1', report(2), 2);
    await box.noteFailure(e.seq, 'network');
    const head = await box.head();
    expect(head?.seq).toBe(e.seq);
    expect(head?.lastError).toBe('network');
  });

  it('when entries change, then listeners see the current list (the pending count on screen)', async () => {
    const box = new Outbox(new MemoryOutboxStorage());
    const counts: number[] = [];
    box.onChange((entries: readonly OutboxEntry[]) => counts.push(entries.length));
    await box.load();
    const e = await box.add('s1', report(1), 1);
    await box.remove(e.seq);
    expect(counts).toEqual([0, 0, 1, 0]);
  });

  it('when the storage hands out entries, then callers cannot change what is stored', async () => {
    const storage = new MemoryOutboxStorage();
    const e = await storage.append({ siteId: 's1', report: report(1), createdAt: 1, lastError: null });
    e.report.queue = 99;
    (await storage.all())[0]!.report.queue = 77;
    expect((await storage.all())[0]!.report.queue).toBe(1);
  });

  it('when an entry was removed, then seq numbers are never reused', async () => {
    const storage = new MemoryOutboxStorage();
    const a = await storage.append({ siteId: 's1', report: report(1), createdAt: 1, lastError: null });
    await storage.delete(a.seq);
    const b = await storage.append({ siteId: 's1', report: report(2), createdAt: 2, lastError: null });
    expect(b.seq).toBeGreaterThan(a.seq);
  });
});
