// Every error in the admin page's own language, naming the field that is wrong: zod issue paths
// (from the server's `issues`, or from validating here first) map to localized field names; the
// server's English `message` is never shown in the Chinese page.
import type { T } from '../i18n.js';
import { ApiError, type ApiIssue } from './api.js';

const FIELDS = new Set([
  'siteId',
  'siteIds',
  'redirectSiteId',
  'message',
  'kind',
  'ttlMinutes',
  'label',
  'by',
  'from',
  'to',
]);

/** "a.b.0" or ['a', 'b', 0] -> the localized name of its first known part. */
export function fieldName(t: T, path: string | readonly PropertyKey[]): string {
  const parts = typeof path === 'string' ? path.split('.') : path.map(String);
  const known = parts.find((p) => FIELDS.has(p));
  return t(known ? `field.${known}` : 'field.other');
}

/** One line per wrong field; "missing" when the value was absent. */
export function issuesText(
  t: T,
  issues: readonly { path: string | readonly PropertyKey[]; message: string; code?: string; input?: unknown }[],
): string {
  const lines = new Set(
    issues.map((i) => {
      const f = fieldName(t, i.path);
      const missing = i.input === undefined && (i.code === 'invalid_type' || /required/i.test(i.message));
      return t(missing ? 'fieldMissing' : 'fieldError', { f });
    }),
  );
  return [...lines].join('；');
}

export function errorText(t: T, err: unknown): string {
  if (err instanceof ApiError) {
    if (err.code === 'offline') return t('login.offline');
    if (err.issues.length) return t('error', { m: issuesText(t, err.issues as ApiIssue[]) });
    const known = t(`code.${err.code}`);
    return t('error', { m: known === `code.${err.code}` ? t('code.other', { c: err.code }) : known });
  }
  return t('error', { m: t('code.other', { c: String(err) }) });
}
