// Every site on one map, coloured by level. Nobody touches a wall, so every interaction is off and
// the map is fitted to the sites whenever the screen size changes. Without a tile server the sites
// are drawn on the plain dark background with district names at the middle of their sites. Over
// tiles in another datum (TILE_CRS=gcj02) every point is moved into it first (lib/datum.ts).
import L from 'leaflet';
import 'leaflet/dist/leaflet.css';
import type { Level, LiveState, Meta, Site } from '../../../shared/schemas.js';
import { h } from '../lib/dom.js';
import type { DatumShift } from '../lib/datum.js';

const COLOR: Record<Level, string> = {
  low: '#22c55e',
  medium: '#f5b50b',
  high: '#f04444',
  closed: '#5b6b85',
  unknown: '#8a96ab',
};

/** Radius as a share of the screen height, so a 4K wall draws the same picture at twice the pixels. */
const RADIUS_VH: Record<Level, number> = { low: 0.42, medium: 0.5, high: 0.7, closed: 0.3, unknown: 0.34 };

function style(level: Level): L.CircleMarkerOptions {
  const r = (RADIUS_VH[level] * window.innerHeight) / 100;
  const hollow = level === 'unknown';
  return {
    radius: Math.max(2, r),
    color: hollow ? COLOR.unknown : '#0b1326',
    weight: hollow ? Math.max(1, r / 3) : 0.6,
    fillColor: COLOR[level],
    fillOpacity: hollow ? 0 : 0.92,
    opacity: 1,
  };
}

export interface WallMap {
  update(changed: Iterable<LiveState>): void;
  /** Rings the sites of the "needs action" panel with their rank, so the room sees where they are. */
  markActions(siteIds: readonly string[]): void;
}

export function wallMap(el: HTMLElement, sites: readonly Site[], meta: Meta, shift: DatumShift): WallMap {
  const map = L.map(el, {
    zoomControl: false,
    attributionControl: false,
    dragging: false,
    scrollWheelZoom: false,
    doubleClickZoom: false,
    boxZoom: false,
    keyboard: false,
    touchZoom: false,
    zoomSnap: 0,
    zoomAnimation: false,
    fadeAnimation: false,
    markerZoomAnimation: false,
    preferCanvas: false,
  });
  if (meta.tileUrl) {
    L.tileLayer(meta.tileUrl, { maxZoom: 18 }).addTo(map);
    // Leaflet's attribution control takes HTML; the text is shown as text instead.
    if (meta.tileAttribution) el.parentElement?.append(h('div', { class: 'map-attr' }, meta.tileAttribution));
  }

  /** Where the tiles show a WGS-84 point. */
  const at = (p: { lat: number; lng: number }): L.LatLngTuple => shift.toTiles(p.lat, p.lng);

  const markers = new Map<string, { m: L.CircleMarker; level: Level }>();
  const bounds = L.latLngBounds([]);
  for (const s of sites) bounds.extend(at(s));
  const fit = () => {
    map.invalidateSize({ animate: false });
    if (bounds.isValid())
      map.fitBounds(bounds, { padding: [el.clientHeight * 0.05, el.clientWidth * 0.05], animate: false });
  };
  fit();

  // Canvas would be faster, but every site must be an element with data-site-id and data-level.
  const renderer = L.svg({ padding: 0.1 });
  for (const s of sites) {
    const m = L.circleMarker(at(s), { ...style('unknown'), renderer, interactive: false }).addTo(map);
    const path = m.getElement();
    path?.setAttribute('data-site-id', s.id);
    path?.setAttribute('data-level', 'unknown');
    markers.set(s.id, { m, level: 'unknown' });
  }
  labelDistricts(map, sites, at);

  window.addEventListener('resize', () => {
    fit();
    for (const { m, level } of markers.values()) m.setStyle(style(level));
  });

  const actionLayer = L.layerGroup().addTo(map);
  let actionKey = '';
  const byId = new Map(sites.map((s) => [s.id, s]));

  return {
    markActions(siteIds) {
      const key = siteIds.join(',');
      if (key === actionKey) return;
      actionKey = key;
      actionLayer.clearLayers();
      siteIds.forEach((id, i) => {
        const s = byId.get(id);
        if (!s) return;
        const html = h('span', { 'data-action-site': id, 'data-rank': i + 1 }, String(i + 1));
        const icon = L.divIcon({ className: 'action-mark', html, iconSize: [0, 0] });
        L.marker(at(s), { icon, interactive: false, keyboard: false, zIndexOffset: 1000 - i }).addTo(actionLayer);
      });
    },
    update(changed) {
      for (const live of changed) {
        const entry = markers.get(live.siteId);
        if (!entry || entry.level === live.level) continue;
        entry.level = live.level;
        entry.m.setStyle(style(live.level));
        entry.m.getElement()?.setAttribute('data-level', live.level);
        // Busy sites drawn last stay on top of quiet neighbours.
        if (live.level === 'high') entry.m.bringToFront();
      }
    },
  };
}

function labelDistricts(
  map: L.Map,
  sites: readonly Site[],
  at: (p: { lat: number; lng: number }) => L.LatLngTuple,
): void {
  const acc = new Map<string, { lat: number; lng: number; n: number }>();
  for (const s of sites) {
    const a = acc.get(s.district) ?? { lat: 0, lng: 0, n: 0 };
    a.lat += s.lat;
    a.lng += s.lng;
    a.n += 1;
    acc.set(s.district, a);
  }
  for (const [name, a] of acc) {
    const icon = L.divIcon({ className: 'district-label', html: h('span', {}, name), iconSize: [0, 0] });
    L.marker(at({ lat: a.lat / a.n, lng: a.lng / a.n }), { icon, interactive: false, keyboard: false }).addTo(map);
  }
}
