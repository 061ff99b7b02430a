import { describe, expect, it } from 'vitest';
import type { Site } from '../../../shared/schemas.js';
import { matchesQuery, searchHay, searchQuery } from './search.js';

// As the server's loader sends it (server/registry/pinyin.ts).
const yangqiao: Site = {
  id: 'yq',
  name: '羊桥社区核酸采样点',
  district: '蓬江区',
  street: '白沙街道',
  community: '羊桥社区居委会',
  address: '江门市蓬江区白沙街道羊桥社区',
  lat: 22.59,
  lng: 113.09,
  lanes: 2,
  pinyin: {
    name: 'Yangqiao Shequ Hesuan Caiyangdian',
    district: 'Pengjiang Qu',
    street: 'Baisha Jiedao',
    address: 'Jiangmen Shi Pengjiang Qu Baisha Jiedao Yangqiao Shequ',
    initials: 'yqsqhscyd pjq bsjd',
  },
};
const lvzhou: Site = {
  id: 'lz',
  name: '绿洲花园采样点',
  district: '江海区',
  lat: 22.56,
  lng: 113.11,
  lanes: 1,
  pinyin: { name: 'Lüzhou Huayuan Caiyangdian', district: 'Jianghai Qu', initials: 'lzhycyd jhq' },
};
const latin: Site = { id: 'l', name: 'Harbour Clinic', district: 'Central', lat: 22, lng: 113, lanes: 1 };

const finds = (q: string, s: Site) => matchesQuery(searchHay(s), searchQuery(q));

describe('site search', () => {
  it('when the query is Chinese, then it matches the Chinese words', () => {
    expect(finds('羊桥', yangqiao)).toBe(true);
    expect(finds('白沙 羊桥', yangqiao)).toBe(true);
    expect(finds('江海', yangqiao)).toBe(false);
  });

  it('when the query is pinyin, then case, spaces and apostrophes do not matter', () => {
    expect(finds('baisha', yangqiao)).toBe(true);
    expect(finds('Bai Sha', yangqiao)).toBe(true);
    expect(finds('YANGQIAO', yangqiao)).toBe(true);
    expect(finds('yangqiaoshequ', yangqiao)).toBe(true);
    expect(finds('jianghai', yangqiao)).toBe(false);
  });

  it('when the query is initials, then "yq" finds 羊桥 and the initials of the street count too', () => {
    expect(finds('yq', yangqiao)).toBe(true);
    expect(finds('YQ', yangqiao)).toBe(true);
    expect(finds('bsjd', yangqiao)).toBe(true);
    expect(finds('yq', lvzhou)).toBe(false);
  });

  it('when pinyin and initials are mixed in parts, then every part must match somewhere', () => {
    expect(finds('baisha yq', yangqiao)).toBe(true);
    expect(finds('baisha lz', yangqiao)).toBe(false);
  });

  it('when a match would run from one field into the next, then it does not count', () => {
    // "Caiyangdian" ends the name and "Pengjiang" starts the district: "dianpeng" is in neither.
    expect(finds('dianpeng', yangqiao)).toBe(false);
  });

  it('when ü is typed as v or as ü, then both find it', () => {
    expect(finds('lvzhou', lvzhou)).toBe(true);
    expect(finds('lüzhou', lvzhou)).toBe(true);
  });

  it('when a site has no pinyin, then its own words are matched as before', () => {
    expect(finds('harbour', latin)).toBe(true);
    expect(finds('harbour clinic', latin)).toBe(true);
    expect(finds('hc', latin)).toBe(false);
  });

  it('when the query is empty or blank, then every site matches', () => {
    expect(finds('', yangqiao)).toBe(true);
    expect(finds('   ', latin)).toBe(true);
  });
});
