// /lite and /embed as HTML strings: no script, large text, every site element carrying the
// contract's data-site-id and data-level, every value escaped.
import type { Notice, OpeningHours } from '../../shared/schemas.js';
import { spacedCode } from '../../shared/short-code.js';
import { esc, styleHash } from './html.js';
import type { PlainQuery, Selection, Shown } from './select.js';
import { ageWords, sourceWord, waitWords, word, type Lang } from '../../shared/plain-words.js';

// Large text by default (20 px base); colours pass WCAG AA on white; the level is also a word.
export const LITE_CSS = `body{font:20px/1.45 system-ui,sans-serif;margin:0 auto;max-width:40em;padding:.5em;color:#111}
h1{font-size:1.3em;margin:.2em 0}h2{font-size:1.1em;margin:0}a{color:#0b3d91}nav a{margin-right:.8em;display:inline-block;padding:.2em 0}
form{margin:.6em 0}input{font:inherit;width:60%;padding:.3em}button{font:inherit;padding:.3em .8em}
ol{list-style:none;padding:0;margin:0}ol>li{border-left:.4em solid #666;padding:.4em .6em;margin:.6em 0;background:#f4f4f4}ul{padding-left:1em}ul li{margin:.4em 0}ul a{white-space:nowrap;margin-right:.3em}
.w{font-size:1.25em;font-weight:700;margin:.1em 0}.m{margin:.1em 0;color:#333}
.lv-low{border-color:#1b7f3b}.lv-low .w{color:#1b6b33}.lv-medium{border-color:#b35c00}.lv-medium .w{color:#8a4600}
.lv-high{border-color:#c62828}.lv-high .w{color:#b71c1c}.n{background:#fff3cd;padding:.4em;border:2px solid #8a6d00}
.old{color:#555;font-weight:400}details{margin:.5em 0}b{white-space:nowrap}.lv-paused{border-color:#6d28d9}`;
export const LITE_STYLE_HASH = styleHash(LITE_CSS);

const DAY_RANGE: Record<Lang, string> = { zh: '至', en: '–' };

function hoursText(lang: Lang, hours: OpeningHours[] | undefined): string {
  if (!hours?.length) return word(lang, 'hoursAlways');
  return hours
    .map((h) => {
      const d =
        h.days && h.days.length < 7
          ? (h.days.length > 2 && h.days.every((x, i) => i === 0 || x === h.days![i - 1]! + 1)
              ? `${word(lang, `day.${h.days[0]}` as 'day.1')}${DAY_RANGE[lang]}${word(lang, `day.${h.days.at(-1)}` as 'day.1')}`
              : h.days.map((x) => word(lang, `day.${x}` as 'day.1')).join(lang === 'zh' ? '、' : ', ')) + ' '
          : '';
      return `${d}${h.open}–${h.close}`;
    })
    .join(lang === 'zh' ? '；' : '; ');
}

export function siteItem(lang: Lang, s: Shown, now: number, notices: readonly Notice[], extra = ''): string {
  const l = s.live;
  const level = l?.level ?? 'unknown';
  const { main, rough } = waitWords(lang, l);
  const age = ageWords(lang, l?.updatedAt ?? null, now);
  const src = l && l.source !== 'none' ? `${sourceWord(lang, l.source)}${age ? ` · ${age}` : ''}` : '';
  const walk = s.walkMin !== null ? ` · ${word(lang, 'walk', { n: s.walkMin })}` : '';
  const own = notices
    .filter((n) => n.siteId === s.site.id)
    .map((n) => `<p class="n">${esc(n.message)}</p>`)
    .join('');
  const place = [s.site.district, s.site.street].filter(Boolean).join(' ');
  const look = l?.status === 'paused' && level !== 'closed' ? 'paused' : level;
  return (
    `<li class="lv-${esc(look)}" data-site-id="${esc(s.site.id)}" data-level="${esc(level)}"><h2>${esc(s.site.name)}</h2>` +
    `<p class="w">${esc(main)}${rough ? `<span class="old"> · ${esc(rough)}</span>` : ''}</p>` +
    (src ? `<p class="m">${esc(src)}</p>` : '') +
    `<p class="m">${esc(hoursText(lang, s.site.hours))}</p>` +
    `<p class="m">${esc(place)} · ${esc(word(lang, 'code'))} <b>${esc(spacedCode(s.code))}</b>${esc(walk)}</p>${own}${extra}</li>`
  );
}

/** `live` when any shown site has data fresh enough to count (the engine ages data out). */
export const connectionOf = (shown: readonly Shown[]): 'live' | 'stale' =>
  shown.length === 0 || shown.some((s) => s.live && s.live.source !== 'none') ? 'live' : 'stale';

export function queryString(q: PlainQuery, patch: Partial<Record<keyof PlainQuery, string | undefined>>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...q, ...patch })) if (v !== undefined && v !== '') p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : '';
}

export interface LiteInput {
  q: PlainQuery;
  lang: Lang;
  sel: Selection;
  now: number;
  notices: readonly Notice[];
  /** Districts and their towns, for browsing without a search. */
  areas: ReadonlyMap<string, readonly string[]>;
  refreshSeconds: number;
}

