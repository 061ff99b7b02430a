// Whole-screen states instead of the reporting screen: not enrolled, revoked, enrolment waiting
// for the network. Each says what happened and what to do, in words a volunteer can act on.
import { h, setChildren } from '../../lib/dom.js';
import type { Lang } from '../../lib/i18n.js';
import { t } from '../texts.js';

export type Screen = 'loading' | 'notEnrolled' | 'revoked' | 'needNetwork';

export function createScreen(onLang: () => void) {
  const el = h('section', { class: 'screen', id: 'screen', role: 'alert' });

  function render(screen: Screen, lang: Lang, extra: { pending?: number; siteName?: string | null } = {}): void {
    el.dataset.screen = screen;
    const lang2 = h('button', { type: 'button', class: 'lang', onclick: onLang }, t('lang.switch', {}, lang));
    if (screen === 'loading') {
      setChildren(el, h('p', { class: 'screen-body' }, t('screen.loading', {}, lang)));
      return;
    }
    // Plain characters every tablet font has; the ring around them is CSS.
    const icon = { notEnrolled: '?', revoked: '!', needNetwork: '…' }[screen];
    setChildren(
      el,
      h('div', { class: 'screen-icon', 'aria-hidden': 'true' }, icon),
      h('h1', { class: 'screen-title' }, t(`screen.${screen}.title`, {}, lang)),
      extra.siteName ? h('p', { class: 'screen-site' }, extra.siteName) : null,
      h('p', { class: 'screen-body' }, t(`screen.${screen}.body`, {}, lang)),
      screen === 'revoked' && extra.pending
        ? h('p', { class: 'screen-body strong' }, t('screen.revoked.pending', { n: extra.pending }, lang))
        : null,
      lang2,
    );
  }
  return { el, render };
}
