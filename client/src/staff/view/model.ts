// What every part of the staff screen draws from, rebuilt on any change.
import type { LiveState, Site } from '../../../../shared/schemas.js';
import type { Lang } from '../../lib/i18n.js';
import type { NearbySite } from '../nearby.js';
import type { Draft, ReporterState } from '../reporter.js';

export interface ViewModel {
  lang: Lang;
  now: number;
  online: boolean;
  site: Site | null;
  tokenLabel: string | null;
  reporter: ReporterState;
  live: ReadonlyMap<string, LiveState>;
  /** When live data last arrived (client clock), null before the first. */
  liveAsOf: number | null;
  nearby: readonly NearbySite[];
  storageOk: boolean;
}

export interface Actions {
  change(patch: Partial<Draft>): void;
  reconfirm(): void;
  toggleLang(): void;
  dismiss(at: number): void;
}

/** "14:05:09" in the page's language. */
export function clock(ms: number, lang: Lang): string {
  return new Date(ms).toLocaleTimeString(lang, {
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hour12: false,
  });
}