export function litePage({ q, lang, sel, now, notices, areas, refreshSeconds }: LiteInput): string {
  const general = notices.filter((n) => n.siteId === null);
  const self = (patch: Partial<Record<keyof PlainQuery, string | undefined>>) => `/lite${esc(queryString(q, patch))}`;
  const other: Lang = lang === 'zh' ? 'en' : 'zh';
  const chosen = Boolean(q.site || q.area || q.near || q.q || q.sites);
  const list = sel.shown.map((s) => siteItem(lang, s, now, notices)).join('');
  const fullHref = q.site ? `/?site=${encodeURIComponent(q.site)}` : '/';
  let areaList = '';
  if (!chosen || sel.shown.length === 0) {
    areaList =
      `<details${chosen ? '' : ' open'}><summary>${esc(word(lang, 'areas'))}</summary><ul>` +
      [...areas]
        .map(
          ([d, towns]) =>
            `<li><a href="/lite?area=${esc(encodeURIComponent(d))}${lang === 'en' ? '&amp;lang=en' : ''}">${esc(d)}</a>: ` +
            towns
              .map(
                (t) =>
                  `<a href="/lite?area=${esc(encodeURIComponent(`${d}/${t}`))}${lang === 'en' ? '&amp;lang=en' : ''}">${esc(t)}</a>`,
              )
              .join(' ') +
            '</li>',
        )
        .join('') +
      '</ul></details>';
  }
  return (
    `<!doctype html><html lang="${lang === 'zh' ? 'zh-CN' : 'en'}" data-connection="${connectionOf(sel.shown)}"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width,initial-scale=1">` +
    (q.auto ? `<meta http-equiv="refresh" content="${refreshSeconds}">` : '') +
    `<link rel="icon" href="data:,"><title>${esc(word(lang, 'title'))}</title><style>${LITE_CSS}</style></head><body>` +
    `<header><h1>${esc(word(lang, 'title'))}</h1><nav><a href="${self({ lang: other === 'en' ? 'en' : undefined })}" lang="${other === 'zh' ? 'zh-CN' : 'en'}">${esc(word(lang, 'lang'))}</a>` +
    `<a href="${self({})}">${esc(word(lang, 'refresh'))}</a>` +
    `<a href="${self({ auto: q.auto ? undefined : '1' })}">${esc(word(lang, q.auto ? 'autoOff' : 'autoOn'))}</a>` +
    `<a href="${esc(fullHref)}">${esc(word(lang, 'full'))}</a></nav></header>` +
    `<form action="/lite" method="get" role="search"><label for="q">${esc(word(lang, 'search'))}</label><br>` +
    `<input id="q" name="q" value="${esc(q.q ?? '')}" placeholder="${esc(word(lang, 'searchHint'))}">` +
    (lang === 'en' ? '<input type="hidden" name="lang" value="en">' : '') +
    `<button type="submit">${esc(word(lang, 'go'))}</button></form>` +
    general.map((n) => `<p class="n" role="note">${esc(word(lang, 'notice'))}: ${esc(n.message)}</p>`).join('') +
    `<main>` +
    (chosen
      ? `<p>${esc(sel.shown.length ? word(lang, 'count', { n: sel.shown.length + sel.more }) : word(lang, 'none'))}${sel.byTrip ? ` · ${esc(word(lang, 'near'))}` : ''}</p>`
      : '') +
    (list ? `<ol>${list}</ol>` : '') +
    (sel.more ? `<p>${esc(word(lang, 'more', { n: sel.more }))}</p>` : '') +
    areaList +
    `</main></body></html>`
  );
}

export const EMBED_CSS = `body{font:18px/1.4 system-ui,sans-serif;margin:0;padding:.4em;color:#111;background:#fff}
ol{list-style:none;padding:0;margin:0}li{border-left:.35em solid #666;padding:.3em .5em;margin:.4em 0;background:#f4f4f4}
h2{font-size:1em;margin:0}.w{font-weight:700;margin:0}.m{margin:0;color:#333;font-size:.9em}a{color:#0b3d91}
.lv-low{border-color:#1b7f3b}.lv-low .w{color:#1b6b33}.lv-medium{border-color:#b35c00}.lv-medium .w{color:#8a4600}
.lv-high{border-color:#c62828}.lv-high .w{color:#b71c1c}.n{background:#fff3cd;padding:.3em}.old{font-weight:400;color:#555}`;
export const EMBED_STYLE_HASH = styleHash(EMBED_CSS);

/** A small framed view: the sites and one link out (a new tab, the framing page stays). */
export function embedPage(
  lang: Lang,
  sel: Selection,
  now: number,
  notices: readonly Notice[],
  fullHref: string,
  refreshSeconds: number | null,
): string {
  const list = sel.shown.map((s) => siteItem(lang, s, now, notices)).join('');
  return (
    `<!doctype html><html lang="${lang === 'zh' ? 'zh-CN' : 'en'}" data-connection="${connectionOf(sel.shown)}"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width,initial-scale=1">` +
    // Refreshing on its own is opt-in (?auto=1), as on /lite: a page that reloads unasked fails WCAG 2.2.1.
    (refreshSeconds ? `<meta http-equiv="refresh" content="${refreshSeconds}">` : '') +
    `<link rel="icon" href="data:,"><title>${esc(word(lang, 'boardTitle'))}</title><style>${EMBED_CSS}</style></head><body><main>` +
    (list ? `<ol>${list}</ol>` : `<p>${esc(word(lang, 'none'))}</p>`) +
    `<p><a href="${esc(fullHref)}" target="_blank" rel="noopener">${esc(word(lang, 'full'))} →</a></p></main></body></html>`
  );
}
