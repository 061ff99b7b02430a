// The live loop of one instance: what other instances publish is merged into this engine, and
// every `frameMs` whatever changed goes out as one frame. createApp starts it once the routes and
// sockets exist and stops it on close.
import type { StaffTokenCache } from '../auth/token-cache.js';
import type { Logger } from '../logger.js';
import type { Store } from '../store/types.js';
import type { LiveEngine } from './engine.js';
import type { NoticeBoard } from './notices.js';
import type { Realtime } from './realtime.js';

/** After a failed reload (the store just came back and failed again), try again this much later. */
const RELOAD_RETRY_MS = 2000;

export interface LiveLoopDeps {
  store: Store;
  engine: LiveEngine;
  realtime: Realtime;
  notices: NoticeBoard;
  staffTokens: StaffTokenCache;
  logger: Logger;
  siteIds: readonly string[];
  /** This instance's messages are skipped: it applied its own changes already. */
  instanceId: string;
  frameMs: number;
  /** A revocation published by another instance (cuts that token's sockets here). */
  onRevoked(tokenId: string, siteId: string): void;
}

export interface LiveLoop {
  /** Stops the frame timer and the subscription; the frame pending at that moment is still sent. */
  stop(): void;
}

export function startLiveLoop(d: LiveLoopDeps): LiveLoop {
  let stopped = false;
  const reload = () => {
    if (stopped) return;
    d.store.loadSites([...d.siteIds]).then(
      (raw) => d.engine.load(raw),
      (err: unknown) => {
        d.logger.warn({ err }, 'reload after store reconnect failed; retrying');
        setTimeout(reload, RELOAD_RETRY_MS).unref();
      },
    );
  };
  const unsubscribe = d.store.subscribe(
    (msg) => {
      if (msg.kind === 'resync') {
        // The subscription was down: whatever was published meanwhile never arrives, so every
        // cache that pub/sub keeps current is rebuilt from the store.
        d.staffTokens.clear();
        void d.notices.reload();
        d.realtime.recheckStaff().catch((err: unknown) => d.logger.warn({ err }, 'staff socket re-check failed'));
        return reload();
      }
      if (msg.kind === 'revoked') return d.onRevoked(msg.tokenId, msg.siteId);
      if (msg.kind === 'notices') return void d.notices.reload();
      const c = d.engine.ctx();
      for (const s of msg.sites) d.engine.merge(s.siteId, s.raw, c);
    },
    { ignoreOrigin: d.instanceId },
  );

  const flush = () => {
    d.notices.tick();
    const frame = d.engine.frame();
    if (frame) d.realtime.broadcast(frame);
  };
  const timer = setInterval(flush, d.frameMs);
  return {
    stop: () => {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      // Whatever changed since the last frame still reaches the clients before they are cut off.
      flush();
      unsubscribe();
    },
  };
}
