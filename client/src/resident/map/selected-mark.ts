// A ring around the site whose details are open, in a pane of its own: above the site canvas
// (overlay pane, 400), below the labels (marker pane, 600), so a labelled site's chip stays readable
// and the ring shows around it. Decorative: the details say which site it is.
import L from 'leaflet';
import { h } from '../../lib/dom.js';

export class SelectedMark {
  private marker: L.Marker | null = null;

  constructor(private readonly map: L.Map) {
    const pane = map.createPane('selected');
    pane.style.zIndex = '550';
    pane.style.pointerEvents = 'none';
  }

  show(siteId: string, at: L.LatLngExpression): void {
    this.hide();
    const ring = h('span', { class: 'selected-ring', 'data-selected-site-id': siteId });
    const icon = L.divIcon({ className: 'selected-mark', html: ring, iconSize: [0, 0] });
    this.marker = L.marker(at, { icon, pane: 'selected', interactive: false, keyboard: false }).addTo(this.map);
    this.marker.getElement()?.setAttribute('aria-hidden', 'true');
  }

  hide(): void {
    this.marker?.remove();
    this.marker = null;
  }
}
