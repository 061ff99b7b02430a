// Every site on one canvas, plus DOM labels with the wait in minutes when few sites are in view.
// Leaflet's own vector layers cost an object and a canvas path per site; at 50,000 sites that alone
// is a long task. Here the canvas is painted with pixel sprites (painter.ts): by the feed worker
// when the browser can hand a canvas to a worker (then data frames cost the page nothing for the
// map), else on the page in slices of a few milliseconds. The page works out, in slices too, where
// sites fall for taps and which get a label, on moves and zooms only.
import L from 'leaflet';
import { LOOKS } from '../columns.js';
import type { Look } from '../looks.js';
import { MapLabels } from './labels.js';
import { Painter, type PaintView } from './painter.js';

export interface SiteSource {
  count(): number;
  /** Zoom-0 Web Mercator pixels, over the tiles (in their datum: lib/datum.ts). */
  px: readonly number[];
  py: readonly number[];
  visible(i: number): boolean;
  /** Bumped whenever visible() may answer differently (filters). */
  maskVersion(): number;
  mask(): Uint8Array;
  look(i: number): Look;
  /** Label text (wait minutes or a word) and the attributes every site element carries. */
  label(i: number): { text: string; siteId: string; level: string; name: string };
  stamp(i: number): number;
  selected(): number;
  /** The resident's position where the tiles show it (in their datum), or null. */
  origin(): L.LatLng | null;
  /** District names at zoom-0 positions, drawn when there is no base map to read. */
  districtLabels(): Array<{ name: string; x: number; y: number }> | null;
}

/** How the page reaches the worker that paints, when there is one. */
export interface PaintLink {
  attach(canvas: OffscreenCanvas): void;
  view(view: PaintView, mask?: Uint8Array): void;
}

/** Labels are DOM elements: only worth it when this few sites are in view. */
const LABEL_MAX = 150;
const LABEL_MIN_ZOOM = 13;
/** The canvas reaches this far beyond the view (fraction of its size), so a short pan shows sites. */
const PAD = 0.25;
/** Work per slice on the page before yielding. */
const SLICE_MS = 5;
const LOOK_CODE = new Map<Look, number>(LOOKS.map((l, k) => [l, k]));

export const radiusFor = (zoom: number): number => (zoom >= 15 ? 9 : zoom >= 13 ? 7 : zoom >= 11 ? 5 : 4);

const nextTask = () =>
  new Promise<void>((resolve) => {
    const ch = new MessageChannel();
    ch.port1.onmessage = () => resolve();
    ch.port2.postMessage(null);
  });

interface Placed {
  count: number;
  idx: Int32Array;
  x: Float32Array;
  y: Float32Array;
  topLeft: L.Point;
}
interface Shown {
  seq: number;
  topLeft: L.Point;
  w: number;
  h: number;
  zoom: number;
  center: L.LatLng;
}

/** Two views that paint the same picture (all but their number). */
function sameView(a: PaintView, b: PaintView): boolean {
  const keys = ['W', 'H', 'dpr', 'scale', 'offX', 'offY', 'r', 'selected'] as const;
  return (
    keys.every((k) => a[k] === b[k]) &&
    a.skip.join() === b.skip.join() &&
    JSON.stringify(a.districts) === JSON.stringify(b.districts)
  );
}

export class SiteLayer extends L.Layer {
  /** No base map (none configured, or the tiles failed): orientation comes from district names. */
  plain = false;
  private map!: L.Map;
  private canvas!: HTMLCanvasElement;
  private labels!: MapLabels;
  private painter: Painter | null = null;
  private seq = 0;
  /** The last view handed to the painting worker. */
  private sentSeq = 0;
  private sentMask = -1;
  private shown: Shown | null = null;
  private pendingShow = new Map<number, Shown>();
  private view: PaintView | null = null;
  private running = false;
  private again: 'geometry' | 'paint' | null = null;
  private readonly idle: Array<() => void> = [];
  private placed: Placed = {
    count: 0,
    idx: new Int32Array(0),
    x: new Float32Array(0),
    y: new Float32Array(0),
    topLeft: L.point(0, 0),
  };

  constructor(
    private readonly src: SiteSource,
    private readonly onPick: (i: number) => void,
    private readonly link: PaintLink | null,
  ) {
    super();
  }

