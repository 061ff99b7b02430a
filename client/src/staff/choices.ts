// The statuses and pause reasons the tablet offers, as plain lists: importing the zod schemas
// would bring zod into the page bundle. choices.test.ts checks they match the schemas.
import type { PauseReason, SiteStatus } from '../../../shared/schemas.js';

export const STATUSES: readonly SiteStatus[] = ['open', 'paused', 'closed'];
export const PAUSE_REASONS: readonly PauseReason[] = ['break', 'supplies', 'staffing', 'weather', 'other'];
