import { describe, expect, it } from 'vitest';
import type { Site } from '../../shared/schemas.js';
import { addPinyin, romanise } from './pinyin.js';

describe('romanise', () => {
  it('when a place name has generic words, then they are written apart from the proper name', () => {
    expect(romanise('白沙街道')).toEqual({ text: 'Baisha Jiedao', initials: 'bsjd' });
    expect(romanise('江门市蓬江区白沙街道羊桥社区').text).toBe(
      'Jiangmen Shi Pengjiang Qu Baisha Jiedao Yangqiao Shequ',
    );
    expect(romanise('羊桥社区核酸采样点')).toEqual({
      text: 'Yangqiao Shequ Hesuan Caiyangdian',
      initials: 'yqsqhscyd',
    });
  });

  it('when a one-character generic starts a name or follows one character, then it belongs to the name', () => {
    expect(romanise('镇海村').text).toBe('Zhenhai Cun');
    expect(romanise('环市街道').text).toBe('Huanshi Jiedao');
  });

  it('when a place name reads otherwise than the ordinary word, then the place reading wins', () => {
    expect(romanise('礼乐街道')).toEqual({ text: 'Lile Jiedao', initials: 'lljd' });
  });

  it('when a syllable starts with a vowel inside a word, then an apostrophe marks it', () => {
    expect(romanise('西安路').text).toBe("Xi'an Lu");
  });

  it('when a character lies outside the BMP, then the words after it still line up', () => {
    expect(romanise('𠮷野家社区').text).toBe('𠮷yejia Shequ');
  });

  it('when a polyphone is read, then its context decides', () => {
    expect(romanise('银行').text).toBe('Yinhang');
    expect(romanise('长沙').text).toBe('Changsha');
  });

  it('when the text mixes in digits, Latin letters and full-width punctuation, then those are kept, half-width', () => {
    expect(romanise('迦南社区1号核酸采样点')).toEqual({
      text: 'Jianan Shequ 1 Hao Hesuan Caiyangdian',
      initials: 'jnsq1hhscyd',
    });
    expect(romanise('A区3栋（北门）')).toEqual({ text: 'A Qu 3 Dong (Beimen)', initials: 'aq3dbm' });
  });
});

describe('addPinyin', () => {
  const site = (over: Partial<Site>): Site => ({
    id: 'a',
    name: '羊桥',
    district: '蓬江区',
    lat: 22,
    lng: 113,
    lanes: 1,
    ...over,
  });

  it('when a site has a street and an address, then both come in pinyin, and initials cover name, district and street', () => {
    const [s] = addPinyin([site({ street: '白沙街道', community: '羊桥社区居委会', address: '白沙街道羊桥' })]);
    expect(s?.pinyin).toEqual({
      name: 'Yangqiao',
      district: 'Pengjiang Qu',
      street: 'Baisha Jiedao',
      address: 'Baisha Jiedao Yangqiao',
      initials: 'yq pjq bsjd',
    });
  });

  it('when a site has neither street nor address, then the pinyin has neither', () => {
    expect(addPinyin([site({})])[0]?.pinyin).toEqual({
      name: 'Yangqiao',
      district: 'Pengjiang Qu',
      initials: 'yq pjq',
    });
  });
});
