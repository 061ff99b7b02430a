import { describe, expect, it } from 'vitest';
import { createSealer } from './seal.js';
import { newStaffToken } from './tokens.js';

const SECRET = 'a-server-secret-of-some-length-0123';

describe('sealed staff tokens', () => {
  it('when a token is sealed and opened with the same key and token id, then the token comes back', () => {
    const s = createSealer(SECRET);
    const { token, tokenId } = newStaffToken();
    const sealed = s.seal(token, tokenId);
    expect(sealed).toMatch(/^v1\.[A-Za-z0-9_-]+$/);
    expect(sealed).not.toContain(token.slice(3));
    expect(s.open(sealed, tokenId)).toBe(token);
    // A fresh IV each time: the same token never seals to the same text twice.
    expect(s.seal(token, tokenId)).not.toBe(sealed);
  });

  it('when any byte of a sealed copy is changed, then it is refused', () => {
    const s = createSealer(SECRET);
    const sealed = s.seal('st_token', 'tk_1');
    const raw = Buffer.from(sealed.slice(3), 'base64url');
    for (let i = 0; i < raw.length; i++) {
      const bent = Buffer.from(raw);
      bent[i] = bent[i]! ^ 0x01;
      expect(s.open(`v1.${bent.toString('base64url')}`, 'tk_1'), `byte ${i}`).toBeNull();
    }
    expect(s.open(`v1.${raw.subarray(0, raw.length - 1).toString('base64url')}`, 'tk_1')).toBeNull();
    expect(s.open(`v2.${raw.toString('base64url')}`, 'tk_1')).toBeNull();
    expect(s.open('', 'tk_1')).toBeNull();
    expect(s.open('v1.', 'tk_1')).toBeNull();
  });

  it('when a sealed copy is opened with another key, then it is refused', () => {
    const sealed = createSealer(SECRET).seal('st_token', 'tk_1');
    expect(createSealer(`${SECRET}x`).open(sealed, 'tk_1')).toBeNull();
  });

  it('when a sealed copy is moved onto another token record, then it is refused', () => {
    const s = createSealer(SECRET);
    expect(s.open(s.seal('st_token', 'tk_1'), 'tk_2')).toBeNull();
  });
});
