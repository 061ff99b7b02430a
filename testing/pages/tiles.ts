// A local tile server for map tests (the internet's tiles never load here), and the arithmetic to
// find where the tiles a page shows put a given point: the reference a test compares sites with.
// The Web Mercator formulas are written out here, independently of the page's map/project.ts.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { crc32, deflateSync } from 'node:zlib';
import type { Page } from 'playwright-core';

/** The tiles' one colour, so a test can tell a site drawn on them from the tiles themselves. */
export const TILE_RGB = [236, 236, 236] as const;

/** A 1x1 PNG of one colour (Leaflet stretches it to 256 pixels). */
function solidPng([r, g, b]: readonly number[]): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const out = Buffer.alloc(body.length + 8);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body), body.length + 4);
    return out;
  };
  const ihdr = Buffer.from([0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0]); // 1x1, 8-bit RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.from([0, r!, g!, b!]))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

export interface TileServer {
  /** A TILE_URL template for this server. */
  url: string;
  close(): Promise<void>;
}

/** Serves the same plain tile for every `/{z}/{x}/{y}.png`, on a free port. */
export async function startTileServer(): Promise<TileServer> {
  const png = solidPng(TILE_RGB);
  const server = createServer((req, res) => {
    const ok = /^\/\d+\/\d+\/\d+\.png$/.test(req.url ?? '');
    res.writeHead(ok ? 200 : 404, { 'content-type': ok ? 'image/png' : 'text/plain' });
    res.end(ok ? png : 'not a tile');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/{z}/{x}/{y}.png`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

export interface Point {
  x: number;
  y: number;
}

/** World pixel of a point at zoom z (256-pixel tiles), as slippy-map tiles are numbered. */
export function worldPixel(lat: number, lng: number, z: number): Point {
  const size = 256 * 2 ** z;
  const phi = (lat * Math.PI) / 180;
  return {
    x: ((lng + 180) / 360) * size,
    y: ((1 - Math.log(Math.tan(phi) + 1 / Math.cos(phi)) / Math.PI) / 2) * size,
  };
}

/** The point at a world pixel of zoom z. */
export function fromWorldPixel(p: Point, z: number): { lat: number; lng: number } {
  const size = 256 * 2 ** z;
  const n = Math.PI * (1 - (2 * p.y) / size);
  return { lat: (Math.atan(Math.sinh(n)) * 180) / Math.PI, lng: (p.x / size) * 360 - 180 };
}

/** How the loaded tiles of the deepest zoom on screen sit: zoom, and screen = world * scale + offset. */
export interface TileFrame {
  z: number;
  scale: number;
  offset: Point;
}

/**
 * Reads the tile images on screen. Null until they agree with each other (a zoom or pan still
 * under way), so callers poll it.
 */
export async function tileFrame(page: Page, mapSelector: string): Promise<TileFrame | null> {
  const tiles = await page.evaluate((sel) => {
    const out: Array<{ src: string; left: number; top: number; width: number }> = [];
    for (const img of document.querySelectorAll<HTMLImageElement>(`${sel} img.leaflet-tile-loaded`)) {
      const r = img.getBoundingClientRect();
      out.push({ src: img.src, left: r.left, top: r.top, width: r.width });
    }
    return out;
  }, mapSelector);
  const parsed = tiles.flatMap((t) => {
    const m = /\/(\d+)\/(\d+)\/(\d+)\.png$/.exec(t.src);
    return m ? [{ ...t, z: Number(m[1]), x: Number(m[2]), y: Number(m[3]) }] : [];
  });
  if (parsed.length === 0) return null;
  const z = Math.max(...parsed.map((t) => t.z));
  const frames = parsed
    .filter((t) => t.z === z)
    .map((t) => {
      const scale = t.width / 256;
      return { z, scale, offset: { x: t.left - t.x * 256 * scale, y: t.top - t.y * 256 * scale } };
    });
  const [first] = frames;
  const agree = frames.every(
    (f) =>
      Math.abs(f.scale - first!.scale) < 1e-3 &&
      Math.abs(f.offset.x - first!.offset.x) < 1 &&
      Math.abs(f.offset.y - first!.offset.y) < 1,
  );
  return agree ? first! : null;
}

/** Where the tiles show a point given in their datum, in page (CSS) pixels. */
export function onScreen(f: TileFrame, lat: number, lng: number): Point {
  const w = worldPixel(lat, lng, f.z);
  return { x: w.x * f.scale + f.offset.x, y: w.y * f.scale + f.offset.y };
}

/** The point (in the tiles' datum) the tiles show at a page pixel. */
export function offScreen(f: TileFrame, p: Point): { lat: number; lng: number } {
  return fromWorldPixel({ x: (p.x - f.offset.x) / f.scale, y: (p.y - f.offset.y) / f.scale }, f.z);
}

/** The centre of an element's box, in page pixels. */
export async function centreOf(page: Page, selector: string): Promise<Point | null> {
  return page.evaluate((sel) => {
    const el = document.querySelector(sel);
    if (!el) return null;
    const r = el.getBoundingClientRect();
    return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
  }, selector);
}

export const pixelsApart = (a: Point, b: Point): number => Math.hypot(a.x - b.x, a.y - b.y);

/**
 * How many pixels of a small square around `p` differ from the tile colour, read from a real
 * screenshot (decoded by the page's own PNG decoder): a site painted on a canvas leaves no element.
 */
export async function paintedAround(page: Page, p: Point, half = 3): Promise<number> {
  const clip = { x: Math.round(p.x) - half, y: Math.round(p.y) - half, width: 2 * half + 1, height: 2 * half + 1 };
  const png = (await page.screenshot({ clip })).toString('base64');
  return page.evaluate(
    async ({ png, tile: [r, g, b] }) => {
      const bytes = Uint8Array.from(atob(png), (c) => c.charCodeAt(0));
      const bmp = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
      const ctx = new OffscreenCanvas(bmp.width, bmp.height).getContext('2d')!;
      ctx.drawImage(bmp, 0, 0);
      const d = ctx.getImageData(0, 0, bmp.width, bmp.height).data;
      let differ = 0;
      for (let i = 0; i < d.length; i += 4)
        if (Math.abs(d[i]! - r) + Math.abs(d[i + 1]! - g) + Math.abs(d[i + 2]! - b) > 24) differ++;
      return differ;
    },
    { png, tile: TILE_RGB },
  );
}
