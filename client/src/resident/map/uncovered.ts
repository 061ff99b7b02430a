// The part of the map that nothing lies over: what a selected site is centred in. On phones the
// details sheet sits under the map, on wide screens the panel beside it, and the legend and the
// banners over its edges; measuring their boxes keeps this right whatever the layout does next.

export interface Box {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/**
 * The map's box less every cover that overlaps it, each cut away from the side it takes least
 * from (a bottom band cuts the bottom, a side column a side). With nothing left, the whole map.
 */
export function uncovered(map: Box, covers: readonly Box[]): Box {
  // Copied field by field: a DOMRect's fields are getters, which spreading would not copy.
  const whole = { left: map.left, top: map.top, right: map.right, bottom: map.bottom };
  const free = { ...whole };
  for (const c of covers) {
    const overlaps = c.left < map.right && c.right > map.left && c.top < map.bottom && c.bottom > map.top;
    // A hidden element measures 0 x 0.
    if (!overlaps || c.right <= c.left || c.bottom <= c.top) continue;
    const cuts: Array<[keyof Box, number]> = [
      ['top', c.bottom - map.top],
      ['bottom', map.bottom - c.top],
      ['left', c.right - map.left],
      ['right', map.right - c.left],
    ];
    const [side] = cuts.reduce((a, b) => (b[1] < a[1] ? b : a));
    if (side === 'top') free.top = Math.max(free.top, c.bottom);
    else if (side === 'bottom') free.bottom = Math.min(free.bottom, c.top);
    else if (side === 'left') free.left = Math.max(free.left, c.right);
    else free.right = Math.min(free.right, c.left);
  }
  return free.right - free.left < 1 || free.bottom - free.top < 1 ? whole : free;
}
