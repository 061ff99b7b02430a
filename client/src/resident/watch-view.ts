// The "提醒我 / Notify me" block of a site's details, and the kit app.ts loads lazily (with the
// details, or at start when watches are kept): a native select of waits below the current one (or
// "when it reopens" for a closed or paused site), permission asked only on that tap, the active
// watch with a cancel button, and a polite live region saying what happened.
import { localTime } from '../../../shared/hours.js';
import { MAX_WATCHES, watchChoices, type WatchCondition } from '../../../shared/watch.js';
import { h, setChildren } from '../lib/dom.js';
import { hhmm } from './format.js';
import type { SiteModel } from './model.js';
import { cancelPushWatch, pushWatch } from './watch-push.js';
import { wt } from './watch-text.js';
import { Watches, type KeptWatch } from './watch.js';
import './watch.css';

export interface WatchKit {
  /** Checks kept watches against the model; app.ts calls it on every live update. */
  check(): void;
  /** Builds the block for site i into `slot` (a details opening). */
  mount(i: number, slot: HTMLElement): void;
}

const supported = () => typeof Notification !== 'undefined';

/** Asks only when not yet decided; must run in the tap's own handler (browsers require a gesture). */
const permission = (): Promise<NotificationPermission> =>
  Notification.permission === 'default' ? Notification.requestPermission() : Promise.resolve(Notification.permission);

class WatchBlock {
  readonly el: HTMLElement;
  private readonly body = h('div', { class: 'watch-body' });
  private readonly status = h('p', { class: 'watch-status', role: 'status', 'aria-live': 'polite' });
  /** What the body shows, so that a live update redraws it only when that changes. */
  private shownKey = '';

  constructor(
    private readonly model: SiteModel,
    private readonly watches: Watches,
    readonly i: number,
  ) {
    this.el = h(
      'div',
      { class: 'd-block watch', 'data-testid': 'watch' },
      h('h3', {}, wt('watch.title')),
      this.body,
      this.status,
    );
    this.refresh();
  }

  private get siteId(): string {
    return this.model.sites[this.i]!.id;
  }

  say(text: string): void {
    this.status.textContent = text;
  }

  refresh(force = false): void {
    const w = this.watches.of(this.siteId);
    const choices = watchChoices(this.model.shown(this.i) ?? this.model.state(this.i));
    const key = JSON.stringify([supported(), w ?? null, choices.reopen, choices.thresholds]);
    // Never under the resident's hand: a select in use keeps its options (a button press redraws).
    const choosing = document.activeElement instanceof HTMLSelectElement && this.body.contains(document.activeElement);
    if (key === this.shownKey || (choosing && !force)) return;
    this.shownKey = key;
    if (!supported()) return setChildren(this.body, h('p', {}, wt('watch.unsupported')));
    if (w) return setChildren(this.body, ...this.active(w));
    if (choices.reopen) {
      return setChildren(
        this.body,
        this.button(wt('watch.setReopen'), () => ({ reopen: true })),
        this.note(),
      );
    }
    if (choices.thresholds.length === 0) return setChildren(this.body, h('p', {}, wt('watch.short')));
    const select = h(
      'select',
      { id: 'watch-at', class: 'watch-at' },
      ...choices.thresholds.map((n) =>
        h('option', { value: n, selected: n === choices.initial }, wt('watch.option', { n })),
      ),
    );
    setChildren(
      this.body,
      h(
        'div',
        { class: 'watch-row' },
        h('label', { for: 'watch-at' }, wt('watch.label')),
        select,
        this.button(wt('watch.set'), () => ({ belowMinutes: Number(select.value) })),
      ),
      this.note(),
    );
  }

  private note(pushed = false): HTMLElement {
    return h('p', { class: 'watch-note' }, wt(pushed ? 'watch.push' : 'watch.pageOnly'));
  }

  private active(w: KeptWatch): HTMLElement[] {
    const until = hhmm(localTime(w.expiresAt, this.model.meta.timezone).minutes);
    const what = w.cond.reopen ? wt('watch.onReopen') : wt('watch.onBelow', { n: w.cond.belowMinutes });
    return [
      h(
        'p',
        { class: 'watch-on' },
        what,
        h('span', { class: 'watch-until' }, ` · ${wt('watch.until', { time: until })}`),
      ),
      h('button', { type: 'button', class: 'watch-cancel', onclick: () => this.cancel() }, wt('watch.cancel')),
      this.note(w.pushId !== undefined),
    ];
  }

  private button(label: string, cond: () => WatchCondition): HTMLButtonElement {
    return h('button', { type: 'button', class: 'watch-set', onclick: () => void this.set(cond()) }, label);
  }

  private async set(cond: WatchCondition): Promise<void> {
    if ((await permission()) !== 'granted') return this.say(wt('watch.denied'));
    if (!this.watches.add(this.siteId, cond)) return this.say(wt('watch.full', { n: MAX_WATCHES }));
    this.say(wt('watch.added'));
    this.el.querySelector<HTMLElement>('.watch-cancel')?.focus();
    // Web Push on top when the server offers it; the page's own watch stands either way.
    const key = this.model.meta.vapidPublicKey;
    const id = key ? await pushWatch(key, this.siteId, cond) : null;
    if (id && this.watches.of(this.siteId)) this.watches.setPushId(this.siteId, id);
    else if (id) cancelPushWatch(id);
  }

  private cancel(): void {
    const w = this.watches.remove(this.siteId);
    if (w?.pushId) cancelPushWatch(w.pushId);
    this.say(wt('watch.cancelled'));
    this.el.querySelector<HTMLElement>('.watch-set, .watch-at')?.focus();
  }
}

export function watchKit(model: SiteModel): WatchKit {
  const watches = new Watches(model);
  let block: WatchBlock | null = null;
  watches.listeners.add((fired) => {
    if (!block?.el.isConnected) return;
    block.refresh(true);
    if (fired === model.sites[block.i]?.id) block.say(wt('watch.fired'));
  });
  return {
    check: () => {
      watches.check();
      if (block?.el.isConnected) block.refresh();
    },
    mount: (i, slot) => {
      if (!slot.isConnected || i < 0) return;
      block = new WatchBlock(model, watches, i);
      slot.replaceChildren(block.el);
    },
  };
}
