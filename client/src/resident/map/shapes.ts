// Level shapes on the canvas, added to one path per look so that 50,000 sites are a handful of
// fill() calls rather than 50,000.
import type { Look } from '../looks.js';

/** The path-building calls both canvas kinds (on the page and in a worker) share. */
export type PathSink = Pick<CanvasRenderingContext2D, 'moveTo' | 'lineTo' | 'arc' | 'closePath' | 'rect'>;

export function addShape(ctx: PathSink, look: Look, x: number, y: number, r: number): void {
  switch (look) {
    case 'low':
      ctx.moveTo(x + r, y);
      ctx.arc(x, y, r, 0, Math.PI * 2);
      break;
    case 'medium':
      ctx.moveTo(x, y - r * 1.2);
      ctx.lineTo(x + r * 1.2, y);
      ctx.lineTo(x, y + r * 1.2);
      ctx.lineTo(x - r * 1.2, y);
      ctx.closePath();
      break;
    case 'high':
      ctx.moveTo(x, y - r * 1.25);
      ctx.lineTo(x + r * 1.2, y + r * 0.9);
      ctx.lineTo(x - r * 1.2, y + r * 0.9);
      ctx.closePath();
      break;
    case 'closed': {
      const a = r * 0.85;
      const w = Math.max(1.5, r * 0.35);
      // An X as one outline polygon, so it fills and strokes like the other shapes.
      ctx.moveTo(x - a, y - a + w);
      ctx.lineTo(x - a + w, y - a);
      ctx.lineTo(x, y - w);
      ctx.lineTo(x + a - w, y - a);
      ctx.lineTo(x + a, y - a + w);
      ctx.lineTo(x + w, y);
      ctx.lineTo(x + a, y + a - w);
      ctx.lineTo(x + a - w, y + a);
      ctx.lineTo(x, y + w);
      ctx.lineTo(x - a + w, y + a);
      ctx.lineTo(x - a, y + a - w);
      ctx.lineTo(x - w, y);
      ctx.closePath();
      break;
    }
    case 'paused': {
      const bw = r * 0.55;
      ctx.rect(x - r, y - r, bw, r * 2);
      ctx.rect(x + r - bw, y - r, bw, r * 2);
      break;
    }
    case 'unknown':
      // Hollow ring: "no number" must not look like a (grey) number.
      ctx.moveTo(x + r, y);
      ctx.arc(x, y, r, 0, Math.PI * 2);
      ctx.moveTo(x + r * 0.45, y);
      ctx.arc(x, y, r * 0.45, 0, Math.PI * 2, true);
      break;
  }
}
