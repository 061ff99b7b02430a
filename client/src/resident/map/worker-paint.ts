// The feed worker's half of the map: it holds every site's position and state, so it can repaint
// the canvas (an OffscreenCanvas handed over by the page) whenever data changes, without the page's
// main thread doing any of it. The page only says what to show: the view, the filter mask, labels.
// Positions come from the page too (its model's, in the tiles' datum: lib/datum.ts), once, so the
// canvas and the page's labels and taps can never place a site differently.
import { type Ageing, LiveTable } from '../columns.js';
import { Painter, type PaintView } from './painter.js';

export class WorkerPaint {
  private painter: Painter | null = null;
  private view: PaintView | null = null;
  private mask: Uint8Array = new Uint8Array(0);
  private px: Float64Array = new Float64Array(0);
  private py: Float64Array = new Float64Array(0);
  private pending = false;
  table = new LiveTable(0);

  constructor(
    private readonly ageing: () => Ageing,
    private readonly painted: (seq: number) => void,
  ) {}

  setSites(count: number): void {
    this.table = new LiveTable(count);
  }

  /** Zoom-0 pixels of every site, as the page places them. */
  setPositions(px: Float64Array, py: Float64Array): void {
    this.px = px;
    this.py = py;
    this.changed();
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
    // Nothing to paint before the page has sent where the sites are.
    if (!painter || !view || this.px.length !== this.table.n) return;
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