  override onAdd(map: L.Map): this {
    this.map = map;
    this.canvas = L.DomUtil.create('canvas', 'site-canvas leaflet-zoom-animated');
    this.canvas.setAttribute('aria-hidden', 'true');
    map.getPanes().overlayPane.appendChild(this.canvas);
    const box = L.DomUtil.create('div', 'site-labels leaflet-zoom-hide');
    map.getPanes().markerPane.appendChild(box);
    this.labels = new MapLabels(box, map.getPanes().popupPane, this.src, this.onPick);
    if (this.link && 'transferControlToOffscreen' in this.canvas) {
      this.link.attach(this.canvas.transferControlToOffscreen());
    } else {
      this.painter = new Painter(this.canvas);
    }
    map.on('moveend viewreset resize', this.redraw, this);
    map.on('zoomanim', this.animateZoom, this);
    this.redraw();
    return this;
  }

  override onRemove(map: L.Map): this {
    map.off('moveend viewreset resize', this.redraw, this);
    map.off('zoomanim', this.animateZoom, this);
    this.canvas.remove();
    this.labels.remove();
    return this;
  }

  /** Scales the shown picture along with the map's zoom animation (as Leaflet's renderers do). */
  private animateZoom(e: L.ZoomAnimEvent): void {
    const s = this.shown;
    if (!s) return;
    const map = this.map;
    const scale = map.getZoomScale(e.zoom, s.zoom);
    const panePos = L.DomUtil.getPosition(map.getPane('mapPane')!);
    const newOrigin = map.project(e.center, e.zoom).subtract(map.getSize().divideBy(2)).add(panePos).round();
    const offset = map
      .getSize()
      .multiplyBy(-PAD - 0.5)
      .multiplyBy(scale)
      .add(map.project(s.center, e.zoom))
      .subtract(newOrigin);
    L.DomUtil.setTransform(this.canvas, offset, scale);
  }

  /** The view, the filters, the selection or the origin changed: place sites again, then paint. */
  redraw(): void {
    this.request('geometry');
  }

  /** Only data changed. A painting worker repaints by itself; labels are refreshed here. */
  dataChanged(): void {
    this.labels.refresh();
    if (this.painter) this.request('paint');
  }

  /** Resolves once nothing is pending or running (for "first render" timing). */
  whenDrawn(): Promise<void> {
    return this.running || this.pendingShow.size
      ? new Promise((resolve) => this.idle.push(resolve))
      : Promise.resolve();
  }

  /** The worker painted view `seq`: move the canvas to where that picture belongs. */
  painted(seq: number): void {
    const s = this.pendingShow.get(seq);
    for (const k of [...this.pendingShow.keys()]) if (k <= seq) this.pendingShow.delete(k);
    if (s) this.show(s);
    this.settle();
  }

  private request(kind: 'geometry' | 'paint'): void {
    if (!this.map) return;
    this.again = this.again === 'geometry' || kind === 'geometry' ? 'geometry' : 'paint';
    if (!this.running) void this.loop();
  }

  private async loop(): Promise<void> {
    this.running = true;
    try {
      while (this.again) {
        const kind = this.again;
        this.again = null;
        // A painting worker repaints data changes by itself: a view it already has is not sent again
        // (the map's first moments place the same view two or three times).
        const same = kind === 'geometry' || !this.view ? await this.place() : false;
        if (this.view && !this.again && !same) await this.paint(this.view);
      }
    } finally {
      this.running = false;
      this.settle();
    }
  }

  private settle(): void {
    if (this.running || this.pendingShow.size) return;
    for (const resolve of this.idle.splice(0)) resolve();
  }

