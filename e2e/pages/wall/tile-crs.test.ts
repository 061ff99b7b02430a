// TILE_CRS on the command centre's wall, in real Chromium over local one-colour tiles: every site
// is drawn where the tiles put it, which for GCJ-02 tiles is its WGS-84 position moved by gcoord.
import gcoord from 'gcoord';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { TileCrs } from '../../../shared/schemas.js';
import { browserForTests, launchBrowser, VIEWPORTS } from '../../../testing/server/browser.js';
import { residentSites } from '../../../testing/pages/resident.js';
import { openWall, startWallApp } from '../../../testing/pages/wall.js';
import {
  centreOf,
  onScreen,
  pixelsApart,
  startTileServer,
  tileFrame,
  type TileServer,
} from '../../../testing/pages/tiles.js';

const hasBrowser = browserForTests();
/** Five sites within ~2 km, so the wall zooms in far enough for the datum shift to be plain. */
const sites = residentSites();

const gcj = (p: { lat: number; lng: number }): [number, number] => {
  const [lng, lat] = gcoord.transform([p.lng, p.lat], gcoord.WGS84, gcoord.GCJ02) as [number, number];
  return [lat, lng];
};
const wgs = (p: { lat: number; lng: number }): [number, number] => [p.lat, p.lng];

describe.skipIf(!hasBrowser).each<TileCrs>(['gcj02', 'wgs84'])('wall map over %s tiles', (crs) => {
  let tiles: TileServer;
  let t: Awaited<ReturnType<typeof startWallApp>>;
  let browser: Browser;
  const right = crs === 'gcj02' ? gcj : wgs;
  const wrong = crs === 'gcj02' ? wgs : gcj;

  beforeAll(async () => {
    tiles = await startTileServer();
    t = await startWallApp({ sites, config: { tileUrl: tiles.url, tileCrs: crs } });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await tiles?.close();
  });

  it(`when the wall is shown, then every site sits where the ${crs} tiles put it`, async () => {
    const { page, context, errors } = await openWall(browser, t, VIEWPORTS.wall);
    const apart = async (at: (p: { lat: number; lng: number }) => [number, number]) => {
      const f = await tileFrame(page, '.map');
      if (!f) return [Infinity];
      const out: number[] = [];
      for (const s of sites) {
        const c = await centreOf(page, `.map path[data-site-id="${s.id}"]`);
        out.push(c ? pixelsApart(c, onScreen(f, ...at(s))) : Infinity);
      }
      return out;
    };
    await expect.poll(async () => Math.max(...(await apart(right)))).toBeLessThan(2);
    // The other datum's place is well off: tens of pixels at the zoom these five sites get.
    expect(Math.min(...(await apart(wrong)))).toBeGreaterThan(15);
    expect(errors).toEqual([]);
    await context.close();
  });
});
