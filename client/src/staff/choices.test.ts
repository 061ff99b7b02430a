import { describe, expect, it } from 'vitest';
import { PauseReasonSchema, SiteStatusSchema } from '../../../shared/schemas.js';
import { PAUSE_REASONS, STATUSES } from './choices.js';
import { t } from './texts.js';

describe('the choices the tablet offers', () => {
  it('when the schemas list statuses and pause reasons, then the tablet offers exactly those, each with words in both languages', () => {
    expect([...STATUSES]).toEqual(SiteStatusSchema.options);
    expect([...PAUSE_REASONS]).toEqual(PauseReasonSchema.options);
    for (const key of [...STATUSES.map((s) => `status.${s}`), ...PAUSE_REASONS.map((r) => `pause.${r}`)]) {
      expect(t(key, {}, 'zh-CN')).not.toBe(key);
      expect(t(key, {}, 'en')).not.toBe(key);
    }
  });
});
