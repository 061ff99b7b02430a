// The feed worker's half of the map: it holds every site's position and state, so it can repaint
// the canvas (an OffscreenCanvas handed over by the page) whenever data changes, without the page's
// main thread doing any of it. The page only says what to show: the view, the filter mask, labels.
import type { Site } from '../../../../shared/schemas.js';
import { type Ageing, LiveTable } from '../columns.js';
import { Painter, type PaintView } from './painter.js';
import { project } from './project.js';

export class WorkerPaint {
  private painter: Painter | null = null;
  private view: PaintView | null = null;
  private mask: Uint8Array = new Uint8Array(0);
  private px = new Float64Array(0);
  private py = new Float64Array(0);
  private pending = false;
  table = new LiveTable(0);

  constructor(
    private readonly ageing: () => Ageing,
    private readonly painted: (seq: number) => void,
  ) {}

  setSites(sites: readonly Site[]): void {
    this.px = new Float64Array(sites.length);
    this.py = new Float64Array(sites.length);
    sites.forEach((s, i) => {
      [this.px[i], this.py[i]] = project(s.lat, s.lng);
    });
    this.table = new LiveTable(sites.length);
  }

  attach(canvas: OffscreenCanvas): void {
    this.painter = new Painter(canvas);
    this.changed();
  }

  setView(view: PaintView, mask?: Uint8Array): void {
    this.view = view;
    if (mask) this.mask = mask;
    this.changed();
  }

  /** Something shown may have changed: one repaint, after the messages already queued. */
  changed(): void {
    if (this.pending) return;
    this.pending = true;
    setTimeout(() => this.paint(), 0);
  }

  private paint(): void {
    this.pending = false;
    const { painter, view } = this;
    if (!painter || !view) return;
    const a = this.ageing();
    const { table, mask } = this;
    const steps = painter.paint(view, {
      n: this.table.n,
      px: this.px,
      py: this.py,
      visible: (i) => mask[i] === 1,
      lookCode: (i) => table.lookCode(i, a),
    });
    while (!steps.next().done) {
      /* a worker has no page to yield to */
    }
    this.painted(view.seq);
  }
}
