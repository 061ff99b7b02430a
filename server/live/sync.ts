// The live loop of one instance: what other instances publish is merged into this engine, and
// changes go out as frames, at most one per `frameMs`. createApp starts it once the routes and
// sockets exist and stops it on close.
import type { StaffTokenCache } from '../auth/token-cache.js';
import type { Logger } from '../logger.js';
import type { Store } from '../store/types.js';
import type { Frame, LiveEngine } from './engine.js';
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
  /** Every frame once broadcast: "notify me" watches are checked against it (watches/checker.ts). */
  onFrame?(frame: Frame): void;
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
      const c = d.engine.fuseCtx();
      for (const s of msg.sites) d.engine.merge(s.siteId, s.raw, c);
    },
    { ignoreOrigin: d.instanceId },
  );

  // Frames: a change that arrives in a quiet window goes out at once (on the next turn of the
  // event loop, so one request's or one batch slice's changes travel together); changes that follow
  // within FRAME_MS of a frame wait for the window's end, so there is still at most one frame per
  // FRAME_MS. Timers run on real time, so the window is measured with performance.now(), not the
  // injected clock (which tests may hold still).
  let lastSentAt = -Infinity;
  let pending: NodeJS.Timeout | null = null;
  const flush = () => {
    if (pending) clearTimeout(pending);
    pending = null;
    d.notices.tick();
    const frame = d.engine.frame();
    if (!frame) return;
    d.realtime.broadcast(frame);
    lastSentAt = performance.now();
    d.onFrame?.(frame);
    // A frame carries at most FRAME_MAX_SITES sites; the rest go in the next window.
    if (d.engine.framePending) schedule();
  };
  const schedule = () => {
    if (pending || stopped) return;
    pending = setTimeout(flush, Math.max(0, lastSentAt + d.frameMs - performance.now()));
  };
  d.engine.onFirstChange = schedule;
  // Data ages and notices expire without any write: look once per window even when quiet.
  const ageing = setInterval(schedule, d.frameMs);
  return {
    stop: () => {
      if (stopped) return;
      stopped = true;
      clearInterval(ageing);
      d.engine.onFirstChange = null;
      // Whatever changed since the last frame still reaches the clients before they are cut off.
      flush();
      unsubscribe();
    },
  };
}
