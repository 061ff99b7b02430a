// /board: a screen at a gate or an entrance, unattended for weeks. It never shows old numbers as
// current: when the server or the network goes away the page says how old its data is, greys the
// waits, and reconnects by itself (Socket.IO retries; a health poll catches silent network loss).
import '../lib/zod-csp.js';
import './board.css';
import { z } from 'zod';
import { inArea } from '../../../shared/areas.js';
import { langOf, word } from '../../../shared/plain-words.js';
import { NoticeSchema, SiteSchema, type Notice, type Site } from '../../../shared/schemas.js';
import { LiveFeed } from '../lib/live.js';
import { createBoard } from './view.js';

const params = new URLSearchParams(location.search);
const lang = langOf(params.get('lang'));
document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
document.documentElement.dataset.connection = 'connecting';

const RETRY_MS = 5000;
const SitesBody = z.object({ sites: z.array(SiteSchema) });

async function loadSites(): Promise<Site[]> {
  for (;;) {
    try {
      const res = await fetch('/api/sites');
      if (res.ok) return SitesBody.parse(await res.json()).sites;
    } catch {
      /* the server may be restarting: try again */
    }
    await new Promise((r) => setTimeout(r, RETRY_MS));
  }
}

function pick(all: Site[]): Site[] {
  const ids = params
    .get('sites')
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (ids?.length) {
    const byId = new Map(all.map((s) => [s.id, s]));
    return ids.map((id) => byId.get(id)).filter((s): s is Site => s !== undefined);
  }
  const area = params.get('area');
  return area ? all.filter((s) => inArea(s, area)) : all.slice(0, 12);
}

async function start(): Promise<void> {
  const root = document.getElementById('app')!;
  const sites = pick(await loadSites());
  const area = params.get('area');
  const litePath = area ? `/lite?area=${encodeURIComponent(area)}` : params.get('sites') ? `/lite?q=` : '/lite';
  const board = await createBoard(root, {
    lang,
    sites,
    homeUrl: `${location.origin}/`,
    liteUrl: `${location.origin}${litePath}`,
  });
  const feed = new LiveFeed();
  feed.onChange((changed, all, full) => {
    board.live(full ? [...all.values()] : changed);
    // Which frame the screen shows, for tests and for anyone checking a screen remotely.
    document.documentElement.dataset.version = String(feed.version);
  });
  feed.socket.on('notices:updated', (list: Notice[]) => board.notices(list));
  const loadNotices = () =>
    fetch('/api/notices')
      .then((r) => r.json())
      .then((b: unknown) => board.notices(z.object({ notices: z.array(NoticeSchema) }).parse(b).notices))
      .catch(() => undefined);
  void loadNotices();
  feed.socket.on('connect', () => void loadNotices());

  // A lost Wi-Fi or a dead proxy does not always close the socket: ask the server directly.
  let healthy = true;
  const probe = async () => {
    try {
      const r = await fetch('/healthz', { cache: 'no-store', signal: AbortSignal.timeout(2500) });
      healthy = r.ok;
    } catch {
      healthy = false;
    }
  };
  setInterval(() => void probe(), 2000);
  setInterval(
    () => board.tick(Date.now(), feed.state.connected && healthy && feed.version >= 0, feed.state.lastDataAt),
    1000,
  );
  board.tick(Date.now(), false, null);
}

void start();
document.title = word(lang, 'boardTitle');
