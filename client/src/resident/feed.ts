// The page side of the feed worker: typed callbacks instead of raw messages.
import type { FromWorker, ToWorker } from './feed-protocol.js';
import type { PaintView } from './map/painter.js';
import type { PaintLink } from './map/site-layer.js';

export type FeedHandler = (m: FromWorker) => void;

export class ResidentFeed implements PaintLink {
  private readonly worker: Worker;

  constructor(onMessage: FeedHandler) {
    this.worker = new Worker(new URL('./feed.worker.ts', import.meta.url), { type: 'module', name: 'shortline-feed' });
    this.worker.onmessage = (e: MessageEvent<FromWorker>) => onMessage(e.data);
    this.worker.onerror = (e) => console.warn('feed worker error', e.message);
  }

  send(m: ToWorker, transfer: Transferable[] = []): void {
    this.worker.postMessage(m, transfer);
  }

  attach(canvas: OffscreenCanvas): void {
    this.send({ type: 'canvas', canvas }, [canvas]);
  }

  view(view: PaintView, mask?: Uint8Array): void {
    this.send({ type: 'view', view, mask }, mask ? [mask.buffer as ArrayBuffer] : []);
  }
}
