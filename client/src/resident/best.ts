// "Best choice for me": where the resident starts from (location, a picked point or a district)
// and the top three sites by walk + predicted wait, spread between residents (shared/rank.ts).
import { rankSites, waitTrendPerMin, type RankCandidate, type Ranked } from '../../../shared/rank.js';
import { h, setChildren } from '../lib/dom.js';
import { avoidReason, type EnRoute } from './advice.js';
import { ageParts } from './liveness.js';
import { chip, tagSite } from './levels.js';
import { DEFAULT_RATE, type SiteModel } from './model.js';
import { siteArea, siteDistrict, siteName, siteStreet } from './names.js';
import { waitParts } from './format.js';
import type { Origin, ResidentState } from './state.js';
import { t } from './text.js';

const SEED_KEY = 'shortline.seed';
/** Ranking is redone at most this often on data frames; at once when the origin changes. */
const RERANK_MS = 1000;
/** Latitude/longitude box around the origin beyond any walkable site (60 min at 70 m/min). */
const BOX_DEG = 0.045;

/** A per-device seed, kept so the same resident sees a stable order. */
export function deviceSeed(): number {
  try {
    const s = Number(localStorage.getItem(SEED_KEY));
    if (Number.isInteger(s) && s > 0) return s;
    const fresh = crypto.getRandomValues(new Uint32Array(1))[0]! || 1;
    localStorage.setItem(SEED_KEY, String(fresh));
    return fresh;
  } catch {
    return (Math.random() * 2 ** 32) >>> 0;
  }
}

export interface BestCallbacks {
  onOrigin(o: Origin): void;
  onPick(): void;
  onOpen(i: number): void;
  /** The sites recommended now, best first (none without an origin): the map numbers them. */
  onRanked(siteIndices: readonly number[]): void;
}

export class BestChoice {
  readonly el: HTMLElement;
  private readonly body: HTMLDivElement;
  private ranked: Ranked[] = [];
  private rankedAt = 0;
  private error: string | null = null;
  private picking = false;
  private locating = false;
  private readonly seed = deviceSeed();
  /** When the data was current, while it no longer arrives; null while live. */
  private dataAt: number | null = null;
  private readonly staleNote = h('p', { class: 'best-stale', hidden: true, 'data-testid': 'best-stale' });

  constructor(
    private readonly model: SiteModel,
    private readonly state: ResidentState,
    private readonly cb: BestCallbacks,
    /** People on their way per site (advice.ts); also told the walks of what is recommended. */
    private readonly enRoute?: EnRoute,
  ) {
    this.body = h('div', { class: 'best-body' });
    this.el = h(
      'section',
      { class: 'best', 'aria-labelledby': 'best-title' },
      h('h2', { id: 'best-title' }),
      this.body,
    );
    void navigator.permissions?.query({ name: 'geolocation' }).then(
      (p) => {
        if (p.state === 'granted' && !this.state.origin) this.locate();
      },
      () => undefined,
    );
  }

  locate(): void {
    if (!('geolocation' in navigator)) return this.fail();
    this.locating = true;
    this.render();
    navigator.geolocation.getCurrentPosition(
      (pos) => {
        this.locating = false;
        this.error = null;
        this.cb.onOrigin({ lat: pos.coords.latitude, lng: pos.coords.longitude, kind: 'gps' });
      },
      () => this.fail(),
      { enableHighAccuracy: false, timeout: 15_000, maximumAge: 60_000 },
    );
  }

  private fail(): void {
    this.locating = false;
    this.error = t('best.denied');
    this.render();
  }

  /** Recommendations made on data that stopped arriving say how old it is. */
  setDataAt(at: number | null): void {
    this.dataAt = at;
    const show = at !== null && this.ranked.length > 0;
    this.staleNote.hidden = !show;
    if (show) {
      const age = ageParts(Date.now() - at);
      this.staleNote.textContent = t('best.stale', { ago: t(`age.${age.unit}`, { n: age.n }) });
    }
  }

  setPicking(on: boolean): void {
    this.picking = on;
    this.render();
  }

