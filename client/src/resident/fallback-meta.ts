// What the resident page assumes when GET /api/meta cannot be had (offline, opened from the service
// worker's cache): the contract's defaults.
import type { Meta } from '../../../shared/schemas.js';

export const FALLBACK_META: Meta = {
  demo: false,
  timezone: 'Asia/Shanghai',
  levelMinutes: [15, 30],
  staffStaleMinutes: 15,
  carrierStaleMinutes: 5,
  frameMs: 1000,
  tileUrl: null,
  tileAttribution: '',
};
