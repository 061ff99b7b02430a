// The top line: title, demo badge, the server's time, connection state and how old the data is.
// A wall is read from across the room, so a lost connection blinks red rather than hiding in a corner.
import { h } from '../lib/dom.js';
import type { ConnectionState } from '../lib/live.js';
import { setText } from './fixed-list.js';
import type { T } from './i18n.js';

/** Past this without any update the age turns amber: a busy city changes every few seconds. */
const QUIET_MS = 2 * 60_000;

export function headView(t: T, title: string, demoLabel: string, timezone: string) {
  const clock = h('span', { class: 'clock' });
  const connText = h('span', {});
  const status = h('span', { class: 'status', 'data-connected': 'false' }, h('span', { class: 'dot' }), connText);
  const age = h('span', { class: 'age' });
  const demo = h('span', { class: 'badge-demo', hidden: true }, demoLabel);
  const root = h(
    'header',
    { class: 'w-head' },
    h('h1', {}, title),
    demo,
    h('span', { class: 'spacer' }),
    age,
    status,
    clock,
  );
  const fmt = new Intl.DateTimeFormat('zh-CN', {
    timeZone: timezone,
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  });

  return {
    root,
    setDemo(on: boolean) {
      demo.hidden = !on;
    },
    /** `serverNow` for the clock; ages use the screen's own clock, like `lastDataAt`. */
    render(state: ConnectionState, serverNow: number) {
      setText(clock, fmt.format(serverNow));
      status.dataset.connected = String(state.connected);
      setText(connText, state.connected ? t('conn.live') : t('conn.down'));
      if (state.lastDataAt === null) {
        setText(age, t('age.none'));
        return;
      }
      const ms = Math.max(0, Date.now() - state.lastDataAt);
      const ago =
        ms < 60_000 ? t('age.sec', { n: Math.floor(ms / 1000) }) : t('ago.min', { n: Math.floor(ms / 60_000) });
      setText(age, t('age.last', { ago }));
      age.dataset.stale = String(ms > QUIET_MS || !state.connected);
    },
  };
}
