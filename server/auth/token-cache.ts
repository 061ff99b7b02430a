// Staff token records kept in process for the report path, so a report costs one Redis round trip
// (the report script) instead of two (HGET of the token, then the script): the HGET and its
// promise were a sixth of an instance's CPU per report (scripts/bench: staff).
//
// Revocation still takes effect at once: the revoking instance forgets the token before its admin
// answer leaves (ctx.onRevoked, app.ts); every other instance forgets it when the store's 'revoked'
// message arrives, which Redis publishes inside the revoking script, before the admin gets a 204.
// A subscription break loses messages, so 'resync' (sent once it is re-established) empties the
// cache, and no entry is trusted for longer than the TTL whatever happens to the messages.
import type { Clock } from '../clock.js';
import type { StaffTokenRecord, Store } from '../store/types.js';

/** The safety net, should a 'revoked' message ever be lost without a 'resync' after it. */
export const STAFF_TOKEN_CACHE_TTL_MS = 10_000;
/** Far above the tablets of a province per instance; reaching it empties the cache. */
const MAX_ENTRIES = 50_000;

interface Entry {
  rec: StaffTokenRecord;
  until: number;
}

export class StaffTokenCache {
  private readonly byHash = new Map<string, Entry>();
  /**
   * Bumped by every invalidation. A lookup that started before one may have read a token since
   * revoked; its answer is used for that request only (as without a cache), never kept.
   */
  private epoch = 0;

  constructor(
    private readonly store: Pick<Store, 'findStaffToken'>,
    private readonly clock: Clock,
    private readonly ttlMs = STAFF_TOKEN_CACHE_TTL_MS,
  ) {}

  /** The record for a token hash when it is cached and fresh; undefined means: ask `load`. */
  cached(hash: string): StaffTokenRecord | undefined {
    const e = this.byHash.get(hash);
    if (e === undefined) return undefined;
    if (e.until > this.clock.now()) return e.rec;
    this.byHash.delete(hash);
    return undefined;
  }

  /** Reads the store; a found record is cached unless an invalidation happened meanwhile. */
  async load(hash: string): Promise<StaffTokenRecord | null> {
    const epoch = this.epoch;
    const rec = await this.store.findStaffToken(hash);
    if (rec && epoch === this.epoch) {
      if (this.byHash.size >= MAX_ENTRIES) this.byHash.clear();
      this.byHash.set(hash, { rec, until: this.clock.now() + this.ttlMs });
    }
    return rec;
  }

  revoked(tokenId: string): void {
    this.epoch += 1;
    for (const [hash, e] of this.byHash) if (e.rec.tokenId === tokenId) this.byHash.delete(hash);
  }

  clear(): void {
    this.epoch += 1;
    this.byHash.clear();
  }

  get size(): number {
    return this.byHash.size;
  }
}
