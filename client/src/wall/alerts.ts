// Alerts on the wall: polled from GET /api/alerts (the alert loop runs every ALERT_EVAL_MS on the
// server, so a few seconds of polling adds little delay and needs no new socket event). A new alert
// flashes the panel and beeps (WebAudio; mutable, remembered on this screen). In admin mode each
// open alert can be acknowledged; who did is asked once and remembered.
import { AlertListSchema, type Alert } from '../../../shared/alerts.js';
import type { LiveState, Site } from '../../../shared/schemas.js';
import { h } from '../lib/dom.js';
import { fixedList, setText } from './fixed-list.js';
import { duration, type T } from './i18n.js';

const POLL_MS = 5_000;
const ROWS = 5;
const MUTE_KEY = 'shortline.wall.muted';
const WHO_KEY = 'shortline.wall.ackBy';
const FLASH_MS = 4_000;

const stored = (k: string) => {
  try {
    return localStorage.getItem(k);
  } catch {
    return null;
  }
};
const store = (k: string, v: string) => {
  try {
    localStorage.setItem(k, v);
  } catch {
    /* a kiosk without storage: for this page view only */
  }
};

/** Two short tones; browsers allow sound only after a first tap on the page (or with the kiosk's autoplay flag). */
function beep(ctx: AudioContext): void {
  const now = ctx.currentTime;
  for (const [at, f] of [
    [0, 880],
    [0.25, 660],
  ] as const) {
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.frequency.value = f;
    gain.gain.setValueAtTime(0.0001, now + at);
    gain.gain.exponentialRampToValueAtTime(0.3, now + at + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, now + at + 0.2);
    osc.connect(gain).connect(ctx.destination);
    osc.start(now + at);
    osc.stop(now + at + 0.22);
  }
}

export interface AlertsDeps {
  t: T;
  byId: ReadonlyMap<string, Site>;
  liveOf: (id: string) => LiveState | undefined;
  serverNow: () => number;
  /** Present in admin mode. */
  acknowledge?: (id: string, by: string) => Promise<void>;
}

export function alertsView(d: AlertsDeps) {
  const { t } = d;
  let muted = stored(MUTE_KEY) === '1';
  let audio: AudioContext | null = null;
  const muteBtn = h('button', { type: 'button', class: 'mute', 'data-action': 'mute' });
  const showMute = () => {
    muteBtn.textContent = muted ? t('alert.unmute') : t('alert.mute');
    muteBtn.dataset.muted = String(muted);
  };
  muteBtn.addEventListener('click', () => {
    muted = !muted;
    store(MUTE_KEY, muted ? '1' : '0');
    // The tap also unlocks audio for the page.
    audio ??= new AudioContext();
    void audio.resume();
    showMute();
  });
  showMute();

  const list = fixedList<Alert>({
    className: 'list-alerts',
    rows: ROWS,
    cells: ['chip', 'name', 'rule', 'age', 'ack'],
    empty: t('alert.none'),
    site: (a) => ({ id: a.siteId, level: d.liveOf(a.siteId)?.level ?? 'unknown' }),
    fill(c, a) {
      c.chip!.className = `chip chip-${d.liveOf(a.siteId)?.level ?? 'unknown'}`;
      setText(c.name!, d.byId.get(a.siteId)?.name ?? a.siteId);
      setText(c.rule!, t(`alert.${a.rule}`, { v: a.value }));
      setText(c.age!, duration(t, d.serverNow() - Date.parse(a.openedAt)));
      const li = c.name!.parentElement!;
      li.dataset.alert = a.id;
      li.dataset.new = String(fresh.has(a.id));
      if (a.acknowledgedBy) {
        c.ack!.replaceChildren(t('alert.acked', { by: a.acknowledgedBy }));
      } else if (d.acknowledge) {
        const btn = h('button', { type: 'button', class: 'tap', 'data-ack': a.id }, t('alert.ack'));
        btn.addEventListener('click', () => {
          const by = stored(WHO_KEY) ?? prompt(t('alert.who'))?.trim();
          if (!by) return;
          store(WHO_KEY, by);
          btn.disabled = true;
          d.acknowledge!(a.id, by).then(
            () => void poll(),
            () => (btn.disabled = false),
          );
        });
        c.ack!.replaceChildren(btn);
      } else {
        c.ack!.replaceChildren(t('alert.unacked'));
      }
    },
  });
  list.root.dataset.list = 'alerts';
  const count = h('small', {});
  const root = h(
    'section',
    { class: 'panel alerts-panel' },
    h('h2', {}, h('span', {}, t('alert.title'), ' ', count), muteBtn),
    list.root,
  );

  let known: Set<string> | null = null;
  const fresh = new Set<string>();
  let open: Alert[] = [];
  const render = () => {
    setText(count, t('alert.count', { n: open.length }));
    list.render(open);
  };

  async function poll(): Promise<void> {
    try {
      const res = await fetch('/api/alerts', { cache: 'no-store' });
      if (!res.ok) return;
      const all = AlertListSchema.parse(await res.json()).alerts;
      open = all
        .filter((a) => a.resolvedAt === null)
        .sort(
          (a, b) =>
            Number(a.acknowledgedAt !== null) - Number(b.acknowledgedAt !== null) ||
            Date.parse(b.openedAt) - Date.parse(a.openedAt),
        );
      // The first answer is the state of things, not news: only alerts after it flash and beep.
      const news = known === null ? [] : open.filter((a) => !known!.has(a.id));
      known = new Set(all.map((a) => a.id));
      if (news.length) {
        for (const a of news) fresh.add(a.id);
        root.classList.remove('flash');
        void root.offsetWidth; // restart the animation
        root.classList.add('flash');
        root.dataset.newAlerts = String(news.length);
        setTimeout(() => {
          for (const a of news) fresh.delete(a.id);
          root.classList.remove('flash');
          render();
        }, FLASH_MS);
        if (!muted) {
          try {
            audio ??= new AudioContext();
            beep(audio);
          } catch {
            /* no audio device */
          }
        }
      }
      render();
    } catch {
      /* next poll */
    }
  }
  render();
  void poll();
  setInterval(() => void poll(), POLL_MS);
  return { root, render };
}
