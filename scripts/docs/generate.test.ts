import { describe, expect, it } from 'vitest';
import { staleDocs } from './generate.js';

describe('generated references', () => {
  it('when the schemas or the event maps change, then docs/reference is regenerated in the same commit', () => {
    expect(staleDocs(), 'run `npm run docs`').toEqual([]);
  });
});
