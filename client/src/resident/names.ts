// A site's words as the page shows them: the registry's Chinese, or in English its pinyin (made by
// the server, CONTRACT "Site", extension `pinyin`), which an English reader can read, say and match
// against street signs. A site without pinyin shows its own words in both languages.
import type { Site } from '../../../shared/schemas.js';
import { currentLang, type Lang } from '../lib/i18n.js';

const english = (s: Site, lang: Lang) => (lang === 'en' ? s.pinyin : undefined);

export const siteName = (s: Site, lang = currentLang()): string => english(s, lang)?.name ?? s.name;

export const siteDistrict = (s: Site, lang = currentLang()): string => english(s, lang)?.district ?? s.district;

export function siteStreet(s: Site, lang = currentLang()): string | undefined {
  return s.street === undefined ? undefined : (english(s, lang)?.street ?? s.street);
}

export function siteAddress(s: Site, lang = currentLang()): string | undefined {
  return s.address === undefined ? undefined : (english(s, lang)?.address ?? s.address);
}

/** "蓬江区 白沙街道" / "Pengjiang Qu, Baisha Jiedao": district and street, as rows and pickers say where. */
export function siteArea(s: Site, lang = currentLang()): string {
  return [siteDistrict(s, lang), siteStreet(s, lang)].filter(Boolean).join(lang === 'en' ? ', ' : ' ');
}
