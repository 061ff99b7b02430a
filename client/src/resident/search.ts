// The search box, in either language: a query finds a site by its Chinese words, by their pinyin
// without tones or spaces ("baisha") or by the initials of the syllables ("yq" finds 羊桥). The
// pinyin comes with the registry (CONTRACT "Site", extension `pinyin`), so the phone needs no
// dictionary. Pure functions: the page builds a hay per site once and matches it per keystroke.
import type { Site } from '../../../shared/schemas.js';

/** A site's words in the three forms a query is matched against. */
export interface SearchHay {
  /** Chinese (or whatever the registry says): name, district, street, community, address. */
  words: string;
  /** Their pinyin, run together: "yangqiaoshequhesuancaiyangdian". */
  pinyin: string;
  /** Syllable initials: "yqsqhscyd". */
  initials: string;
}

export interface SearchQuery {
  /** Whitespace-separated parts, folded. */
  tokens: string[];
  /** The same, without the spaces: "bai sha" finds "baisha". */
  joined: string;
}

// Between fields, so that a match never runs from one field into the next. Never in a query.
const SEP = '\n';

/** Lower case, ü typed as v (as pinyin keyboards do), apostrophes and spaces gone. */
const fold = (s: string): string => s.toLowerCase().replace(/ü/g, 'v').replace(/['’]/g, '');
const squeeze = (s: string): string => fold(s).replace(/\s+/g, '');

export function searchHay(s: Site): SearchHay {
  const p = s.pinyin;
  const join = (parts: Array<string | undefined>) =>
    parts
      .filter((w) => w !== undefined)
      .map(squeeze)
      .join(SEP);
  return {
    words: join([s.name, s.district, s.street, s.community, s.address]),
    pinyin: p ? join([p.name, p.district, p.street, p.address]) : '',
    initials: p ? p.initials.split(' ').join(SEP) : '',
  };
}

export function searchQuery(q: string): SearchQuery {
  const tokens = fold(q).trim().split(/\s+/).filter(Boolean);
  return { tokens, joined: tokens.join('') };
}

/**
 * Whether a site matches: the whole query (spaces ignored) in one of the forms, or else every part
 * of it in some form ("白沙 羊桥", "baisha yq"). An empty query matches everything.
 */
export function matchesQuery(hay: SearchHay, q: SearchQuery): boolean {
  if (q.tokens.length === 0) return true;
  const has = (t: string) => hay.words.includes(t) || hay.pinyin.includes(t) || hay.initials.includes(t);
  return has(q.joined) || (q.tokens.length > 1 && q.tokens.every(has));
}
