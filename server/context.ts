// What route modules receive from the app factory: the app's own parts, never globals.
import type { IncomingMessage } from 'node:http';
import type { Site } from '../shared/schemas.js';
import type { Clock } from './clock.js';
import type { Config } from './config.js';
import type { RawHeaders } from './http/security-headers.js';
import type { LiveEngine } from './live/engine.js';
import type { NoticeBoard } from './live/notices.js';
import type { Writes } from './live/writes.js';
import type { Logger } from './logger.js';
import type { Metrics } from './metrics.js';
import type { RateLimiter } from './ratelimit.js';
import type { StaffTokenCache } from './auth/token-cache.js';
import type { Store } from './store/types.js';
import type { HourArchive } from './archive/types.js';

export interface AppContext {
  config: Config;
  store: Store;
  /** Finished hours rolled up, kept HISTORY_DAYS days (archive/). */
  archive: HourArchive;
  clock: Clock;
  logger: Logger;
  metrics: Metrics;
  engine: LiveEngine;
  notices: NoticeBoard;
  writes: Writes;
  sites: readonly Site[];
  /**
   * Write rate limits. Per IP is looser: many tablets share one carrier-grade NAT address.
   * authFailures: failed sign-ins per IP (see auth/failures.ts).
   */
  limits: { ip: RateLimiter; token: RateLimiter; authFailures: RateLimiter };
  /** Identifies this process on change messages. */
  instanceId: string;
  /** The client's address with TRUST_PROXY applied, the same as Express's req.ip. */
  clientIp(req: IncomingMessage): string;
  /** The security headers of every answer (http/security-headers.ts). */
  securityHeaders: RawHeaders;
  /** Staff token records of the report path (auth/token-cache.ts). */
  staffTokens: StaffTokenCache;
  /** A token was revoked (here or on another instance): forget it, cut off its open sockets here. */
  onRevoked(tokenId: string, siteId: string): void;
}
