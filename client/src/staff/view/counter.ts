// The count: very large, with big relative buttons and direct entry. Every change is absolute on
// the wire; the buttons only move the number on screen.
import { h } from '../../lib/dom.js';
import { MAX_QUEUE } from '../reporter.js';
import { t } from '../texts.js';
import { clock, type Actions, type ViewModel } from './model.js';

const STEPS = [-5, -1, 1, 5, 10] as const;

type Phase = 'idle' | 'collecting' | 'sending' | 'retrying' | 'saved' | 'confirmed';

function phaseOf(m: ViewModel): Phase {
  const r = m.reporter;
  if (r.collecting) return 'collecting';
  if (r.pending.length > 0) {
    if (!m.online || r.retryReason === 'network') return 'saved';
    if (r.sending) return 'sending';
    return r.retryReason ? 'retrying' : 'sending';
  }
  return r.lastConfirmed ? 'confirmed' : 'idle';
}

export function createCounter(actions: Actions) {
  let current = 0;
  let lastConfirmedAt: number | null = null;
  const label = h('div', { class: 'count-label', id: 'count-label' });
  const value = h('output', { class: 'count', id: 'count', 'aria-live': 'polite' });
  const phase = h('div', { class: 'phase', id: 'phase', role: 'status' });
  const steps = STEPS.map((d) =>
    h(
      'button',
      {
        type: 'button',
        class: `step ${d < 0 ? 'minus' : 'plus'}`,
        'data-step': d,
        onclick: () => actions.change({ queue: current + d }),
      },
      d > 0 ? `+${d}` : `−${-d}`,
    ),
  );

  const input = h('input', {
    id: 'entry',
    type: 'text',
    inputmode: 'numeric',
    pattern: '[0-9]*',
    maxlength: 5,
    autocomplete: 'off',
    enterkeyhint: 'done',
  });
  const entryLabel = h('label', { for: 'entry', class: 'entry-label' });
  const setBtn = h('button', { type: 'submit', class: 'set', id: 'entry-set' });
  const entryError = h('div', { class: 'entry-error', role: 'alert' });
  const form = h(
    'form',
    {
      class: 'entry',
      novalidate: true,
      onsubmit: (e: Event) => {
        e.preventDefault();
        const raw = input.value.trim();
        const n = Number(raw);
        const ok = /^\d{1,5}$/.test(raw) && n <= MAX_QUEUE;
        entryError.dataset.show = ok ? 'no' : 'yes';
        if (!ok) return;
        actions.change({ queue: n });
        input.value = '';
        input.blur();
      },
    },
    entryLabel,
    h('div', { class: 'entry-row' }, input, setBtn),
    entryError,
  );
  const still = h('button', { type: 'button', class: 'still', id: 'reconfirm', onclick: () => actions.reconfirm() });

  const el = h(
    'section',
    { class: 'panel counter' },
    label,
    value,
    phase,
    h('div', { class: 'steps' }, ...steps),
    h('div', { class: 'entry-wrap' }, form, still),
  );

  function render(m: ViewModel): void {
    const { reporter: r, lang: l } = m;
    current = r.draft.queue;
    label.textContent = t('queue.label', {}, l);
    value.textContent = String(r.draft.queue);
    value.dataset.value = String(r.draft.queue);
    const p = phaseOf(m);
    phase.dataset.phase = p;
    const retryS = r.retryAt ? Math.max(1, Math.ceil((r.retryAt - m.now) / 1000)) : 1;
    phase.textContent =
      p === 'confirmed' && r.lastConfirmed
        ? t('phase.confirmed', { n: r.lastConfirmed.queue, t: clock(r.lastConfirmed.at, l) }, l)
        : t(`phase.${p}`, { n: r.draft.queue, s: retryS }, l);
    // A short flash on each new confirmation: the visible "it went through".
    if (r.lastConfirmed && r.lastConfirmed.at !== lastConfirmedAt) {
      if (lastConfirmedAt !== null) {
        phase.classList.remove('flash');
        void phase.offsetWidth;
        phase.classList.add('flash');
      }
      lastConfirmedAt = r.lastConfirmed.at;
    }
    for (const b of steps) b.disabled = r.revoked;
    entryLabel.textContent = t('entry.label', {}, l);
    input.placeholder = String(r.draft.queue);
    setBtn.textContent = t('entry.set', {}, l);
    entryError.textContent = t('entry.invalid', {}, l);
    still.textContent = t('still', {}, l);
  }
  return { el, render };
}
