// Everything the map needs, as one chunk: Leaflet (its script and stylesheet), the map view and its
// site source. app.ts fetches it once the first data is in and builds the map after the first list
// is on screen: a cheap phone shows the list with live numbers first and the map a moment later
// (issue 16: first useful content).
// leaflet.css stays with the page's own CSS (main.ts): loaded late, it shifted the layout (CLS).
import type { SiteModel } from '../model.js';
import { siteSource } from '../source.js';
import type { ResidentState } from '../state.js';
import { MapView, type MapViewOptions } from './view.js';

export function createMap(
  model: SiteModel,
  state: ResidentState,
  opts: Omit<MapViewOptions, 'src' | 'shift'>,
): MapView {
  return new MapView({ ...opts, src: siteSource(model, state), shift: model.shift });
}
