// Site shapes as pixel sprites, copied straight into an ImageData. Canvas paths are rasterised in
// software on many phones (and in headless Chromium): 50,000 arcs take ~1 s there, whereas
// copying 50,000 small sprites is a plain typed-array loop. Works on the page and in a worker.
import { LOOKS } from '../columns.js';
import { COLOUR } from '../looks.js';
import { addShape } from './shapes.js';

export type AnyCanvas = HTMLCanvasElement | OffscreenCanvas;
export type AnyContext = CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D;

export interface Sprite {
  /** Side of the square sprite in device pixels. */
  size: number;
  /** Only the non-transparent pixels: their x, y within the sprite and RGBA as little-endian uint32. */
  dx: Int16Array;
  dy: Int16Array;
  px: Uint32Array;
}

const cache = new Map<string, Sprite[]>();

export const newCanvas = (w: number, h: number): AnyCanvas => {
  if (typeof OffscreenCanvas !== 'undefined') return new OffscreenCanvas(w, h);
  const c = document.createElement('canvas');
  c.width = w;
  c.height = h;
  return c;
};

export const context2d = (c: AnyCanvas, opts?: CanvasRenderingContext2DSettings): AnyContext =>
  c.getContext('2d', opts) as AnyContext;

/** Sprites of every look (indexed as LOOKS) at radius `r` CSS pixels on a `dpr` screen. */
export function spritesFor(r: number, dpr: number): Sprite[] {
  const key = `${r}:${dpr}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const size = Math.ceil((r * 1.3 + 2) * 2 * dpr) + 2;
  const sprites = LOOKS.map((look) => {
    const ctx = context2d(newCanvas(size, size), { willReadFrequently: true });
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.lineJoin = 'round';
    ctx.beginPath();
    addShape(ctx, look, size / dpr / 2, size / dpr / 2, r);
    ctx.fillStyle = look === 'unknown' ? '#9e9e9e' : COLOUR[look];
    ctx.fill(look === 'unknown' ? 'evenodd' : 'nonzero');
    ctx.lineWidth = r >= 7 ? 1.5 : 1;
    ctx.strokeStyle = look === 'unknown' ? '#424242' : '#1a1a1a';
    ctx.stroke();
    const all = new Uint32Array(ctx.getImageData(0, 0, size, size).data.buffer.slice(0));
    const keep: number[] = [];
    all.forEach((v, k) => {
      if (v >>> 24 >= 24) keep.push(k);
    });
    return {
      size,
      dx: Int16Array.from(keep, (k) => k % size),
      dy: Int16Array.from(keep, (k) => Math.floor(k / size)),
      px: Uint32Array.from(keep, (k) => all[k]!),
    };
  });
  cache.set(key, sprites);
  return sprites;
}

/**
 * Copies a sprite centred on (cx, cy) device pixels into a W x H buffer. An opaque pixel always
 * wins; a half-transparent edge pixel only fills an empty one, so overlapping shapes stay crisp.
 */
export function blit(dst: Uint32Array, W: number, H: number, s: Sprite, cx: number, cy: number): void {
  const x0 = Math.round(cx - s.size / 2);
  const y0 = Math.round(cy - s.size / 2);
  const { dx, dy, px } = s;
  const inside = x0 >= 0 && y0 >= 0 && x0 + s.size <= W && y0 + s.size <= H;
  for (let k = 0; k < px.length; k++) {
    const x = x0 + dx[k]!;
    const y = y0 + dy[k]!;
    if (!inside && (x < 0 || y < 0 || x >= W || y >= H)) continue;
    const at = y * W + x;
    const v = px[k]!;
    if (v >>> 24 === 255 || dst[at] === 0) dst[at] = v;
  }
}
