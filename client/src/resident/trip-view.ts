// The "if I leave at" block of a site's details: a native time input for a departure later today
// and, in a polite live region, the predicted wait on arrival with its range and basis
// (trip-plan.ts). It is recomputed on every details refresh (new data, a new start point, the clock
// moving on), but the region is rewritten only when its words change, so a screen reader hears
// each new answer once.
import { localTime } from '../../../shared/hours.js';
import { waitPhrase } from '../../../shared/plain-words.js';
import type { TypicalWeek } from '../../../shared/typical.js';
import { h } from '../lib/dom.js';
import { currentLang } from '../lib/i18n.js';
import { avoidReason } from './advice.js';
import { hhmm } from './format.js';
import type { SiteModel } from './model.js';
import { departureWindow, localMinutes, parseTimeValue, planTrip, timeValue } from './trip-plan.js';
import { t } from './text.js';

export class TripPlanner {
  readonly el: HTMLElement;
  private readonly input: HTMLInputElement;
  private readonly row: HTMLElement;
  private readonly out: HTMLElement;
  private week: TypicalWeek | null = null;
  private said = '';
  /**
   * Whether the resident set the time. Until then the proposal follows the clock: it moves on as
   * time passes, and the page's clock may be corrected to the server's after the details open.
   */
  private chosen: boolean;

  /**
   * `walk`: minutes from the resident's start point, null when none is known. `earlier`: a time
   * picked before (the details are rebuilt on a language switch), kept while still ahead.
   */
  constructor(
    private readonly model: SiteModel,
    private readonly i: number,
    private readonly walk: () => number | null,
    typical: Promise<TypicalWeek | null>,
    earlier: string | null = null,
  ) {
    const win = departureWindow(localMinutes(model.now(), model.meta.timezone));
    const keep = earlier !== null && win !== null && (parseTimeValue(earlier) ?? -1) >= win.min;
    this.chosen = keep;
    this.input = h('input', {
      type: 'time',
      id: 'trip-at',
      class: 'trip-at',
      value: keep ? earlier : win ? timeValue(win.initial) : '',
      'aria-describedby': 'trip-out',
    });
    this.input.addEventListener('input', () => {
      this.chosen = true;
      this.update();
    });
    this.row = h('div', { class: 'trip-row' }, h('label', { for: 'trip-at' }, t('trip.label')), this.input);
    this.out = h('div', {
      id: 'trip-out',
      class: 'trip-out',
      role: 'status',
      'aria-live': 'polite',
      'aria-atomic': 'true',
      'data-testid': 'trip',
    });
    this.el = h('div', { class: 'd-block trip' }, h('h3', {}, t('trip.title')), this.row, this.out);
    void typical.then((week) => {
      this.week = week;
      this.update();
    });
    this.update();
  }

  /** The departure the resident set ("HH:MM", '' when cleared), null while it is the proposal. */
  get choice(): string | null {
    return this.chosen ? this.input.value : null;
  }

  update(): void {
    const win = departureWindow(localMinutes(this.model.now(), this.model.meta.timezone));
    this.row.hidden = win === null;
    if (win) {
      this.input.min = timeValue(win.min);
      this.input.max = timeValue(win.max);
      // Only a real change is written: an input being edited keeps its caret.
      const proposal = timeValue(win.initial);
      if (!this.chosen && this.input.value !== proposal) this.input.value = proposal;
    }
    const { state, lines } = win ? this.answer() : { state: 'late', lines: [t('trip.lateDay')] };
    const text = `${state}\n${lines.join('\n')}`;
    if (text === this.said) return;
    this.said = text;
    this.out.dataset.plan = state;
    this.out.replaceChildren(...lines.map((line, k) => h('p', { class: k === 0 ? 'trip-main' : 'trip-note' }, line)));
  }

  /** What the region says: a state for tests and styling, the main line first, then notes. */
  private answer(): { state: string; lines: string[] } {
    const m = this.model;
    const s = m.sites[this.i]!;
    if (avoidReason(m, s.id)) return { state: 'avoid', lines: [t('trip.avoid')] };
    const departMin = parseTimeValue(this.input.value);
    if (departMin === null) return { state: 'pick', lines: [t('trip.pick')] };
    const nowMs = m.now();
    const tz = m.meta.timezone;
    const walk = this.walk();
    const wait = m.waitOf(this.i);
    const plan = planTrip({
      nowMs,
      tz,
      departMin,
      walkMinutes: walk,
      waitNow: wait < 0 ? null : wait,
      trendPerMin: m.trend[this.i] ?? 0,
      week: this.week,
      hours: s.hours,
    });
    const walkNote = walk === null ? t('trip.noWalk') : t('trip.walk', { n: walk });
    if (plan.kind === 'unknown') return { state: 'unknown', lines: [t(`trip.${plan.reason}`)] };
    if (plan.kind === 'shut')
      return { state: 'shut', lines: [t('trip.shut', { time: this.clock(nowMs, plan.arriveMs) }), walkNote] };
    const p = plan.prediction;
    const lang = currentLang() === 'en' ? 'en' : 'zh';
    return {
      state: 'ok',
      lines: [
        t('trip.arrive', {
          time: this.clock(nowMs, p.arriveMs),
          wait: waitPhrase(lang, { ...plan.shape, rough: false }) ?? '',
        }),
        [t(`trip.basis.${p.basis}`), walkNote].join(t('trip.sep')),
        plan.early ? t('trip.early') : '',
        plan.pastClosing ? `⚠ ${t('trip.pastClosing')}` : '',
      ].filter(Boolean),
    };
  }

  /** "10:08", or "次日 00:10" for an arrival after midnight. */
  private clock(nowMs: number, ms: number): string {
    const tz = this.model.meta.timezone;
    const at = localTime(ms, tz);
    const time = hhmm(at.minutes);
    return at.day === localTime(nowMs, tz).day ? time : t('trip.tomorrow', { time });
  }
}
