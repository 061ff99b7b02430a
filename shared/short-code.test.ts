import { describe, expect, it } from 'vitest';
import { bundledSites } from '../testing/server/app.js';
import { CODE_ALPHABET, CODE_LENGTH, codeFor, normaliseCode, shortCodes } from './short-code.js';

const CONFUSABLE = '0OQ1IL2Z5S8BUV';

describe('short codes', () => {
  it('give every site of the bundled registry a distinct code of confusion-free characters', () => {
    const ids = bundledSites().map((s) => s.id);
    expect(ids.length).toBeGreaterThanOrEqual(986);
    const codes = shortCodes(ids);
    expect(codes.size).toBe(ids.length);
    expect(new Set(codes.values()).size).toBe(ids.length);
    for (const c of codes.values()) {
      expect(c).toHaveLength(CODE_LENGTH);
      for (const ch of c) expect(CONFUSABLE).not.toContain(ch);
    }
  });

  it('have no confusable character in the alphabet', () => {
    for (const ch of CONFUSABLE) expect(CODE_ALPHABET).not.toContain(ch);
  });

  it('give 50,000 generated sites distinct codes', () => {
    const ids = Array.from({ length: 50_000 }, (_, i) => `gen-${i.toString(36)}-${(i * 7919) % 10007}`);
    const codes = shortCodes(ids);
    expect(new Set(codes.values()).size).toBe(50_000);
  });

  it('are the same whatever the order of the registry, as after a restart or reload', () => {
    const ids = bundledSites().map((s) => s.id);
    const a = shortCodes(ids);
    const b = shortCodes([...ids].reverse());
    expect([...b.entries()].sort()).toEqual([...a.entries()].sort());
    // Derived from the id alone: a site without a collision has its first-try code.
    const clean = ids.find((id) => a.get(id) === codeFor(id))!;
    expect(shortCodes([clean]).get(clean)).toBe(a.get(clean));
  });

  it('keep existing codes when a site is added that collides with none', () => {
    const ids = bundledSites().map((s) => s.id);
    const before = shortCodes(ids);
    const taken = new Set(before.values());
    let extra = 'zz-new-site';
    for (let i = 0; taken.has(codeFor(extra)); i++) extra = `zz-new-site-${i}`;
    const after = shortCodes([...ids, extra]);
    for (const id of ids) expect(after.get(id)).toBe(before.get(id));
  });

  it('read what people type, ignoring case, spaces and dashes', () => {
    expect(normaliseCode(' k7-m3 ')).toBe('K7M3');
    expect(normaliseCode('K0M3')).toBeNull();
    expect(normaliseCode('K7M')).toBeNull();
  });
});
