// Site status (open / paused with a reason / closed) and lanes open: each tap is a change like
// a count change, reported with the current count.
import { h } from '../../lib/dom.js';
import { PAUSE_REASONS, STATUSES } from '../choices.js';
import { t } from '../texts.js';
import type { Actions, ViewModel } from './model.js';

const MAX_LANES = 50;

export function createControls(actions: Actions) {
  let lanes = 0;
  const statusTitle = h('h2', { class: 'panel-title' });
  const statusButtons = STATUSES.map((s) =>
    h('button', {
      type: 'button',
      class: `seg status-${s}`,
      'data-status': s,
      onclick: () => actions.change(s === 'paused' ? { status: s, pauseReason: 'break' } : { status: s }),
    }),
  );
  const reasonTitle = h('h3', { class: 'sub-title' });
  const reasonButtons = PAUSE_REASONS.map((r) =>
    h('button', {
      type: 'button',
      class: 'chip',
      'data-reason': r,
      onclick: () => actions.change({ pauseReason: r }),
    }),
  );
  const reasons = h(
    'div',
    { class: 'reasons', id: 'reasons' },
    reasonTitle,
    h('div', { class: 'chips' }, ...reasonButtons),
  );

  const lanesTitle = h('h2', { class: 'panel-title' });
  const lanesValue = h('output', { class: 'lanes-value', id: 'lanes' });
  const lanesOf = h('span', { class: 'lanes-of' });
  const less = h(
    'button',
    {
      type: 'button',
      class: 'round',
      id: 'lanes-less',
      onclick: () => actions.change({ lanesOpen: Math.max(0, lanes - 1) }),
    },
    '−',
  );
  const more = h(
    'button',
    {
      type: 'button',
      class: 'round',
      id: 'lanes-more',
      onclick: () => actions.change({ lanesOpen: Math.min(MAX_LANES, lanes + 1) }),
    },
    '+',
  );

  const el = h(
    'section',
    { class: 'panel controls' },
    statusTitle,
    h('div', { class: 'segments', role: 'group' }, ...statusButtons),
    reasons,
    h(
      'div',
      { class: 'lanes-row' },
      lanesTitle,
      h('div', { class: 'stepper' }, less, h('div', { class: 'lanes-box' }, lanesValue, lanesOf), more),
    ),
  );

  function render(m: ViewModel): void {
    const { draft, revoked } = m.reporter;
    const l = m.lang;
    lanes = draft.lanesOpen;
    statusTitle.textContent = t('status.label', {}, l);
    for (const b of statusButtons) {
      const s = b.dataset.status!;
      b.textContent = t(`status.${s}`, {}, l);
      b.setAttribute('aria-pressed', String(draft.status === s));
      b.disabled = revoked;
    }
    reasons.hidden = draft.status !== 'paused';
    reasonTitle.textContent = t('pause.label', {}, l);
    for (const b of reasonButtons) {
      b.textContent = t(`pause.${b.dataset.reason!}`, {}, l);
      b.setAttribute('aria-pressed', String(draft.pauseReason === b.dataset.reason));
      b.disabled = revoked;
    }
    lanesTitle.textContent = t('lanes.label', {}, l);
    lanesValue.textContent = String(draft.lanesOpen);
    lanesOf.textContent = m.site ? t('lanes.of', { n: m.site.lanes }, l) : '';
    less.setAttribute('aria-label', t('lanes.less', {}, l));
    more.setAttribute('aria-label', t('lanes.more', {}, l));
    less.disabled = revoked || lanes <= 0;
    more.disabled = revoked || lanes >= MAX_LANES;
  }
  return { el, render };
}
