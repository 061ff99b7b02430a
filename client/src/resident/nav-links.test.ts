import { describe, expect, it } from 'vitest';
import { navLinks } from './nav-links.js';

describe('navigation links', () => {
  const links = Object.fromEntries(
    navLinks({ lat: 22.5932, lng: 113.0886, name: '羊桥 & <社区>' }).map((l) => [l.key, l.href]),
  );

  it('when a site is given, then a geo: link and the common map apps get WGS-84 coordinates', () => {
    expect(links.geo).toMatch(/^geo:22\.5932,113\.0886\?q=22\.5932,113\.0886\(/);
    expect(links.amap).toContain('to=113.0886,22.5932,');
    expect(links.amap).toContain('coordinate=wgs84');
    expect(links.baidu).toContain('location=22.5932,113.0886');
    expect(links.baidu).toContain('coord_type=wgs84');
    expect(links.apple).toContain('daddr=22.5932,113.0886');
    expect(links.google).toContain('destination=22.5932,113.0886');
  });

  it('when the name has markup or separators, then it is percent-encoded', () => {
    for (const href of Object.values(links)) {
      expect(href).not.toMatch(/[<> ]/);
    }
    expect(links.amap).toContain(encodeURIComponent('羊桥 & <社区>'));
  });
});
