// Notices residents see: this instance's cached list of active ones, reloaded when any instance
// changes them, and re-sent when one expires, so every screen drops it without a new write.
import type { Notice } from '../../shared/schemas.js';
import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import type { NoticeRecord, Store } from '../store/types.js';

export const toNotice = (n: NoticeRecord): Notice => ({
  id: n.id,
  siteId: n.siteId,
  kind: n.kind,
  message: n.message,
  redirectSiteId: n.redirectSiteId,
  createdAt: new Date(n.createdAtMs).toISOString(),
  expiresAt: new Date(n.expiresAtMs).toISOString(),
});

export class NoticeBoard {
  private records: NoticeRecord[] = [];
  private notices: Notice[] = [];
  private loading: Promise<void> | null = null;
  private next: Promise<void> | null = null;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly logger: Logger,
    /** Called with the new list whenever it changed. */
    private readonly onChange: (notices: Notice[]) => void,
  ) {}

  list(): Notice[] {
    return this.notices;
  }

  /**
   * Re-reads the store. A read already in flight may have started before the caller's own change,
   * so a caller never shares it: it gets the next read, which callers arriving meanwhile share.
   */
  reload(): Promise<void> {
    if (!this.loading) {
      this.loading = this.store
        .listNotices(this.clock.now())
        .then(
          (recs) => this.set(recs),
          (err: unknown) => {
            this.logger.warn({ err }, 'notices reload failed');
          },
        )
        .finally(() => {
          this.loading = null;
        });
      return this.loading;
    }
    return (this.next ??= this.loading.then(() => {
      this.next = null;
      return this.reload();
    }));
  }

  /** Called every frame: drops expired notices locally (the store drops them on its next read). */
  tick(): void {
    const now = this.clock.now();
    if (this.records.some((r) => r.expiresAtMs <= now)) this.set(this.records.filter((r) => r.expiresAtMs > now));
  }

  private set(recs: NoticeRecord[]): void {
    const next = recs.map(toNotice);
    const changed = JSON.stringify(next) !== JSON.stringify(this.notices);
    this.records = recs;
    this.notices = next;
    if (changed) this.onChange(next);
  }
}
