// The Leaflet map: tiles from /api/meta (or none), the site layer, clicks and point picking.
// Without tiles, or when they fail as on a closed network, sites are drawn on a plain background
// with district names for orientation. Leaflet's coordinates here are the tiles' datum (GCJ-02 for
// AutoNavi and the like, lib/datum.ts); the rest of the page speaks WGS-84, so every point that
// crosses this class's edge is converted on the way.
import L from 'leaflet';
import type { Meta } from '../../../../shared/schemas.js';
import type { LatLng } from '../../../../shared/rank.js';
import { h } from '../../lib/dom.js';
import { t } from '../text.js';
import type { DatumShift } from '../../lib/datum.js';
import { type PaintLink, SiteLayer, type SiteSource } from './site-layer.js';

export interface MapViewOptions {
  el: HTMLElement;
  meta: Meta;
  src: SiteSource;
  /** Between WGS-84 and the tiles' datum (the model's). */
  shift: DatumShift;
  onSelect(i: number): void;
  onPickPoint(p: LatLng): void;
  onMoveEnd(): void;
  /** The feed worker, which paints the sites when the browser lets a worker own a canvas. */
  paintLink: PaintLink | null;
}

/** Jiangmen, until the registry says where the sites are. */
const DEFAULT_VIEW: [number, number, number] = [22.58, 113.08, 10];
/** Tile errors before any tile loaded after which the base map is given up. */
const TILE_GIVE_UP = 3;

export const reducedMotion = (): boolean => matchMedia('(prefers-reduced-motion: reduce)').matches;

export class MapView {
  readonly map: L.Map;
  readonly layer: SiteLayer;
  private pickMode = false;
  private tiles: L.TileLayer | null = null;
  plain: boolean;
  private readonly note: HTMLElement;
  private readonly rankLayer = L.layerGroup();
  private rankedKey = '';
  private fittedFrom = '';

  constructor(private readonly opts: MapViewOptions) {
    const motion = !reducedMotion();
    this.map = L.map(opts.el, {
      zoomAnimation: motion,
      fadeAnimation: motion,
      markerZoomAnimation: motion,
      inertia: motion,
      attributionControl: false,
      zoomControl: true,
      minZoom: 3,
      maxZoom: 18,
      worldCopyJump: false,
      center: opts.shift.toTiles(DEFAULT_VIEW[0], DEFAULT_VIEW[1]),
      zoom: DEFAULT_VIEW[2],
    });
    this.note = h('div', { class: 'map-note', hidden: true });
    opts.el.parentElement?.append(this.note);
    this.plain = !opts.meta.tileUrl;
    if (opts.meta.tileUrl) this.addTiles(opts.meta.tileUrl, opts.meta.tileAttribution);
    this.layer = new SiteLayer(opts.src, (i) => opts.onSelect(i), opts.paintLink);
    this.layer.plain = this.plain;
    this.layer.addTo(this.map);
    // Above the "you are here" dot (popup pane, 700): the nearest recommendation is often under it.
    const rankPane = this.map.createPane('rank');
    rankPane.style.zIndex = '750';
    rankPane.style.pointerEvents = 'none';
    this.rankLayer.addTo(this.map);
    this.map.on('click', (e: L.LeafletMouseEvent) => this.click(e));
    this.map.on('moveend', () => {
      // The zoom on the element too: tests and people's own tooling can read it.
      opts.el.dataset.zoom = String(this.map.getZoom());
      opts.onMoveEnd();
    });
    this.hoverCursor();
  }

  private addTiles(url: string, attribution: string): void {
    let loaded = 0;
    let failed = 0;
    const tiles = L.tileLayer(url, { maxZoom: 18, crossOrigin: false });
    tiles.on('tileload', () => {
      loaded++;
    });
    tiles.on('tileerror', () => {
      failed++;
      if (loaded === 0 && failed >= TILE_GIVE_UP) this.giveUpTiles();
    });
    tiles.addTo(this.map);
    this.tiles = tiles;
    if (attribution) this.opts.el.parentElement?.append(h('div', { class: 'map-attribution' }, attribution));
  }

