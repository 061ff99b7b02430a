// The notice board's reload against the embedded store: a poster sees its own change.
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock.js';
import { silentLogger } from '../logger.js';
import { createMemoryStore } from '../store/memory.js';
import { NoticeBoard } from './notices.js';

describe('the notice board', () => {
  it("when a notice is posted while a reload is in flight, then the poster's own reload lists it", async () => {
    const clock = new ManualClock();
    const store = createMemoryStore({ now: () => clock.now(), logger: silentLogger() });
    const board = new NoticeBoard(store, clock, silentLogger(), () => {});
    const inFlight = board.reload();
    await store.putNotice(
      {
        id: 'nt_1',
        siteId: null,
        kind: 'info',
        message: 'closed at noon',
        redirectSiteId: null,
        createdAtMs: clock.now(),
        expiresAtMs: clock.now() + 60_000,
      },
      'me',
    );
    await board.reload();
    expect(board.list().map((n) => n.id)).toEqual(['nt_1']);
    await inFlight;
    await store.close();
  });

  it('when many reloads are asked at once, then they share reads: one in flight and at most one after it', async () => {
    const clock = new ManualClock();
    const store = createMemoryStore({ now: () => clock.now(), logger: silentLogger() });
    let reads = 0;
    const counting = new Proxy(store, {
      get: (target, key) =>
        key === 'listNotices' ? (now: number) => (reads++, target.listNotices(now)) : Reflect.get(target, key),
    });
    const board = new NoticeBoard(counting, clock, silentLogger(), () => {});
    await Promise.all(Array.from({ length: 10 }, () => board.reload()));
    expect(reads).toBe(2);
    await store.close();
  });
});
