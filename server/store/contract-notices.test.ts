// The notices part of the store contract, against both stores.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { implementations, T0, type Harness } from '../../testing/server/store-harness.js';
import type { ChangeMessage, NoticeRecord } from './types.js';
import { waitFor } from '../../testing/wait.js';

const notice = (id: string, over: Partial<NoticeRecord> = {}): NoticeRecord => ({
  id,
  siteId: 'jm-1',
  kind: 'closed',
  message: '今日已停止采样 <b>x</b>',
  redirectSiteId: null,
  createdAtMs: T0,
  expiresAtMs: T0 + 3600_000,
  ...over,
});

for (const impl of implementations) {
  describe.skipIf(!impl.enabled)(`notices in the ${impl.kind} store`, () => {
    let h: Harness;
    beforeEach(async () => {
      h = await impl.open();
    });
    afterEach(() => h.cleanup());

    it('when notices are put, then they are listed oldest first and exactly as stored', async () => {
      await h.store.putNotice(notice('n2', { createdAtMs: T0 + 1 }), 'a');
      await h.store.putNotice(notice('n1', { siteId: null, kind: 'redirect', redirectSiteId: 'jm-2' }), 'a');
      const peer = await h.peer();
      expect(await peer.listNotices(T0)).toEqual([
        notice('n1', { siteId: null, kind: 'redirect', redirectSiteId: 'jm-2' }),
        notice('n2', { createdAtMs: T0 + 1 }),
      ]);
    });

    it('when a notice has expired, then it is not listed and is dropped', async () => {
      await h.store.putNotice(notice('old', { expiresAtMs: T0 + 1000 }), 'a');
      await h.store.putNotice(notice('live'), 'a');
      expect((await h.store.listNotices(T0 + 1000)).map((n) => n.id)).toEqual(['live']);
      expect((await h.store.listNotices(T0)).map((n) => n.id)).toEqual(['live']);
    });

    it('when a notice is deleted, then it is gone and deleting again says false', async () => {
      await h.store.putNotice(notice('n'), 'a');
      expect(await h.store.deleteNotice('n', 'a')).toBe(true);
      expect(await h.store.deleteNotice('n', 'a')).toBe(false);
      expect(await h.store.listNotices(T0)).toEqual([]);
    });

    it('when notices change, then every instance hears a notices message with the origin', async () => {
      const peer = await h.peer();
      const heard: ChangeMessage[] = [];
      const off = peer.subscribe((m) => heard.push(m));
      await h.store.putNotice(notice('n'), 'inst-a');
      await h.store.deleteNotice('n', 'inst-b');
      await waitFor(() =>
        expect(heard.filter((m) => m.kind === 'notices')).toEqual([
          { kind: 'notices', origin: 'inst-a' },
          { kind: 'notices', origin: 'inst-b' },
        ]),
      );
      off();
    });
  });
}