  /**
   * Where each visible site falls (for taps) and which get labels; builds the next view. True when
   * the painting worker already has that view and the filters have not changed since (never true
   * when the page paints: it repaints data changes through here).
   */
  private async place(): Promise<boolean> {
    const map = this.map;
    const src = this.src;
    const size = map.getSize();
    const topLeft = map.containerPointToLayerPoint(size.multiplyBy(-PAD)).round();
    const w = Math.round(size.x * (1 + 2 * PAD));
    const h = Math.round(size.y * (1 + 2 * PAD));
    const dpr = Math.min(2, window.devicePixelRatio || 1);
    const zoom = map.getZoom();
    const scale = 2 ** zoom;
    const po = map.getPixelOrigin();
    const offX = -po.x - topLeft.x;
    const offY = -po.y - topLeft.y;
    const r = radiusFor(zoom);
    const n = src.count();
    const p: Placed = { count: 0, idx: new Int32Array(n), x: new Float32Array(n), y: new Float32Array(n), topLeft };
    const [vx0, vy0, vx1, vy1] = [size.x * PAD, size.y * PAD, size.x * (1 + PAD), size.y * (1 + PAD)];
    let inView = 0;
    let deadline = performance.now() + SLICE_MS;
    for (let i = 0; i < n; i++) {
      if ((i & 511) === 0 && performance.now() > deadline) {
        await nextTask();
        if (this.again === 'geometry') return false;
        deadline = performance.now() + SLICE_MS;
      }
      if (!src.visible(i)) continue;
      const x = src.px[i]! * scale + offX;
      const y = src.py[i]! * scale + offY;
      if (x < -r || y < -r || x > w + r || y > h + r) continue;
      const k = p.count++;
      p.idx[k] = i;
      p.x[k] = x;
      p.y[k] = y;
      if (x >= vx0 && x <= vx1 && y >= vy0 && y <= vy1) inView++;
    }
    const useLabels = zoom >= LABEL_MIN_ZOOM && inView <= LABEL_MAX && p.count <= LABEL_MAX * 3;
    const you = src.origin() ? map.project(src.origin()!, zoom).subtract(po).subtract(topLeft) : null;
    const labelled = useLabels ? this.labels.choose(p.count, p.idx, p.x, p.y, you).map((k) => p.idx[k]!) : [];
    this.labels.sync(map, labelled);
    this.placed = p;
    const districts = this.plain && zoom <= 12 ? src.districtLabels() : null;
    const view: PaintView = {
      seq: this.seq + 1,
      W: Math.round(w * dpr),
      H: Math.round(h * dpr),
      dpr,
      scale,
      offX,
      offY,
      r,
      selected: src.selected(),
      skip: labelled,
      districts,
    };
    const last = this.pendingShow.get(this.seq) ?? this.shown;
    const sent = this.view && this.sentSeq === this.view.seq && last?.seq === this.view.seq;
    if (sent && last.topLeft.equals(topLeft) && sameView(this.view!, view)) return src.maskVersion() === this.sentMask;
    this.view = view;
    this.seq = view.seq;
    this.pendingShow.set(view.seq, { seq: view.seq, topLeft, w, h, zoom, center: map.getCenter() });
    return false;
  }

  private async paint(view: PaintView): Promise<void> {
    if (!this.painter) {
      const maskChanged = this.src.maskVersion() !== this.sentMask;
      this.sentMask = this.src.maskVersion();
      this.link!.view(view, maskChanged ? this.src.mask().slice() : undefined);
      this.sentSeq = view.seq;
      return;
    }
    const src = this.src;
    const steps = this.painter.paint(view, {
      n: src.count(),
      px: src.px,
      py: src.py,
      visible: (i) => src.visible(i),
      lookCode: (i) => LOOK_CODE.get(src.look(i))!,
    });
    let deadline = performance.now() + SLICE_MS;
    while (!steps.next().done) {
      if (performance.now() < deadline) continue;
      await nextTask();
      if (this.again === 'geometry') return;
      deadline = performance.now() + SLICE_MS;
    }
    this.painted(view.seq);
  }

  private show(s: Shown): void {
    this.shown = s;
    L.DomUtil.setPosition(this.canvas, s.topLeft);
    this.canvas.style.width = `${s.w}px`;
    this.canvas.style.height = `${s.h}px`;
  }

  /** The site drawn nearest to a container point, within a finger's reach (labels included). */
  siteAt(containerPoint: L.Point, reach = 16): number {
    const { count, idx, x, y, topLeft } = this.placed;
    const p = this.map.containerPointToLayerPoint(containerPoint).subtract(topLeft);
    let best = -1;
    let bestD = reach * reach;
    for (let k = 0; k < count; k++) {
      const d = (x[k]! - p.x) ** 2 + (y[k]! - p.y) ** 2;
      if (d < bestD) {
        bestD = d;
        best = idx[k]!;
      }
    }
    return best;
  }
}
