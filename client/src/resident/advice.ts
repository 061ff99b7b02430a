// Advice that respects the command centre and counts the people on their way: which sites must
// never be recommended and why (a "closed" or "go elsewhere" notice), the counts of residents
// already heading to each site (GET /api/intents, read by the feed worker: advice-fetch.ts) for
// the ranking, and the intent this page sends when a resident chooses to go (POST /api/intents).
// Kept apart from the list and the map, and free of zod (the worker validates what it fetches).
import { keepsPeopleAway } from '../../../shared/notice-kinds.js';
import { h } from '../lib/dom.js';
import { translator, type Dict } from '../lib/i18n.js';
import type { SiteModel } from './model.js';
import { siteName } from './names.js';

const ADVICE: Dict = {
  'avoid.closed': {
    'zh-CN': '不推荐前往：指挥中心通知此处已关闭',
    en: 'Not recommended: the command centre says this site is closed',
  },
  'avoid.redirect': {
    'zh-CN': '不推荐前往：指挥中心请大家改去别处',
    en: 'Not recommended: the command centre asks people to go elsewhere',
  },
  'avoid.goto': { 'zh-CN': '改去 {name}', en: 'Go to {name} instead' },
  'avoid.chip': { 'zh-CN': '不推荐', en: 'Not advised' },
  'go.sent': {
    'zh-CN': '已告知系统您正在前往，帮助他人避开拥挤',
    en: 'Counted as on your way, so others can avoid a crowd',
  },
};
const t = translator(ADVICE);

/**
 * The "do not go" mark. Not the ⛔ emoji: phones without an emoji font (and headless browsers)
 * draw it as an empty box, and a box says nothing.
 */
const AVOID_GLYPH = '⊘';

/** Without a known walk, an intent says "there within about this long". */
const DEFAULT_ETA_MIN = 15;

export interface Avoid {
  kind: 'closed' | 'redirect';
  /** Where the command centre sends people instead, when it said so. */
  redirectSiteId: string | null;
}

/** A site under a "closed" or "go elsewhere" notice: never recommended; null when none. */
export function avoidReason(model: SiteModel, siteId: string): Avoid | null {
  for (const n of model.noticesFor(siteId)) {
    if (keepsPeopleAway(n.kind)) return { kind: n.kind, redirectSiteId: n.redirectSiteId };
  }
  return null;
}

/**
 * What stands in for the level chip on a site under such a notice: its queue may well be short,
 * but a green "畅通" next to it would read as "go there".
 */
export function avoidChip(model: SiteModel, siteId: string, extraClass = ''): HTMLElement | null {
  const a = avoidReason(model, siteId);
  if (!a) return null;
  return h(
    'span',
    { class: `chip avoid-chip ${extraClass}`.trim(), 'data-avoid': a.kind },
    h('span', { class: 'glyph', 'aria-hidden': 'true' }, AVOID_GLYPH),
    ' ',
    t('avoid.chip'),
  );
}

/** "Not recommended: ..." with a link to the suggested alternative (details), or null. */
export function avoidNote(model: SiteModel, siteId: string, withLink: boolean): HTMLElement | null {
  const a = avoidReason(model, siteId);
  if (!a) return null;
  const target = a.redirectSiteId !== null ? model.index.get(a.redirectSiteId) : undefined;
  return h(
    withLink ? 'p' : 'span',
    { class: 'avoid', 'data-avoid': a.kind },
    `${AVOID_GLYPH} ${t(`avoid.${a.kind}`)}`,
    target !== undefined && withLink
      ? h(
          'span',
          {},
          ' ',
          h(
            'a',
            {
              href: `?site=${encodeURIComponent(a.redirectSiteId!)}`,
              class: 'notice-link',
              'data-open-site': a.redirectSiteId,
            },
            t('avoid.goto', { name: siteName(model.sites[target]!) }),
          ),
        )
      : null,
  );
}

/**
 * People on their way per site, from GET /api/intents as the feed worker last read it (every
 * 30 s while the page is open; offline, the last counts stay: they only refine a ranking made
 * from the live state).
 */
export class EnRoute {
  private counts = new Map<string, number>();
  /** Walking minutes of the last recommendations, for the ETA of an intent sent from details. */
  readonly walks = new Map<string, number>();

  constructor(private readonly onChange: () => void) {}

  set(enRoute: Record<string, number>): void {
    this.counts = new Map(Object.entries(enRoute));
    this.onChange();
  }

  get(siteId: string): number {
    return this.counts.get(siteId) ?? 0;
  }

  /**
   * The resident chose to go ("go" or a navigation link): one anonymous intent, at most once per
   * site per page view, with the walk as ETA. Fire and forget: navigation must not wait for it.
   */
  private readonly sent = new Set<string>();
  going(siteId: string): HTMLElement | null {
    if (this.sent.has(siteId)) return null;
    this.sent.add(siteId);
    const etaMinutes = Math.max(1, Math.min(180, Math.round(this.walks.get(siteId) ?? DEFAULT_ETA_MIN)));
    this.counts.set(siteId, this.get(siteId) + 1);
    void fetch('/api/intents', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ siteId, etaMinutes }),
      keepalive: true,
    }).catch(() => undefined);
    return h('p', { class: 'go-sent', role: 'status' }, t('go.sent'));
  }
}
