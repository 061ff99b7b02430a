// What the map layer needs to know about sites, answered from the model and the resident's choices.
import L from 'leaflet';
import { project } from './map/project.js';
import type { SiteSource } from './map/site-layer.js';
import type { SiteModel } from './model.js';
import type { ResidentState } from './state.js';
import { t } from './text.js';

export function siteSource(model: SiteModel, state: ResidentState): SiteSource {
  let districts: Array<{ name: string; x: number; y: number }> | null = null;
  return {
    count: () => model.size,
    px: model.px,
    py: model.py,
    visible: (i) => state.mask[i] === 1,
    mask: () => state.mask,
    maskVersion: () => state.maskVersion,
    look: (i) => model.look(i),
    label(i) {
      const l = model.shown(i);
      const level = model.level(i);
      const text =
        level === 'closed' ? t('level.closed') : l?.waitMinutes != null ? t('wait.short', { n: l.waitMinutes }) : '?';
      return { text, siteId: model.sites[i]!.id, level, name: model.sites[i]!.name };
    },
    stamp: (i) => model.stamp[i]!,
    selected: () => state.selected,
    origin: () => (state.origin ? L.latLng(state.origin.lat, state.origin.lng) : null),
    districtLabels() {
      if (!model.sitesDone) return null;
      return (districts ??= model.districts().map((d) => {
        const [x, y] = project(d.lat, d.lng);
        return { name: d.name, x, y };
      }));
    },
  };
}
