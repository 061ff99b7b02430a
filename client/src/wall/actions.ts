// "Needs action": the ranked suggestions of shared/actions.ts, one row each: the site, its lanes open
// of lanes, what to do and where to send people. In admin mode (this browser holds the admin token)
// a redirect suggestion becomes a notice to residents with one tap, pre-filled.
import type { Action } from '../../../shared/actions.js';
import type { LiveState, NoticeInput, Site } from '../../../shared/schemas.js';
import { h } from '../lib/dom.js';
import { fixedList, setText } from './fixed-list.js';
import type { T } from './i18n.js';

export const ACTION_ROWS = 7;

export interface ActionDeps {
  t: T;
  byId: ReadonlyMap<string, Site>;
  liveOf: (id: string) => LiveState | undefined;
  /** The site's service rate per lane learned from served counters; null while it is the configured one. */
  learnedRate?: (id: string) => number | null;
  /** Present in admin mode: posts a notice; resolves when stored. */
  postNotice?: (input: NoticeInput) => Promise<void>;
}

export const lanesText = (t: T, live: LiveState | undefined, site: Site) =>
  t('row.lanes', { a: live?.lanesOpen ?? '–', b: site.lanes });

/** The notice a redirect suggestion turns into, in both languages (residents may read either). */
export function redirectNotice(t: T, from: Site, to: Site): NoticeInput {
  return {
    siteId: from.id,
    kind: 'redirect',
    redirectSiteId: to.id,
    ttlMinutes: 60,
    message: `${from.name} 排队较长，请改去 ${to.name}。 ${from.name} has a long queue; please go to ${to.name}.`.slice(
      0,
      500,
    ),
  };
}

export function actionsView(d: ActionDeps) {
  const { t } = d;
  // Lanes needed come from the learned rate when there is one: say so, with the rate.
  const rateText = (id: string) => {
    const r = d.learnedRate?.(id);
    return r == null ? '' : t('act.rate', { r: r.toFixed(1) });
  };
  const posted = new Set<string>();
  const list = fixedList<Action>({
    className: 'list-actions',
    rows: ACTION_ROWS,
    cells: ['rank', 'chip', 'name', 'lanes', 'act', 'to'],
    empty: t('list.empty'),
    site: (a) => ({ id: a.siteId, level: d.liveOf(a.siteId)?.level ?? 'unknown' }),
    fill(c, a, i) {
      const site = d.byId.get(a.siteId)!;
      setText(c.rank!, String(i + 1));
      c.chip!.className = `chip chip-${d.liveOf(a.siteId)?.level ?? 'unknown'}`;
      setText(c.name!, site.name);
      setText(c.lanes!, lanesText(t, d.liveOf(a.siteId), site));
      c.act!.className = `act act-${a.kind}`;
      setText(
        c.act!,
        a.kind === 'check-data'
          ? t(`act.check.${a.reason}`)
          : t(`act.${a.kind}`, { n: a.lanesNeeded, q: a.queue ?? 0, w: a.waitMinutes ?? 0 }) + rateText(a.siteId),
      );
      const target = a.redirect[0] ? d.byId.get(a.redirect[0].siteId) : undefined;
      const li = c.rank!.parentElement!;
      li.dataset.action = a.kind;
      if (!target) {
        c.to!.replaceChildren(a.kind === 'check-data' ? '' : t('act.noTarget'));
        return;
      }
      const text = t('act.redirect', { name: target.name, m: a.redirect[0]!.walkMinutes });
      const key = `${a.siteId}>${target.id}`;
      if (!d.postNotice || posted.has(key)) {
        c.to!.replaceChildren(posted.has(key) ? t('act.posted', { name: target.name }) : text);
        return;
      }
      const btn = h(
        'button',
        { type: 'button', class: 'tap', 'data-redirect-to': target.id, title: t('act.tapHint') },
        text,
      );
      btn.addEventListener('click', () => {
        btn.disabled = true;
        d.postNotice!(redirectNotice(t, site, target)).then(
          () => {
            posted.add(key);
            btn.textContent = t('act.posted', { name: target.name });
          },
          () => {
            btn.disabled = false;
            btn.textContent = t('act.failed');
          },
        );
      });
      c.to!.replaceChildren(btn);
    },
  });
  list.root.dataset.list = 'actions';
  const count = h('small', {});
  const root = h('section', { class: 'panel actions-panel' }, h('h2', {}, t('act.title'), count), list.root);
  return {
    root,
    render(actions: readonly Action[]) {
      setText(count, t('act.count', { n: actions.length }));
      list.render(actions);
    },
  };
}
