// Paints the sites of one view into a canvas, on the page or in the feed worker. A generator: it
// yields every few hundred sites so that, on the page, the caller can spread the work over short
// tasks; a worker simply runs it to the end. Pixels go to an off-screen buffer that is shown in
// one step, so nobody ever sees half a picture.
import { blit, context2d, spritesFor, type AnyCanvas } from './sprites.js';

export interface PaintView {
  seq: number;
  /** Canvas size in device pixels, and the device pixel ratio. */
  W: number;
  H: number;
  dpr: number;
  /** Site i is drawn at CSS pixel (px[i] * scale + offX, py[i] * scale + offY). */
  scale: number;
  offX: number;
  offY: number;
  r: number;
  /** Ringed as the open site (-1: none). */
  selected: number;
  /** Sites shown as DOM labels instead. */
  skip: number[];
  /** District names at zoom-0 positions, drawn when there is no base map. */
  districts: Array<{ name: string; x: number; y: number }> | null;
}

export interface PaintSource {
  n: number;
  px: ArrayLike<number>;
  py: ArrayLike<number>;
  visible(i: number): boolean;
  /** Index into LOOKS. */
  lookCode(i: number): number;
}

const STEP = 256;

export class Painter {
  private buffer: { image: ImageData; px: Uint32Array } | null = null;

  constructor(private readonly canvas: AnyCanvas) {}

  *paint(v: PaintView, s: PaintSource): Generator<void, void> {
    const { W, H, dpr, scale, offX, offY, r } = v;
    if (W === 0 || H === 0) return;
    const skip = new Set(v.skip);
    const sprites = spritesFor(r, dpr);
    // Counting sort by look, so that the important looks end up on top.
    const byLook: number[][] = sprites.map(() => []);
    const wCss = W / dpr;
    const hCss = H / dpr;
    for (let i = 0; i < s.n; i++) {
      if (i % (STEP * 8) === 0) yield;
      if (!s.visible(i) || skip.has(i)) continue;
      const x = s.px[i]! * scale + offX;
      const y = s.py[i]! * scale + offY;
      if (x < -r * 2 || y < -r * 2 || x > wCss + r * 2 || y > hCss + r * 2) continue;
      byLook[s.lookCode(i)]!.push(i);
    }
    if (this.buffer?.image.width !== W || this.buffer.image.height !== H) {
      const image = new ImageData(W, H);
      this.buffer = { image, px: new Uint32Array(image.data.buffer) };
    }
    const { image, px } = this.buffer;
    yield;
    px.fill(0);
    let k = 0;
    for (let look = 0; look < byLook.length; look++) {
      for (const i of byLook[look]!) {
        if (++k % STEP === 0) yield;
        blit(px, W, H, sprites[look]!, (s.px[i]! * scale + offX) * dpr, (s.py[i]! * scale + offY) * dpr);
      }
    }
    if (this.canvas.width !== W || this.canvas.height !== H) {
      this.canvas.width = W;
      this.canvas.height = H;
    }
    const ctx = context2d(this.canvas);
    ctx.putImageData(image, 0, 0);
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    if (v.selected >= 0 && v.selected < s.n && !skip.has(v.selected)) {
      ctx.beginPath();
      ctx.arc(s.px[v.selected]! * scale + offX, s.py[v.selected]! * scale + offY, r + 5, 0, Math.PI * 2);
      ctx.lineWidth = 3;
      ctx.strokeStyle = '#0b57d0';
      ctx.stroke();
    }
    if (v.districts) {
      ctx.font = '600 14px system-ui, "Noto Sans CJK SC", "Microsoft YaHei", sans-serif';
      ctx.textAlign = 'center';
      ctx.lineWidth = 4;
      ctx.strokeStyle = 'rgba(255,255,255,0.9)';
      ctx.fillStyle = '#37474f';
      const boxes: Array<[number, number, number, number]> = [];
      for (const d of v.districts) {
        const x = d.x * scale + offX;
        const y = d.y * scale + offY;
        const half = ctx.measureText(d.name).width / 2 + 4;
        const box: [number, number, number, number] = [x - half, y - 32, x + half, y - 8];
        if (boxes.some((b) => b[0] < box[2] && box[0] < b[2] && b[1] < box[3] && box[1] < b[3])) continue;
        boxes.push(box);
        ctx.strokeText(d.name, x, y - 14);
        ctx.fillText(d.name, x, y - 14);
      }
    }
  }
}
