// Answers the staff should know about but that need no action: a report refused (and dropped)
// and why, or one the server did not use because it already had a newer one.
import { h, setChildren } from '../../lib/dom.js';
import { t } from '../texts.js';
import { clock, type Actions, type ViewModel } from './model.js';

function reason(code: string, l: ViewModel['lang']): string {
  const key = `why.${code}`;
  const text = t(key, {}, l);
  return text === key ? t('why.other', { code }, l) : text;
}

export function createNotices(actions: Actions) {
  const el = h('div', { class: 'notices', id: 'notices', 'aria-live': 'assertive' });

  function render(m: ViewModel): void {
    const l = m.lang;
    const items = m.reporter.notices.map((n) => {
      const params = n.key === 'msg.rejected' ? { ...n.params, why: reason(String(n.params.code), l) } : n.params;
      return h(
        'div',
        { class: `notice ${n.kind}`, 'data-key': n.key },
        h('span', { class: 'notice-time' }, clock(n.at, l)),
        h('span', { class: 'notice-text' }, t(n.key, params, l)),
        h('button', { type: 'button', class: 'dismiss', 'aria-label': '×', onclick: () => actions.dismiss(n.at) }, '×'),
      );
    });
    if (!m.storageOk)
      items.unshift(
        h('div', { class: 'notice error' }, h('span', { class: 'notice-text' }, t('screen.storage', {}, l))),
      );
    setChildren(el, ...items);
    el.hidden = items.length === 0;
  }
  return { el, render };
}
