// What the map layer needs to know about sites, answered from the model and the resident's choices.
import L from 'leaflet';
import { currentLang } from '../lib/i18n.js';
import { projectOnTiles } from './map/project.js';
import type { SiteSource } from './map/site-layer.js';
import type { SiteModel } from './model.js';
import { siteDistrict, siteName } from './names.js';
import type { ResidentState } from './state.js';
import { t } from './text.js';

export function siteSource(model: SiteModel, state: ResidentState): SiteSource {
  // Per language, since the names change with it.
  let districts: { lang: string; labels: Array<{ name: string; x: number; y: number }> } | null = null;
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
      return { text, siteId: model.sites[i]!.id, level, name: siteName(model.sites[i]!) };
    },
    stamp: (i) => model.stamp[i]!,
    selected: () => state.selected,
    // The resident's position (GPS, a picked point: WGS-84) where the tiles show it.
    origin: () => (state.origin ? L.latLng(model.shift.toTiles(state.origin.lat, state.origin.lng)) : null),
    districtLabels() {
      if (!model.sitesDone) return null;
      const lang = currentLang();
      if (districts?.lang !== lang) {
        const labels = model.districts().map((d) => {
          const [x, y] = projectOnTiles(d.lat, d.lng, model.shift);
          return { name: siteDistrict(model.sites[d.site]!, lang), x, y };
        });
        districts = { lang, labels };
      }
      return districts.labels;
    },
  };
}
