// The order both stores list their records in, so the embedded store and Redis answer alike
// (contract.test.ts) and nobody re-sorts.
import type { NoticeRecord, StaffTokenRecord } from './types.js';

/** Oldest token first, ties by id. */
export const byTokenCreation = (a: StaffTokenRecord, b: StaffTokenRecord): number =>
  a.createdAtMs - b.createdAtMs || (a.tokenId < b.tokenId ? -1 : a.tokenId > b.tokenId ? 1 : 0);

/** Oldest notice first, ties by id. */
export const byNoticeAge = (a: NoticeRecord, b: NoticeRecord): number =>
  a.createdAtMs - b.createdAtMs || (a.id < b.id ? -1 : 1);
