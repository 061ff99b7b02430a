import { describe, expect, it } from 'vitest';
import { uncovered, type Box } from './uncovered.js';

const box = (left: number, top: number, right: number, bottom: number): Box => ({ left, top, right, bottom });
const MAP = box(0, 50, 390, 450);

describe('uncovered', () => {
  it('is the whole map when nothing overlaps it (a sheet below, a panel beside)', () => {
    expect(uncovered(MAP, [box(0, 450, 390, 844), box(-400, 50, 0, 450)])).toEqual(MAP);
  });

  it('cuts a sheet laid over the bottom from the bottom, and a panel over the left from the left', () => {
    expect(uncovered(MAP, [box(0, 300, 390, 844)])).toEqual(box(0, 50, 390, 300));
    expect(uncovered(MAP, [box(0, 0, 150, 844)])).toEqual(box(150, 50, 390, 450));
  });

  it('cuts a small box from the side it takes least from, and several covers together', () => {
    // A legend in the bottom-left corner, a banner over the top.
    expect(uncovered(MAP, [box(8, 400, 300, 442), box(0, 50, 390, 90)])).toEqual(box(0, 90, 390, 400));
  });

  it('reads boxes whose fields are getters, as a DOMRect is', () => {
    class Rect {
      constructor(private readonly b: Box) {}
      get left() {
        return this.b.left;
      }
      get top() {
        return this.b.top;
      }
      get right() {
        return this.b.right;
      }
      get bottom() {
        return this.b.bottom;
      }
    }
    expect(uncovered(new Rect(MAP), [new Rect(box(0, 300, 390, 844))])).toEqual(box(0, 50, 390, 300));
    expect(uncovered(new Rect(MAP), [])).toEqual(MAP);
  });

  it('ignores hidden elements (0 x 0) and gives the whole map when covers leave nothing', () => {
    expect(uncovered(MAP, [box(0, 0, 0, 0)])).toEqual(MAP);
    expect(uncovered(MAP, [box(0, 0, 390, 844)])).toEqual(MAP);
  });
});
