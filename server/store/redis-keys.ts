// Every Redis key and channel shortline uses, built in one place from a prefix, so that several
// deployments (or test runs) can share one Redis without seeing each other's data.
//
// The `{...}` parts are Redis Cluster hash tags: only the text between the braces picks the slot.
// Every key one script touches carries the same tag, so the scripts also run on a cluster.

export const DEFAULT_PREFIX = 'shortline:';

export interface RedisKeys {
  readonly prefix: string;
  /** Hash: staff, carrier, calibration (JSON) plus staffAt, carrierAt (epoch ms, for the scripts). */
  site(siteId: string): string;
  /** String "<applied 0|1>:<bodyHash>", expiring after REPORT_ID_TTL_MS. */
  reportId(siteId: string, reportId: string): string;
  /** Sorted set of history points (JSON members) scored by their epoch ms. */
  history(siteId: string): string;
  /** Hash: token hash -> token record (JSON). */
  tokensByHash(): string;
  /** Hash: token id -> token hash, so a token can be revoked by its id. */
  tokensById(): string;
  /** String marker of a carrier batch already applied, expiring after BATCH_ID_TTL_MS. */
  batch(batchId: string): string;
  /** Hash: notice id -> notice record (JSON); few, so one key. */
  notices(): string;
  /** String: the owner of a lease on `name` (lock.ts), expiring unless renewed. */
  lock(name: string): string;
  /** Pub/sub channel of change messages (not a key; prefixed all the same). */
  changes(): string;
}

export function redisKeys(prefix: string = DEFAULT_PREFIX): RedisKeys {
  const p = prefix;
  return {
    prefix: p,
    site: (siteId) => `${p}site:{${siteId}}`,
    reportId: (siteId, reportId) => `${p}rid:{${siteId}}:${reportId}`,
    history: (siteId) => `${p}hist:{${siteId}}`,
    tokensByHash: () => `${p}{tokens}:byhash`,
    tokensById: () => `${p}{tokens}:byid`,
    batch: (batchId) => `${p}batch:${batchId}`,
    notices: () => `${p}{notices}`,
    lock: (name) => `${p}lock:${name}`,
    changes: () => `${p}changes`,
  };
}
