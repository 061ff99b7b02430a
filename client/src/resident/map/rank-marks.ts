// The recommendations' numbers on the map (1 = best), in a pane of their own above the "you are
// here" dot (popup pane, 700), which often lies on the nearest one. Numbers that would cover each
// other are moved apart (spread.ts) with a thin line back to their site, worked out again at every
// zoom, since how far apart two sites are on screen depends on it. The lines have a pane of their
// own under the labels (marker pane, 600), so that no line crosses a number or a label's text.
import L from 'leaflet';
import { h } from '../../lib/dom.js';
import { spread } from './spread.js';

interface Mark {
  at: L.LatLng;
  badge: HTMLElement;
  lead: HTMLElement;
}

export class RankMarks {
  private readonly group = L.layerGroup();
  private marks: Mark[] = [];

  constructor(private readonly map: L.Map) {
    for (const [name, z] of [
      ['rankLead', '590'],
      ['rank', '750'],
    ] as const) {
      const pane = map.createPane(name);
      pane.style.zIndex = z;
      pane.style.pointerEvents = 'none';
    }
    this.group.addTo(map);
    map.on('zoomend viewreset', () => this.arrange());
  }

  /** Numbers for these places, best first (`data-rank` and `data-site-id` on each number). */
  set(sites: ReadonlyArray<{ id: string; at: L.LatLngExpression }>): void {
    this.group.clearLayers();
    this.marks = sites.map((s, k) => {
      const badge = h('span', { class: 'rank-num', 'data-site-id': s.id, 'data-rank': k + 1 }, String(k + 1));
      const lead = h('span', { class: 'rank-lead', hidden: true });
      const at = L.latLng(s.at);
      // Leaflet stacks markers by their y; the offset keeps the best number on top wherever it is.
      this.marker(at, 'rank-mark', badge, 'rank', (sites.length - k) * 100_000);
      this.marker(at, 'rank-lead-mark', lead, 'rankLead', 0).getElement()?.setAttribute('aria-hidden', 'true');
      return { at, badge, lead };
    });
    this.arrange();
  }

  private marker(at: L.LatLng, className: string, el: HTMLElement, pane: string, zIndexOffset: number): L.Marker {
    const icon = L.divIcon({ className, html: h('span', { class: 'rank-pin' }, el), iconSize: [0, 0] });
    return L.marker(at, { icon, pane, interactive: false, keyboard: false, zIndexOffset }).addTo(this.group);
  }

  /** Moves numbers that would overlap apart; again after a zoom or a change of size. */
  arrange(): void {
    const first = this.marks[0];
    // Measured, so that the large-text mode's bigger numbers are kept apart too; 0 while hidden.
    const w = first?.badge.offsetWidth ?? 0;
    const hgt = first?.badge.offsetHeight ?? 0;
    if (!w || !hgt) return;
    // Matches the numbers' CSS: translate(-50%, -130%) puts a centre 0.8 of a height above the site.
    const lift = 0.8 * hgt;
    const points = this.marks.map((m) => this.map.latLngToLayerPoint(m.at));
    spread(points, { w, h: hgt, lift }).forEach(({ dx, dy }, k) => {
      const { badge, lead } = this.marks[k]!;
      badge.style.setProperty('--dx', `${dx}px`);
      badge.style.setProperty('--dy', `${dy}px`);
      const moved = dx !== 0 || dy !== 0;
      lead.hidden = !moved;
      if (!moved) return;
      // From the site to the number's centre; the number is drawn over the line's far end.
      const y = dy - lift;
      lead.style.width = `${Math.hypot(dx, y)}px`;
      lead.style.transform = `rotate(${Math.atan2(y, dx)}rad)`;
    });
  }
}
