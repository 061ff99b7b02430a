import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { contains, decodeEchartsRing, type DistrictShape, JIANGMEN_GEOJSON, parseDistrictShapes } from './geo.js';

describe('district geometry', () => {
  it('when a point is in a polygon, its hole, or outside, then contains() tells them apart', () => {
    const square = (a: number, b: number): [number, number][] => [
      [a, a],
      [b, a],
      [b, b],
      [a, b],
    ];
    const shape: DistrictShape = { code: 'x', name: 'x', center: [0, 0], polygons: [[square(0, 10), square(4, 6)]] };
    expect(contains(shape, 1, 1)).toBe(true);
    expect(contains(shape, 5, 5)).toBe(false);
    expect(contains(shape, 11, 5)).toBe(false);
  });

  it('when a ring is zigzag-encoded, then decoding walks the deltas from the offset', () => {
    // 'B' - 64 = 2 -> +1 step, 'A' - 64 = 1 -> -1 step, '@' - 64 = 0 -> no move.
    expect(decodeEchartsRing('B@@A', [1024, 2048])).toEqual([
      [1 + 1 / 1024, 2],
      [1 + 1 / 1024, 2 - 1 / 1024],
    ]);
  });

  it("when the package's encoded .js map is decoded, then it equals its .geojson twin", () => {
    const js = JIANGMEN_GEOJSON.replace('/geojson/', '/js/').replace(/\.geojson$/, '.js');
    let registered: unknown;
    const echarts = {
      registerMap: (_name: string, map: unknown) => {
        registered = map;
      },
    };
    // The file is a UMD wrapper that hands the map to echarts.registerMap.
    new Function('exports', 'require', readFileSync(js, 'utf8'))({}, () => echarts);
    const fromJs = parseDistrictShapes(registered as Parameters<typeof parseDistrictShapes>[0]);
    const fromGeojson = parseDistrictShapes(JSON.parse(readFileSync(JIANGMEN_GEOJSON, 'utf8')));
    expect(fromJs.map((d) => d.name)).toEqual(['蓬江区', '江海区', '新会区', '台山市', '开平市', '鹤山市', '恩平市']);
    expect(fromJs).toEqual(fromGeojson);
  });
});