  /** Ranks again (throttled unless forced) and redraws when anything shown changed. */
  refresh(force = false): void {
    const now = performance.now();
    if (!force && now - this.rankedAt < RERANK_MS) return;
    this.rankedAt = now;
    const before = JSON.stringify(this.ranked);
    // Until the command centre's notices are known, any site might be one it sent people away from.
    this.ranked = this.state.origin && this.model.noticesKnown ? this.rank(this.state.origin) : [];
    if (force || JSON.stringify(this.ranked) !== before || this.stampsMoved()) this.render();
  }

  private drawnStamps: number[] = [];
  private stampsMoved(): boolean {
    return this.ranked.some((r, k) => this.model.stamp[this.model.index.get(r.id)!] !== this.drawnStamps[k]);
  }

  private *candidates(o: Origin): Generator<RankCandidate> {
    const m = this.model;
    const local = m.local();
    for (let i = 0; i < m.size; i++) {
      const s = m.sites[i]!;
      if (Math.abs(s.lat - o.lat) > BOX_DEG || Math.abs(s.lng - o.lng) > BOX_DEG * 1.2) continue;
      if (!this.state.visible(i)) continue;
      const l = m.shown(i);
      if (!l || l.waitMinutes === null) continue;
      yield {
        id: s.id,
        lat: s.lat,
        lng: s.lng,
        status: l.status,
        level: m.level(i),
        waitMinutes: l.waitMinutes,
        lanesOpen: l.lanesOpen,
        ratePerLane: s.serviceRatePerLane ?? DEFAULT_RATE,
        confidence: l.confidence,
        minutesUntilClose: m.minutesUntilClose(i, local),
        // The server's queue trend where it sends one (LiveState extension, people per minute,
        // turned into minutes of wait), else the change of the wait seen on this page.
        trendPerMin:
          l.trendPerMin != null
            ? waitTrendPerMin(l.trendPerMin, l.lanesOpen, s.serviceRatePerLane ?? DEFAULT_RATE)
            : (m.trend[i] ?? 0),
        enRoute: this.enRoute?.get(s.id) ?? 0,
        notice: avoidReason(m, s.id)?.kind ?? null,
      };
    }
  }

  private rank(o: Origin): Ranked[] {
    const ranked = rankSites(this.candidates(o), { origin: o, seed: this.seed });
    for (const r of ranked) this.enRoute?.walks.set(r.id, r.walkMinutes);
    return ranked;
  }

  render(): void {
    (this.el.firstElementChild as HTMLElement).textContent = t('best.title');
    this.cb.onRanked(this.state.origin && !this.picking ? this.ranked.map((r) => this.model.index.get(r.id)!) : []);
    const o = this.state.origin;
    if (this.picking) {
      this.body.replaceChildren(h('p', { class: 'best-hint', role: 'status' }, t('best.pickHint')));
      return;
    }
    if (!o) {
      setChildren(
        this.body,
        h('p', {}, t('best.ask')),
        h(
          'div',
          { class: 'best-actions' },
          h(
            'button',
            { type: 'button', class: 'primary', disabled: this.locating, onclick: () => this.locate() },
            this.locating ? t('best.locating') : t('best.locate'),
          ),
          h('button', { type: 'button', onclick: () => this.cb.onPick() }, t('best.pick')),
        ),
        this.districtPicker(),
        this.error ? h('p', { class: 'best-error', role: 'alert' }, this.error) : null,
      );
      return;
    }
    const from =
      o.kind === 'gps'
        ? t('best.from.gps')
        : o.kind === 'pick'
          ? t('best.from.pick')
          : t('best.from.district', { d: o.label ?? '' });
    const items = this.ranked.map((r, k) => this.item(r, k));
    this.drawnStamps = this.ranked.map((r) => this.model.stamp[this.model.index.get(r.id)!]!);
    setChildren(
      this.body,
      h(
        'p',
        { class: 'best-from' },
        from,
        ' ',
        h('button', { type: 'button', class: 'link', onclick: () => this.change() }, t('best.change')),
      ),
      items.length
        ? h('ol', { class: 'best-list' }, ...items)
        : this.model.noticesKnown
          ? h('p', { class: 'best-none' }, t('best.none'))
          : h('p', { class: 'best-hint', role: 'status' }, t('best.checking')),
      items.length ? this.staleNote : null,
      items.length > 1 ? h('p', { class: 'best-note' }, t('best.spread')) : null,
    );
    this.setDataAt(this.dataAt);
  }

