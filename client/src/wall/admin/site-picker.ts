// Choosing one of ~1000 sites: a district first, then a site of that district.
import type { Site } from '../../../../shared/schemas.js';
import { h } from '../../lib/dom.js';

export interface SitePicker {
  root: HTMLElement;
  district: HTMLSelectElement;
  site: HTMLSelectElement;
  /** The chosen site id, or '' for none. */
  value(): string;
  districtValue(): string;
  onChange(fn: () => void): void;
}

export function districtsOf(sites: readonly Site[]): string[] {
  return [...new Set(sites.map((s) => s.district))];
}

export function sitePicker(
  sites: readonly Site[],
  labels: { district: string; site: string; anyDistrict: string; anySite: string },
  name: string,
): SitePicker {
  const district = h(
    'select',
    { name: `${name}-district`, 'data-pick': 'district' },
    h('option', { value: '' }, labels.anyDistrict),
    ...districtsOf(sites).map((d) => h('option', { value: d }, d)),
  );
  const site = h('select', { name: `${name}-site`, 'data-pick': 'site' });
  const listeners: Array<() => void> = [];
  const fillSites = () => {
    const d = district.value;
    site.replaceChildren(
      h('option', { value: '' }, labels.anySite),
      ...sites
        .filter((s) => !d || s.district === d)
        .map((s) => h('option', { value: s.id }, d ? s.name : `${s.district} · ${s.name}`)),
    );
  };
  fillSites();
  district.addEventListener('change', () => {
    fillSites();
    for (const l of listeners) l();
  });
  site.addEventListener('change', () => {
    for (const l of listeners) l();
  });
  return {
    root: h('div', { class: 'picker' }, h('label', {}, labels.district, district), h('label', {}, labels.site, site)),
    district,
    site,
    value: () => site.value,
    districtValue: () => district.value,
    onChange: (fn) => listeners.push(fn),
  };
}
