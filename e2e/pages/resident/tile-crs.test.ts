// TILE_CRS on the resident page, in real Chromium over real (local, one-colour) tiles: sites,
// their labels and the resident's position are drawn where the tiles put them, which for GCJ-02
// tiles (AutoNavi/Gaode) is the WGS-84 registry position moved by gcoord; a point picked on such a
// map is measured from in WGS-84 again. Where the tiles put a point is worked out from the tile
// images on screen (testing/pages/tiles.ts), not from the page's own code.
import gcoord from 'gcoord';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { TileCrs } from '../../../shared/schemas.js';
import { startTestApp, type TestApp } from '../../../testing/server/app.js';
import { browserForTests, launchBrowser } from '../../../testing/server/browser.js';
import { issueAndReport, openResident, residentSites } from '../../../testing/pages/resident.js';
import {
  centreOf,
  offScreen,
  onScreen,
  paintedAround,
  pixelsApart,
  startTileServer,
  tileFrame,
  type TileFrame,
  type TileServer,
} from '../../../testing/pages/tiles.js';

const hasBrowser = browserForTests();
const near = residentSites().find((s) => s.id === 'near')!;

/** A WGS-84 point as GCJ-02 tiles show it, straight from gcoord, as [lat, lng]. */
const gcj = (p: { lat: number; lng: number }): [number, number] => {
  const [lng, lat] = gcoord.transform([p.lng, p.lat], gcoord.WGS84, gcoord.GCJ02) as [number, number];
  return [lat, lng];
};
const wgs = (p: { lat: number; lng: number }): [number, number] => [p.lat, p.lng];

/** Metres between two WGS-84 points (haversine). */
function metres(a: { lat: number; lng: number }, b: { lat: number; lng: number }): number {
  const rad = Math.PI / 180;
  const h =
    Math.sin(((b.lat - a.lat) * rad) / 2) ** 2 +
    Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(((b.lng - a.lng) * rad) / 2) ** 2;
  return 2 * 6_371_008.8 * Math.asin(Math.sqrt(h));
}

/** The tile frame once the map has settled (no zoom or pan under way). */
async function settledFrame(page: Page): Promise<TileFrame> {
  let frame: TileFrame | null = null;
  await expect.poll(async () => (frame = await tileFrame(page, '#map')) !== null).toBe(true);
  return frame!;
}

describe.skipIf(!hasBrowser).each<TileCrs>(['gcj02', 'wgs84'])('resident map over %s tiles', (crs) => {
  let tiles: TileServer;
  let t: TestApp;
  let browser: Browser;
  /** Where this map must draw a WGS-84 point, and where it must not. */
  const right = crs === 'gcj02' ? gcj : wgs;
  const wrong = crs === 'gcj02' ? wgs : gcj;

  beforeAll(async () => {
    tiles = await startTileServer();
    t = await startTestApp({ sites: residentSites(), config: { tileUrl: tiles.url, tileCrs: crs } });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await tiles?.close();
  });

  it(`when the page loads, then /api/meta says ${crs} and a site's label sits where the tiles put it`, async () => {
    expect((await (await fetch(`${t.url}/api/meta`)).json()).tileCrs).toBe(crs);
    const { page, errors } = await openResident(browser, t);
    const label = '.site-labels [data-site-id="near"]';
    await expect
      .poll(async () => {
        const at = await centreOf(page, label);
        const f = await tileFrame(page, '#map');
        return at && f ? pixelsApart(at, onScreen(f, ...right(near))) : Infinity;
      })
      .toBeLessThan(3);
    // Far from the other datum's position: at this zoom the two are tens of pixels apart.
    const f = await settledFrame(page);
    expect(pixelsApart((await centreOf(page, label))!, onScreen(f, ...wrong(near)))).toBeGreaterThan(15);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('when zoomed out so that sites are painted on the canvas (by the feed worker), then they are painted there too', async () => {
    // A known level draws a filled shape, so its middle is paint rather than a ring's hole.
    await issueAndReport(t, 'near', { queue: 1 });
    const { page, errors } = await openResident(browser, t);
    const zoom = () => page.evaluate(() => Number(document.getElementById('map')!.dataset.zoom));
    while ((await zoom()) > 12) {
      const before = await zoom();
      await page.locator('.leaflet-control-zoom-out').click();
      await expect.poll(zoom).toBeLessThan(before);
    }
    await expect.poll(() => page.locator('.site-labels [data-site-id]').count()).toBe(0);
    await expect.poll(async () => paintedAround(page, onScreen(await settledFrame(page), ...right(near)), 2)).toBe(25);
    // The other datum's position, ~18 pixels away at zoom 12, is bare tile.
    await expect.poll(async () => paintedAround(page, onScreen(await settledFrame(page), ...wrong(near)), 2)).toBe(0);
    // A search that leaves it out changes the picture but not the view: painted again without it,
    // and with it once more when the search is cleared.
    const search = page.locator('#site-search');
    await search.fill('东边');
    await expect.poll(async () => paintedAround(page, onScreen(await settledFrame(page), ...right(near)), 2)).toBe(0);
    await search.fill('');
    await expect.poll(async () => paintedAround(page, onScreen(await settledFrame(page), ...right(near)), 2)).toBe(25);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('when a point is picked on the map, then distances are measured from it in WGS-84 and the dot sits on it', async () => {
    const { page, errors } = await openResident(browser, t);
    await page.getByRole('button', { name: '在地图上选点' }).click();
    await expect
      .poll(() => page.evaluate(() => document.getElementById('map')!.classList.contains('picking')))
      .toBe(true);
    // 30 pixels below the site as drawn: clear of its label, a few hundred metres away.
    const before = await settledFrame(page);
    const site = onScreen(before, ...right(near));
    const tap = { x: Math.round(site.x), y: Math.round(site.y) + 30 };
    await page.mouse.click(tap.x, tap.y);
    const tapped = offScreen(before, tap);
    const [lat, lng] =
      crs === 'gcj02'
        ? [...(gcoord.transform([tapped.lng, tapped.lat], gcoord.GCJ02, gcoord.WGS84) as [number, number])].reverse()
        : [tapped.lat, tapped.lng];
    const expected = metres({ lat: lat!, lng: lng! }, near);
    const shown = async () => {
      const text = await page.evaluate(
        () => document.querySelector('.site-list li[data-site-id="near"] .facts')?.textContent ?? '',
      );
      const m = /([\d.]+) (米|公里)/.exec(text);
      return m ? Number(m[1]) * (m[2] === '公里' ? 1000 : 1) : NaN;
    };
    // The list rounds to 10 m; a pixel of the tap is ~10-20 m at these zooms.
    await expect.poll(async () => Math.abs((await shown()) - expected)).toBeLessThanOrEqual(25);
    // The "you are here" dot is drawn where the tap was, after the map centred on it.
    await expect
      .poll(async () => {
        const dot = await centreOf(page, '.you-marker:not([hidden])');
        const f = await tileFrame(page, '#map');
        return dot && f ? pixelsApart(dot, onScreen(f, tapped.lat, tapped.lng)) : Infinity;
      })
      .toBeLessThan(3);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
