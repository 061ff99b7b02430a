// Site facts as short texts, shared by the list, the recommendations and the details.
import type { LiveState, Site } from '../../../shared/schemas.js';
import type { LocalTime } from '../../../shared/hours.js';
import { walkMinutes } from '../../../shared/rank.js';
import { h } from '../lib/dom.js';
import { avoidChip, avoidNote, avoidReason } from './advice.js';
import { agoText, distanceText, hhmm, waitParts } from './format.js';
import { chip, tagSite } from './levels.js';
import type { SiteModel } from './model.js';
import { siteArea, siteName } from './names.js';
import type { ResidentState } from './state.js';
import { t } from './text.js';

/** "现场人员上报，2 分钟前更新", or the plain "no data" words. */
export function sourceLine(model: SiteModel, l: LiveState | null): string {
  if (!l || l.source === 'none') return t('level.unknown');
  return t('d.updated', { source: t(`source.${l.source}`), ago: agoText(l.updatedAt, model.now()) });
}

/** "20:00 关闭" while open with hours, else null (past its hours "not served" says why). */
export function closesAt(model: SiteModel, i: number, local: LocalTime): string | null {
  const left = model.minutesUntilClose(i, local);
  return !left ? null : t('d.closesAt', { time: hhmm(local.minutes + left) });
}

/** True when the shown wait runs past the site's closing time. */
export function mayMissClosing(model: SiteModel, i: number, local: LocalTime, extraMin = 0): boolean {
  const l = model.shown(i);
  const left = model.minutesUntilClose(i, local);
  return !!l && l.waitMinutes !== null && left !== null && l.status !== 'closed' && l.waitMinutes + extraMin >= left;
}

/**
 * The wait as an element of class `cls`: the words, and a visible rough mark when the estimate is
 * unsure. Muted for a site the command centre sends people away from.
 */
export function waitEl(
  cls: string,
  l: LiveState | null,
  opts: { atArrival?: number; avoided?: boolean; label?: string } = {},
): HTMLElement {
  const { text, rough } = waitParts(l, opts.atArrival);
  return h(
    'span',
    { class: opts.avoided ? `${cls} avoided` : cls },
    opts.label ? h('span', { class: 'visually-hidden' }, `${opts.label} `) : null,
    text,
    rough ? h('span', { class: 'rough' }, rough) : null,
  );
}

/** The level chip, or "⊘ 不推荐" for a site under a "closed" or "go elsewhere" notice. */
export function siteChip(model: SiteModel, i: number, extraClass = ''): HTMLElement {
  return avoidChip(model, model.sites[i]!.id, extraClass) ?? chip(model.look(i), extraClass);
}

export const shortTags = (s: Site): string[] =>
  (s.tags ?? []).filter((tag) => tag === 'green-channel' || tag === '24h').map((tag) => t(`tag.short.${tag}`));

/** Fills a list row for site i; the row element itself carries the site's data attributes. */
export function fillRow(li: HTMLLIElement, model: SiteModel, state: ResidentState, i: number, local: LocalTime): void {
  const s = model.sites[i]!;
  const l = model.shown(i);
  const level = model.level(i);
  const look = model.look(i);
  tagSite(li, s.id, level, look);
  li.className = `site-row${state.selected === i ? ' selected' : ''}`;
  const dist = state.distanceTo(i);
  const facts = [
    dist === null ? null : t('walk', { n: walkMinutes(dist) }),
    dist === null ? null : distanceText(dist),
    closesAt(model, i, local),
  ]
    .filter(Boolean)
    .join(' · ');
  const where = siteArea(s);
  const notices = model.noticesFor(s.id).length;
  const btn =
    (li.firstElementChild as HTMLButtonElement | null) ??
    li.appendChild(h('button', { type: 'button', class: 'row-btn' }));
  btn.replaceChildren(
    h(
      'span',
      { class: 'row-top' },
      h('span', { class: 'name' }, siteName(s)),
      waitEl('wait', l, { avoided: avoidReason(model, s.id) !== null }),
    ),
    h('span', { class: 'row-mid' }, siteChip(model, i), facts ? h('span', { class: 'facts' }, facts) : null),
    h(
      'span',
      { class: 'row-sub' },
      [where, sourceLine(model, l), ...shortTags(s)].filter(Boolean).join(' · '),
      notices ? h('span', { class: 'notice-flag' }, ' ', avoidNote(model, s.id, false) ?? `⚠ ${t('d.notices')}`) : null,
    ),
  );
}
