// What the resident has chosen: filters, sort, where they start from, which site is open. The list
// order and the map's visibility mask are derived here, in one pass over the sites.
import type { LatLng } from '../../../shared/rank.js';
import type { Filters, SiteModel } from './model.js';
import { siteName } from './names.js';
import { searchQuery } from './search.js';

export type SortKey = 'near' | 'wait' | 'name';
export type OriginKind = 'gps' | 'pick' | 'district';
export interface Origin extends LatLng {
  kind: OriginKind;
  label?: string;
}

const collator = new Intl.Collator('zh-CN');

export class ResidentState {
  filters: Filters = { q: '', openNow: false, green: false, h24: false };
  sort: SortKey = 'near';
  origin: Origin | null = null;
  selected = -1;
  /** Reference point for "nearest" while no origin is set: the map's centre. */
  mapCenter: LatLng = { lat: 22.58, lng: 113.08 };
  /** Filtered and sorted site indices. */
  order: number[] = [];
  /** 1 where a site passes the filters (what the map draws). */
  mask = new Uint8Array(0);
  /** Bumped by every recompute, so the map knows to send a new mask to its painter. */
  maskVersion = 0;
  /** Distance in metres from the origin (or map centre) per site, for the list. */
  private dist = new Float64Array(0);

  constructor(private readonly model: SiteModel) {}

  visible(i: number): boolean {
    return this.mask[i] === 1;
  }

  hasFilter(): boolean {
    const f = this.filters;
    return f.q.trim() !== '' || f.openNow || f.green || f.h24;
  }

  distanceTo(i: number): number | null {
    return this.origin ? (this.dist[i] ?? null) : null;
  }

  /** Applies filters and sort. O(n log n); called on user actions, not on data frames. */
  recompute(): void {
    const m = this.model;
    const n = m.size;
    if (this.mask.length !== n) this.mask = new Uint8Array(n);
    if (this.dist.length !== n) this.dist = new Float64Array(n);
    const local = m.local();
    const query = searchQuery(this.filters.q);
    const ref = this.origin ?? this.mapCenter;
    const cosLat = Math.cos((ref.lat * Math.PI) / 180);
    const order: number[] = [];
    for (let i = 0; i < n; i++) {
      const s = m.sites[i]!;
      // Equirectangular metres: exact enough within a city, and 50,000 of them cost ~1 ms.
      const dx = (s.lng - ref.lng) * cosLat * 111_195;
      const dy = (s.lat - ref.lat) * 111_195;
      this.dist[i] = Math.sqrt(dx * dx + dy * dy);
      const ok = m.matches(i, this.filters, query, local);
      this.mask[i] = ok ? 1 : 0;
      if (ok) order.push(i);
    }
    const d = this.dist;
    if (this.sort === 'near') order.sort((a, b) => d[a]! - d[b]!);
    else if (this.sort === 'wait') order.sort((a, b) => waitKey(m, a) - waitKey(m, b) || d[a]! - d[b]!);
    else {
      // By the name as shown: in English the pinyin, which sorts as the reader expects.
      const names = new Map(order.map((i) => [i, siteName(m.sites[i]!)]));
      order.sort((a, b) => collator.compare(names.get(a)!, names.get(b)!));
    }
    this.order = order;
    this.maskVersion++;
  }
}

/** Known waits first (shortest first), then sites without a number, closed ones last. */
function waitKey(m: SiteModel, i: number): number {
  const look = m.look(i);
  if (look === 'closed') return 1e9;
  if (look === 'paused') return 1e8;
  const w = m.waitOf(i);
  return w < 0 ? 1e7 : w;
}
