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
import type { RankMarks, SelectedMark } from './marks.js';
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
  /** The details sheet or side panel: a selected site is kept clear of it, also as it resizes. */
  panel: HTMLElement;
  /** What else may lie over the map's edges (legend, banners). */
  overlays(): Element[];
}

/** Jiangmen, until the registry says where the sites are. */
const DEFAULT_VIEW: [number, number, number] = [22.58, 113.08, 10];
/** Tile errors before any tile loaded after which the base map is given up. */
const TILE_GIVE_UP = 3;
/** A selected site is shown at least this close: its label and ring, not one dot among hundreds. */
const SELECT_ZOOM = 15;

type Marks = typeof import('./marks.js');

interface Selection {
  id: string;
  at: L.LatLng;
  /** The zoom still to be applied (the map had no size when the site was selected). */
  zoom: number | null;
}

export const reducedMotion = (): boolean => matchMedia('(prefers-reduced-motion: reduce)').matches;

export class MapView {
  readonly map: L.Map;
  readonly layer: SiteLayer;
  private pickMode = false;
  private tiles: L.TileLayer | null = null;
  plain: boolean;
  private readonly note: HTMLElement;
  private marks: Promise<Marks | null> | null = null;
  /** The marks' chunk once loaded. */
  private kit: Marks | null = null;
  private ranks: RankMarks | null = null;
  private rankedKey = '';
  private fittedFrom = '';
  private mark: SelectedMark | null = null;
  private selection: Selection | null = null;
  /** A fit asked for while a site was selected: done when it is closed. */
  private deferred: (() => void) | null = null;

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
    this.map.on('click', (e: L.LeafletMouseEvent) => this.click(e));
    this.map.on('moveend', () => {
      // The zoom on the element too: tests and people's own tooling can read it.
      opts.el.dataset.zoom = String(this.map.getZoom());
      opts.onMoveEnd();
    });
    this.hoverCursor();
    // The sheet's height animates and a phone turns: every size on the way, not only the first.
    const sizes = new ResizeObserver(() => this.resized());
    sizes.observe(opts.el);
    sizes.observe(opts.panel);
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
      const at = sites.map((s) => ({ id: s.id, at: this.toMap(s) }));
      void this.loadMarks().then((m) => {
        if (!m || key !== this.rankedKey) return;
        this.ranks ??= new m.RankMarks(this.map);
        this.ranks.set(at);
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
    this.whenFree(() => this.map.fitBounds(bounds, { padding: [24, 24], maxZoom: 15, animate: false }));
  }

  focus(p: LatLng, zoom = 15): void {
    const at = this.toMap(p);
    this.whenFree(() => this.map.setView(at, Math.max(zoom, this.map.getZoom()), { animate: !reducedMotion() }));
  }

  /** While a site is selected it holds the view (a location found meanwhile must not pull it away). */
  private whenFree(move: () => void): void {
    if (this.selection) this.deferred = move;
    else move();
  }

  /**
   * The site whose details are open, or null when they close: ringed on the map and centred in the
   * part of it that the sheet, the panel, the legend and banners leave uncovered.
   */
  select(site: { id: string; lat: number; lng: number } | null, animate = !reducedMotion()): void {
    if (!site) {
      this.selection = null;
      this.mark?.hide();
      const move = this.deferred;
      this.deferred = null;
      move?.();
      return;
    }
    const at = L.latLng(this.toMap(site));
    const sel: Selection = { id: site.id, at, zoom: Math.max(SELECT_ZOOM, this.map.getZoom()) };
    this.selection = sel;
    void this.loadMarks().then((kit) => {
      if (this.selection !== sel) return; // another site, or none, by now
      // Without the chunk (offline), at least in the middle of the map.
      if (!kit) return void this.map.panTo(at, { animate });
      (this.mark ??= new kit.SelectedMark(this.map)).show(sel.id, at);
      this.centreSelection(animate);
    });
  }

  /** The marks' code; a chunk that cannot load (offline) leaves the map without them. */
  private loadMarks(): Promise<Marks | null> {
    return (this.marks ??= import('./marks.js').then(
      (m) => (this.kit = m),
      () => (this.marks = null),
    ));
  }

  private centreSelection(animate: boolean): void {
    const sel = this.selection;
    const size = this.map.getSize();
    // Hidden (the sheet covers the whole screen): done when the map shows again (resized).
    if (!sel || !this.kit || size.x === 0 || size.y === 0) return;
    const zoom = sel.zoom ?? this.map.getZoom();
    sel.zoom = null;
    this.kit.centreInView(this.map, this.opts.el, [this.opts.panel, ...this.opts.overlays()], sel.at, zoom, animate);
  }

  /** The map centre in WGS-84 ("nearest" without an origin measures from it). */
  center(): LatLng {
    return this.fromMap(this.map.getCenter());
  }

  /** The container or the panel changed size (sheet, rotation, text size): measure and place again. */
  resized(): void {
    this.map.invalidateSize({ animate: false });
    this.ranks?.arrange();
    this.centreSelection(false);
  }

  redraw(): void {
    this.layer.redraw();
  }

  dataChanged(): void {
    this.layer.dataChanged();
  }
}
