// DOM labels on the map ("◆ 18分"), shown when few sites are in view: each carries the site's
// data attributes like every other element showing a site. Placed greedily so none overlap; a
// site left without a label keeps its canvas shape. Also the "you are here" dot.
import L from 'leaflet';
import { h } from '../../lib/dom.js';
import { GLYPH } from '../levels.js';
import type { SiteSource } from './site-layer.js';

type Box = [number, number, number, number];
const overlaps = (boxes: Box[], b: Box) => boxes.some((a) => a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3]);

/** Rough chip width in pixels: CJK characters are wider than digits. */
function labelWidth(text: string): number {
  let w = 28;
  for (const ch of text) w += ch.charCodeAt(0) > 0x2e80 ? 13 : 8;
  return w;
}

export class MapLabels {
  private readonly items = new Map<number, { el: HTMLDivElement; stamp: number }>();
  private readonly you: HTMLDivElement;

  constructor(
    private readonly box: HTMLElement,
    youPane: HTMLElement,
    private readonly src: SiteSource,
    private readonly onPick: (i: number) => void,
  ) {
    this.you = h('div', { class: 'you-marker leaflet-zoom-hide', 'aria-hidden': 'true', hidden: true });
    youPane.append(this.you);
  }

  has(i: number): boolean {
    return this.items.has(i);
  }

  remove(): void {
    this.box.remove();
    this.you.remove();
  }

  /**
   * Which of the drawn sites (positions k in the drawn arrays) get a label: the selected one
   * first, then known waits (shortest first), then the rest. Canvas coordinates; `you` kept clear.
   */
  choose(count: number, idx: Int32Array, x: Float32Array, y: Float32Array, you: L.Point | null): number[] {
    const sel = this.src.selected();
    const order = Array.from({ length: count }, (_, k) => ({ k, i: idx[k]!, text: this.src.label(idx[k]!).text }));
    const rank = (o: { i: number; text: string }) =>
      o.i === sel ? -1 : /^\d/.test(o.text) ? parseInt(o.text, 10) : 1e6;
    order.sort((a, b) => rank(a) - rank(b));
    const boxes: Box[] = you ? [[you.x - 12, you.y - 12, you.x + 12, you.y + 12]] : [];
    const chosen: number[] = [];
    for (const o of order) {
      const w = labelWidth(o.text) / 2 + 2;
      const b: Box = [x[o.k]! - w, y[o.k]! - 13, x[o.k]! + w, y[o.k]! + 13];
      if (overlaps(boxes, b)) continue;
      boxes.push(b);
      chosen.push(o.k);
    }
    return chosen;
  }

  /** Shows exactly these labels, at their layer points for the map's current zoom. */
  sync(map: L.Map, want: readonly number[]): void {
    const keep = new Set(want);
    for (const [i, l] of this.items) {
      if (keep.has(i)) continue;
      l.el.remove();
      this.items.delete(i);
    }
    const scale = 2 ** map.getZoom();
    const origin = map.getPixelOrigin();
    for (const i of want) {
      let l = this.items.get(i);
      if (!l) {
        const el = h('div', { class: 'mchip', 'aria-hidden': 'true' });
        L.DomEvent.on(el, 'click', (e) => {
          L.DomEvent.stop(e);
          this.onPick(i);
        });
        l = { el, stamp: -1 };
        this.items.set(i, l);
        this.box.append(el);
      }
      this.fill(i, l);
      // left/top rather than a transform: the CSS transform centres the chip on its point.
      l.el.style.left = `${Math.round(this.src.px[i]! * scale - origin.x)}px`;
      l.el.style.top = `${Math.round(this.src.py[i]! * scale - origin.y)}px`;
    }
    const o = this.src.origin();
    this.you.hidden = !o;
    if (o) {
      const p = map.project(o, map.getZoom()).subtract(origin);
      this.you.style.left = `${Math.round(p.x)}px`;
      this.you.style.top = `${Math.round(p.y)}px`;
    }
  }

  /** Refreshes labels whose site changed (or that were selected or deselected). */
  refresh(): void {
    for (const [i, l] of this.items) this.fill(i, l);
  }

  private fill(i: number, l: { el: HTMLDivElement; stamp: number }): void {
    const stamp = this.src.stamp(i);
    const selected = this.src.selected() === i;
    if (l.stamp === stamp && l.el.classList.contains('selected') === selected) return;
    l.stamp = stamp;
    const look = this.src.look(i);
    const { text, siteId, level, name } = this.src.label(i);
    l.el.className = `mchip lv-${look}${selected ? ' selected' : ''}`;
    l.el.dataset.siteId = siteId;
    l.el.dataset.level = level;
    l.el.dataset.look = look;
    l.el.title = name;
    l.el.replaceChildren(h('span', { class: 'glyph' }, GLYPH[look]), h('span', { class: 'mins' }, text));
  }
}
