// Where the recommendation numbers go so that none hides another. Each number sits just above its
// site; two recommended sites a hundred metres apart are a few pixels apart at street zoom, and
// their numbers would cover each other (issue 16). In rank order, a number whose place is taken
// moves one step at a time to a free place beside it (the map draws a leader line back to its site).

export interface Point {
  x: number;
  y: number;
}
export interface BadgeSize {
  w: number;
  h: number;
  /** How far above its site a number's centre sits when it is not moved. */
  lift: number;
}
export interface Offset {
  dx: number;
  dy: number;
}

/** Pixels kept clear between two numbers. */
const GAP = 3;
/** Beside first (the shortest leader), then diagonally above, below, and last straight up or down. */
const DIRECTIONS: ReadonlyArray<readonly [number, number]> = [
  [1, 0],
  [-1, 0],
  [1, -1],
  [-1, -1],
  [1, 1],
  [-1, 1],
  [0, -1],
  [0, 1],
];
/** Steps tried before giving up (three numbers never need more than two). */
const MAX_STEPS = 4;

type Rect = [number, number, number, number];
const clash = (a: Rect, b: Rect) => a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3];

/** Offsets from each number's own place, in the order given (best recommendation first, never moved). */
export function spread(points: readonly Point[], size: BadgeSize): Offset[] {
  const placed: Rect[] = [];
  const rectAt = (p: Point, o: Offset): Rect => {
    const cx = p.x + o.dx;
    const cy = p.y - size.lift + o.dy;
    return [cx - size.w / 2 - GAP / 2, cy - size.h / 2 - GAP / 2, cx + size.w / 2 + GAP / 2, cy + size.h / 2 + GAP / 2];
  };
  return points.map((p) => {
    const offset = place(p, rectAt, placed, size);
    placed.push(rectAt(p, offset));
    return offset;
  });
}

function place(p: Point, rectAt: (p: Point, o: Offset) => Rect, placed: readonly Rect[], size: BadgeSize): Offset {
  const free = (o: Offset) => !placed.some((r) => clash(r, rectAt(p, o)));
  if (free({ dx: 0, dy: 0 })) return { dx: 0, dy: 0 };
  for (let step = 1; step <= MAX_STEPS; step++)
    for (const [ux, uy] of DIRECTIONS) {
      const o = { dx: ux * step * (size.w + GAP), dy: uy * step * (size.h + GAP) };
      if (free(o)) return o;
    }
  return { dx: 0, dy: 0 };
}
