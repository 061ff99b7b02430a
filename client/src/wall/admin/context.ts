// What every admin section receives.
import type { Site } from '../../../../shared/schemas.js';
import type { T } from '../i18n.js';
import type { AdminApi } from './api.js';
import type { PrintArea } from './print.js';
import type { SitePicker } from './site-picker.js';

export interface AdminCtx {
  api: AdminApi;
  t: T;
  sites: readonly Site[];
  byId: ReadonlyMap<string, Site>;
  print: PrintArea;
  timezone: string;
  /** Origin printed links point at: PUBLIC_URL when the server has one, else this page's. */
  origin: string;
  /** `anySite`: the text of the "no site" choice. */
  picker(name: string, anySite?: string): SitePicker;
  /** Shows a short status line (errors included) in the section's own place. */
  fail(where: HTMLElement, err: unknown): void;
}

export const fmtTime = (timezone: string) =>
  new Intl.DateTimeFormat('zh-CN', {
    timeZone: timezone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