  private change(): void {
    this.state.origin = null;
    this.ranked = [];
    this.render();
    (this.body.querySelector('button') as HTMLButtonElement | null)?.focus();
  }

  private item(r: Ranked, k: number): HTMLLIElement {
    const i = this.model.index.get(r.id)!;
    const s = this.model.sites[i]!;
    const level = this.model.level(i);
    const look = this.model.look(i);
    // The wait on arrival, said by the same rule as everywhere (a range where it is wide).
    const wait = waitParts(this.model.shown(i), r.waitMinutes);
    const li = h(
      'li',
      { class: 'best-item' },
      h(
        'button',
        { type: 'button', class: 'best-btn', onclick: () => this.cb.onOpen(i) },
        h('span', { class: 'best-rank', 'aria-hidden': 'true' }, String(k + 1)),
        h(
          'span',
          { class: 'best-main' },
          h('span', { class: 'name' }, siteName(s)),
          h(
            'span',
            { class: 'best-line' },
            t('best.line', { walk: r.walkMinutes, wait: wait.text }),
            wait.rough ? h('span', { class: 'rough' }, wait.rough) : null,
          ),
          h('span', { class: 'best-total' }, chip(look), ' ', t('best.total', { n: r.totalMinutes })),
        ),
      ),
    );
    tagSite(li, s.id, level, look);
    li.dataset.rank = String(k + 1);
    return li;
  }

  /**
   * Streets grouped by district: a street's centre is a fair start when location is refused. Built
   * once per language and registry, not at every render; its streets are filled in a task after the
   * one that draws it (about 60 ms on a cheap phone, which the first list should not wait for).
   */
  private picker: { key: string; el: HTMLElement; select: HTMLSelectElement } | null = null;
  private districtPicker(): HTMLElement {
    const key = `${t('best.district')} ${this.model.size} ${String(this.model.sitesDone)}`;
    if (this.picker?.key === key) {
      // Shown again after "change": choosing the same street again must count as a choice.
      this.picker.select.value = '';
      return this.picker.el;
    }
    const select = h('select', { id: 'best-district' }, h('option', { value: '' }, t('best.districtNone')));
    const el = h('div', { class: 'best-district' }, h('label', { for: 'best-district' }, t('best.district')), select);
    this.picker = { key, el, select };
    setTimeout(() => {
      if (this.picker?.el === el) this.fillPicker(select);
    });
    return el;
  }

  private fillPicker(select: HTMLSelectElement): void {
    const areas = this.model.areas().map((a, index) => ({ ...a, index }));
    const byDistrict = new Map<string, typeof areas>();
    for (const a of areas) {
      const list = byDistrict.get(a.district);
      if (list) list.push(a);
      else byDistrict.set(a.district, [a]);
    }
    // Areas are keyed by their Chinese words; each names itself after one of its sites, in the page's language.
    const site = (a: (typeof areas)[number]) => this.model.sites[a.site]!;
    select.append(
      ...[...byDistrict.values()].map((list) =>
        h(
          'optgroup',
          { label: siteDistrict(site(list[0]!)) },
          ...list.map((a) =>
            h('option', { value: String(a.index) }, (a.street && siteStreet(site(a))) || siteDistrict(site(a))),
          ),
        ),
      ),
    );
    select.addEventListener('change', () => {
      const a = areas[Number(select.value)];
      if (select.value !== '' && a)
        this.cb.onOrigin({
          lat: a.lat,
          lng: a.lng,
          kind: 'district',
          label: siteArea(site(a)),
        });
    });
  }
}