  private giveUpTiles(): void {
    if (!this.tiles) return;
    this.tiles.remove();
    this.tiles = null;
    this.plain = true;
    this.layer.plain = true;
    this.note.hidden = false;
    this.note.textContent = t('map.noTiles');
    this.layer.redraw();
  }

  /** Texts drawn by the map itself, after a language switch. */
  relabel(): void {
    if (!this.note.hidden) this.note.textContent = t('map.noTiles');
  }

  private click(e: L.LeafletMouseEvent): void {
    if (this.pickMode) {
      this.setPickMode(false);
      // Distances are worked out in WGS-84, like the sites: the tapped street back from the tiles' datum.
      this.opts.onPickPoint(this.fromMap(e.latlng));
      return;
    }
    const i = this.layer.siteAt(e.containerPoint, matchMedia('(pointer: coarse)').matches ? 22 : 14);
    if (i >= 0) this.opts.onSelect(i);
  }

  private hoverCursor(): void {
    let pending = false;
    let last: L.Point | null = null;
    this.map.on('mousemove', (e: L.LeafletMouseEvent) => {
      last = e.containerPoint;
      if (pending) return;
      pending = true;
      requestAnimationFrame(() => {
        pending = false;
        if (last) this.opts.el.classList.toggle('over-site', !this.pickMode && this.layer.siteAt(last) >= 0);
      });
    });
  }

  setPickMode(on: boolean): void {
    this.pickMode = on;
    this.opts.el.classList.toggle('picking', on);
  }

  /** A WGS-84 point where the tiles show it. */
  private toMap(p: LatLng): L.LatLngTuple {
    return this.opts.shift.toTiles(p.lat, p.lng);
  }

  /** A point of the map (the tiles' datum) in WGS-84. */
  private fromMap(ll: L.LatLng): LatLng {
    const [lat, lng] = this.opts.shift.fromTiles(ll.lat, ll.lng);
    return { lat, lng };
  }

  /**
   * The recommendations numbered on the map (1 = first), in the list's order. A new origin fits the
   * view to it and them; a re-ranking for the same origin only moves the numbers, so a resident
   * looking around is not pulled back every few seconds.
   */
  markRanked(sites: ReadonlyArray<{ id: string; lat: number; lng: number }>, origin: LatLng | null): void {
    const key = sites.map((s) => s.id).join(',');
    if (key !== this.rankedKey) {
      this.rankedKey = key;
      this.rankLayer.clearLayers();
      sites.forEach((s, k) => {
        const html = h('span', { 'data-site-id': s.id, 'data-rank': k + 1 }, String(k + 1));
        const icon = L.divIcon({ className: 'rank-mark', html, iconSize: [0, 0] });
        L.marker(this.toMap(s), {
          icon,
          pane: 'rank',
          interactive: false,
          keyboard: false,
          zIndexOffset: 1000 - k,
        }).addTo(this.rankLayer);
      });
    }
    const from = origin ? `${origin.lat},${origin.lng}` : '';
    if (!origin || sites.length === 0 || from === this.fittedFrom) return;
    this.fittedFrom = from;
    this.fitPoints([origin, ...sites]);
  }

  fitPoints(points: Array<{ lat: number; lng: number }>): void {
    if (points.length === 0) return;
    const bounds = L.latLngBounds(points.map((p) => this.toMap(p)));
    this.map.fitBounds(bounds, { padding: [24, 24], maxZoom: 15, animate: false });
  }

  focus(p: LatLng, zoom = 15): void {
    this.map.setView(this.toMap(p), Math.max(zoom, this.map.getZoom()), { animate: !reducedMotion() });
  }

  /** Keeps the selected site in sight: pans only when it is off screen. */
  reveal(p: LatLng): void {
    const at = this.toMap(p);
    if (!this.map.getBounds().pad(-0.1).contains(at)) this.map.panTo(at, { animate: !reducedMotion() });
  }

  /** The map centre in WGS-84 ("nearest" without an origin measures from it). */
  center(): LatLng {
    return this.fromMap(this.map.getCenter());
  }

  /** The container changed size (sheet, layout): Leaflet must measure again. */
  resized(): void {
    this.map.invalidateSize({ animate: false });
  }

  redraw(): void {
    this.layer.redraw();
  }

  dataChanged(): void {
    this.layer.dataChanged();
  }
}
