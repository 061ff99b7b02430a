// Pinyin for the registry's Chinese words (CONTRACT "Site", extension `pinyin`), made once when the
// registry is loaded. Here and not on the page: pinyin-pro's dictionary is far too big for a cheap
// phone, and the registry is static, so the server works it out once and every page just reads it.
// The bundled registry carries its pinyin already (scripts/gen-registry.ts writes it), so
// pinyin-pro is loaded only for a registry that lacks some: its dictionary costs ~10 MB of memory.
import { createRequire } from 'node:module';
import type { Site, SitePinyin } from '../../shared/schemas.js';

// Generic words of place and facility names (通名) are written apart from the proper name before
// them, as the national rule for place names in pinyin has it (GB/T 16159): 白沙街道 is "Baisha
// Jiedao", not "Bai Sha Jie Dao" nor "Baishajiedao". pinyin-pro has no word segmenter for this, and
// these few words cover what registries of walk-in sites are made of. Longer words win.
const GENERIC_WORDS = (
  '居民委员会 村民委员会 委员会 居委会 村委会 街道 社区 小区 管理区 开发区 工业区 服务中心 服务站 中心 卫生院 卫生站 医院 诊所 ' +
  '新区 核酸 采样点 检测点 接种点 广场 公园 花园 市场 学校 小学 中学 大学 大道 大街 体育馆 政府 办事处 公司'
)
  .split(' ')
  .sort((a, b) => b.length - a.length);

// One-character generics end a word only after a proper name of two or more characters (江门市:
// "Jiangmen Shi"); after one character, or at the start, they belong to the name (环市 "Huanshi",
// 镇海 "Zhenhai").
const GENERIC_SUFFIXES = new Set('省市区县镇乡村路街巷号栋座');

// Place names the dictionary reads as ordinary words (礼乐 "liyue", rites and music); a registry can
// also give a site's pinyin itself. Patched here rather than through pinyin-pro's customPinyin,
// which makes every later call ten times slower.
const PLACE_READINGS: Record<string, string[]> = { 礼乐: ['li', 'le'], 都斛: ['du', 'hu'] };

const HAN = /\p{Script=Han}/u;
const RUNS = /\p{Script=Han}+|[^\p{Script=Han}]+/gu;

export interface Romanised {
  /** As shown: "Jiangmen Shi Baisha Jiedao". */
  text: string;
  /** First letter of each syllable (letters and digits of other words as they are): "jmsbsjd". */
  initials: string;
}

/** Chinese text in toneless pinyin, words in Title Case; anything not Chinese is kept. */
export function romanise(zh: string): Romanised {
  const words: string[] = [];
  let initials = '';
  for (const run of zh.match(RUNS) ?? []) {
    if (HAN.test(run)) {
      // The whole run at once, so that pinyin-pro reads polyphones in context (银行 háng, 行走 xíng).
      // By code point, as pinyin-pro answers: a rare character outside the BMP is one syllable.
      const chars = Array.from(run);
      const syllables = readings(chars);
      for (const [from, to] of hanWords(chars)) {
        words.push(joinSyllables(syllables.slice(from, to)));
        initials += syllables
          .slice(from, to)
          .map((s) => s.charAt(0))
          .join('');
      }
    } else {
      const plain = run.normalize('NFKC').replace(/、/g, ',').replace(/。/g, '.');
      words.push(...plain.split(/\s+/).filter(Boolean));
      initials += plain.replace(/[^\p{L}\p{N}]/gu, '');
    }
  }
  // No space inside brackets or before punctuation: "A Qu 3 Dong (Beimen)".
  const text = words
    .join(' ')
    .replace(/([([{]) /g, '$1')
    .replace(/ ([)\]},.;:!?])/g, '$1');
  return { text, initials: initials.toLowerCase() };
}

let loaded: typeof import('pinyin-pro').pinyin | undefined;
/** Toneless syllables of a text; pinyin-pro on first use, synchronously (its CommonJS build) as registry loading is. */
function syllablesOf(text: string): string[] {
  loaded ??= (createRequire(import.meta.url)('pinyin-pro') as typeof import('pinyin-pro')).pinyin;
  return loaded(text, { toneType: 'none', type: 'array' });
}

/** One toneless syllable per character of a run of Chinese characters. */
function readings(chars: string[]): string[] {
  const syllables = syllablesOf(chars.join(''));
  for (const [word, fixed] of Object.entries(PLACE_READINGS)) {
    for (let at = 0; at < chars.length; at++)
      if (startsWith(chars, word, at)) syllables.splice(at, fixed.length, ...fixed);
  }
  return syllables;
}

const startsWith = (chars: string[], word: string, at: number) => chars.slice(at, at + word.length).join('') === word;

/** [from, to) character ranges of the words of a run of Chinese characters. */
function hanWords(run: string[]): Array<[number, number]> {
  const words: Array<[number, number]> = [];
  let proper = 0; // where the proper name being read began
  let i = 0;
  const flush = (end: number) => {
    if (end > proper) words.push([proper, end]);
  };
  while (i < run.length) {
    const generic = GENERIC_WORDS.find((w) => startsWith(run, w, i));
    const suffix = !generic && i - proper >= 2 && GENERIC_SUFFIXES.has(run[i]!);
    if (generic || suffix) {
      flush(i);
      const end = i + (generic?.length ?? 1);
      words.push([i, end]);
      proper = i = end;
    } else {
      i++;
    }
  }
  flush(i);
  return words;
}

/** "xi", "an" -> "Xi'an": the apostrophe marks where a syllable starting with a, o or e begins. */
function joinSyllables(syllables: string[]): string {
  const word = syllables.map((s, k) => (k > 0 && /^[aoe]/.test(s) ? `'${s}` : s)).join('');
  return word.charAt(0).toUpperCase() + word.slice(1);
}

/**
 * Every site with its pinyin. A site whose registry entry gives one keeps it (a registry may fix a
 * misread name that way); a site with no Chinese in what the page shows gets none: its words are
 * already what an English reader sees.
 */
export function addPinyin(sites: Site[]): Site[] {
  // Districts, streets and addresses repeat across sites; each distinct text is read once.
  const cache = new Map<string, Romanised>();
  const read = (zh: string) => {
    let r = cache.get(zh);
    if (!r) cache.set(zh, (r = romanise(zh)));
    return r;
  };
  const chinese = (s: Site) => [s.name, s.district, s.street, s.address].some((w) => w !== undefined && HAN.test(w));
  return sites.map((s) => (s.pinyin || !chinese(s) ? s : { ...s, pinyin: sitePinyin(s, read) }));
}

// Only what the page shows: the community is searched in Chinese but never shown, and its pinyin
// would add ~3 KB of brotli to /api/sites for 986 sites. Initials only of the short words people
// abbreviate; an address's initials would cost as much again and find nothing new.
function sitePinyin(s: Site, read: (zh: string) => Romanised): SitePinyin {
  const name = read(s.name);
  const district = read(s.district);
  const street = s.street === undefined ? undefined : read(s.street);
  return {
    name: name.text,
    district: district.text,
    ...(street && { street: street.text }),
    ...(s.address !== undefined && { address: read(s.address).text }),
    initials: [name.initials, district.initials, street?.initials].filter(Boolean).join(' '),
  };
}
