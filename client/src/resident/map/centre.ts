// Puts a point in the middle of the part of the map nothing lies over (uncovered.ts), keeping or
// setting the zoom: how a selected site is shown beside or above the details.
import L from 'leaflet';
import { uncovered } from './uncovered.js';

export function centreInView(
  map: L.Map,
  el: HTMLElement,
  covers: readonly Element[],
  at: L.LatLng,
  zoom: number,
  animate: boolean,
): void {
  const box = el.getBoundingClientRect();
  const free = uncovered(
    box,
    covers.map((c) => c.getBoundingClientRect()),
  );
  // Where on the map's own pixels the point should end up, and so where the map's centre goes.
  const target = L.point((free.left + free.right) / 2 - box.left, (free.top + free.bottom) / 2 - box.top);
  const centre = map.project(at, zoom).subtract(target).add(map.getSize().divideBy(2));
  map.setView(map.unproject(centre, zoom), zoom, { animate });
}
