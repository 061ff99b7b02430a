// On phones the panel is a bottom sheet under the map: small, half or full height. The map
// shrinks rather than being covered, so Leaflet always knows what is visible.
import { h } from '../lib/dom.js';
import { t } from './text.js';

export type SheetState = 'min' | 'peek' | 'full';
const PHONE = '(max-width: 799px)';
const DRAG_PX = 40;

export class Sheet {
  readonly handle: HTMLButtonElement;
  state: SheetState = 'peek';
  private readonly mq = matchMedia(PHONE);

  constructor(
    private readonly panel: HTMLElement,
    private readonly onResize: () => void,
  ) {
    this.handle = h(
      'button',
      { type: 'button', class: 'sheet-handle', 'aria-controls': panel.id || null },
      h('span', { class: 'grip', 'aria-hidden': 'true' }),
      h('span', { class: 'visually-hidden' }),
    );
    this.handle.addEventListener('click', () =>
      this.set(this.state === 'full' ? 'peek' : this.state === 'min' ? 'peek' : 'full'),
    );
    this.dragging();
    this.mq.addEventListener('change', () => this.apply());
    this.apply();
  }

  get phone(): boolean {
    return this.mq.matches;
  }

  set(state: SheetState): void {
    if (state === this.state) return;
    this.state = state;
    this.apply();
  }

  relabel(): void {
    (this.handle.lastElementChild as HTMLElement).textContent =
      this.state === 'full' ? t('sheet.collapse') : t('sheet.expand');
  }

  private apply(): void {
    document.body.dataset.sheet = this.phone ? this.state : 'side';
    this.handle.setAttribute('aria-expanded', String(this.state === 'full'));
    this.relabel();
    this.onResize();
  }

  private dragging(): void {
    let startY: number | null = null;
    this.handle.addEventListener('pointerdown', (e) => {
      startY = e.clientY;
    });
    this.handle.addEventListener('pointerup', (e) => {
      if (startY === null) return;
      const dy = e.clientY - startY;
      startY = null;
      if (Math.abs(dy) < DRAG_PX) return;
      const order: SheetState[] = ['min', 'peek', 'full'];
      const k = order.indexOf(this.state) + (dy < 0 ? 1 : -1);
      this.set(order[Math.max(0, Math.min(2, k))]!);
      // The click that follows a drag must not toggle again.
      this.handle.addEventListener('click', (c) => c.stopImmediatePropagation(), { once: true, capture: true });
    });
  }
}
