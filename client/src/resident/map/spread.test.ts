import { describe, expect, it } from 'vitest';
import { spread, type BadgeSize, type Offset, type Point } from './spread.js';

const SIZE: BadgeSize = { w: 31, h: 31, lift: 25 };
type Rect = [number, number, number, number];
const rect = (p: Point, o: Offset): Rect => {
  const cx = p.x + o.dx;
  const cy = p.y - SIZE.lift + o.dy;
  return [cx - SIZE.w / 2, cy - SIZE.h / 2, cx + SIZE.w / 2, cy + SIZE.h / 2];
};
const disjoint = (a: Rect, b: Rect) => a[2] <= b[0] || b[2] <= a[0] || a[3] <= b[1] || b[3] <= a[1];

describe('spread', () => {
  it('leaves numbers far enough apart where they are', () => {
    expect(
      spread(
        [
          { x: 0, y: 0 },
          { x: 100, y: 0 },
        ],
        SIZE,
      ),
    ).toEqual([
      { dx: 0, dy: 0 },
      { dx: 0, dy: 0 },
    ]);
  });

  it('never moves the first, and moves later ones so that no two overlap', () => {
    // Three sites about 100 m apart at street zoom: a few pixels.
    const points = [
      { x: 0, y: 0 },
      { x: 11, y: 2 },
      { x: 5, y: -6 },
    ];
    const offsets = spread(points, SIZE);
    expect(offsets[0]).toEqual({ dx: 0, dy: 0 });
    const rects = points.map((p, k) => rect(p, offsets[k]!));
    for (let a = 0; a < rects.length; a++)
      for (let b = a + 1; b < rects.length; b++) expect(disjoint(rects[a]!, rects[b]!)).toBe(true);
  });

  it('moves a number beside the other first, the shortest way', () => {
    const [, second] = spread(
      [
        { x: 0, y: 0 },
        { x: 0, y: 0 },
      ],
      SIZE,
    );
    expect(second!.dy).toBe(0);
    expect(Math.abs(second!.dx)).toBeGreaterThanOrEqual(SIZE.w);
    expect(Math.abs(second!.dx)).toBeLessThan(SIZE.w * 1.5);
  });
});
