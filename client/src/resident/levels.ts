// How a level looks: a colour, a shape and a word, never the colour alone. The same shapes are
// drawn on the map canvas (map/shapes.ts) and printed as glyphs in the list and on labels.
import type { Level } from '../../../shared/schemas.js';
import { h } from '../lib/dom.js';
import { GLYPH, type Look } from './looks.js';
import { t } from './text.js';

export { COLOUR, GLYPH, type Look } from './looks.js';

export const lookWord = (look: Look): string => (look === 'paused' ? t('legend.paused') : t(`level.${look}`));

/** The level chip: glyph and word on the level's colour. */
export function chip(look: Look, extraClass = ''): HTMLSpanElement {
  return h(
    'span',
    { class: `chip lv-${look} ${extraClass}`.trim() },
    h('span', { class: 'glyph', 'aria-hidden': 'true' }, GLYPH[look]),
    ' ',
    lookWord(look),
  );
}

/** Marks an element as showing one site, as the contract asks of every such element. */
export function tagSite(el: HTMLElement, siteId: string, level: Level, look: Look): void {
  el.dataset.siteId = siteId;
  el.dataset.level = level;
  el.dataset.look = look;
}
