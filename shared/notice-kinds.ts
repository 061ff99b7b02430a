// The kinds of command-centre notice and the rule on them, without zod: the resident page's main
// thread reads them at every ranking and must not load the schemas (zod is its largest cost on a
// cheap phone's first load). shared/schemas.ts builds its enum from these.

export const NOTICE_KINDS = ['closed', 'redirect', 'info'] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];

/** The kinds that tell residents not to come: never recommended, never a "notify me" alert. */
export const keepsPeopleAway = (kind: NoticeKind): kind is 'closed' | 'redirect' =>
  kind === 'closed' || kind === 'redirect';
