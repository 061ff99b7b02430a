// Screenshots of /lite, /board and /embed, to look at: `npx tsx scripts/screens/reach.ts [outDir]`.
// The bundled registry with a carrier reading for every site, a few staff reports and a notice;
// /lite on a 320 px phone (script off), /board at 1920x1080 and 1080x1920. Default: screenshots/.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  bundledSites,
  issueToken,
  report,
  startTestApp,
  TEST_ADMIN_TOKEN,
  type TestApp,
} from '../../testing/server/app.js';
import { launchBrowser } from '../../testing/server/browser.js';
import { sendCarrierBatch } from '../../testing/server/carrier.js';

const OUT = process.argv[2] ?? 'screenshots';
const AREA = encodeURIComponent('白沙街道');

export async function seedReach(): Promise<TestApp> {
  const sites = bundledSites();
  const t = await startTestApp({ sites, config: { frameMs: 200 } });
  const now = Date.now();
  const readings = sites.map((s, i) => ({ siteId: s.id, people: (i * 37) % 140, confidence: 0.7 }));
  const res = await sendCarrierBatch(t.url, readings, now, now - 90_000);
  if (!res.ok) throw new Error(`carrier: ${res.status}`);
  const baisha = sites.filter((s) => s.street === '白沙街道');
  for (const [i, s] of baisha.slice(0, 4).entries()) {
    const { token } = await issueToken(t, s.id);
    await report(t, token, s.id, {
      queue: [6, 45, 90, 20][i],
      ...(i === 3 ? { status: 'paused', pauseReason: 'break' } : {}),
    });
  }
  await fetch(`${t.url}/api/admin/notices`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ siteId: baisha[1]!.id, kind: 'info', message: '下午 3 点后增开 2 个通道', ttlMinutes: 60 }),
  });
  return t;
}

async function main() {
  mkdirSync(OUT, { recursive: true });
  const t = await seedReach();
  const browser = await launchBrowser();
  try {
    const lite = await browser.newContext({
      viewport: { width: 320, height: 900 },
      javaScriptEnabled: false,
      locale: 'zh-CN',
    });
    const p = await lite.newPage();
    await p.goto(`${t.url}/lite?area=${AREA}`);
    await p.screenshot({ path: join(OUT, 'lite-320.png') });
    await p.goto(`${t.url}/lite?area=${AREA}&lang=en`);
    await p.screenshot({ path: join(OUT, 'lite-320-en.png') });
    await p.goto(`${t.url}/lite`);
    await p.screenshot({ path: join(OUT, 'lite-320-home.png') });
    for (const [name, vp] of [
      ['board-1920x1080', { width: 1920, height: 1080 }],
      ['board-1080x1920', { width: 1080, height: 1920 }],
    ] as const) {
      const ctx = await browser.newContext({ viewport: vp, locale: 'zh-CN' });
      const b = await ctx.newPage();
      await b.goto(`${t.url}/board?area=${AREA}`);
      await b.waitForSelector('html[data-connection="live"] .card[data-level]');
      await b.screenshot({ path: join(OUT, `${name}.png`) });
      await ctx.close();
    }
  } finally {
    await browser.close();
    await t.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`)
  void main().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
