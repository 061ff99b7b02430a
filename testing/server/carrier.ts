// Signed carrier-feed requests for tests, with the test key of startTestApp.
import { sign } from '../../server/auth/hmac.js';
import { TEST_CARRIER_KEY } from './app.js';

/** Headers that sign `raw` with the test carrier key at `nowMs` (the server's clock). */
export function carrierHeaders(raw: Buffer | string, nowMs: number): Record<string, string> {
  const ts = Math.floor(nowMs / 1000);
  return {
    'content-type': 'application/json',
    'x-feed-key': TEST_CARRIER_KEY.id,
    'x-feed-timestamp': String(ts),
    'x-feed-signature': `sha256=${sign(TEST_CARRIER_KEY.secret, ts, raw)}`,
  };
}

export interface CarrierReading {
  siteId: string;
  people: number;
  confidence?: number;
}

let n = 0;
/** POSTs a batch signed at `nowMs` (the server's clock) to the app at `url`; the body is left unread. */
export function sendCarrierBatch(
  url: string,
  readings: readonly CarrierReading[],
  nowMs: number,
  observedAtMs = nowMs,
): Promise<Response> {
  const raw = JSON.stringify({
    batchId: `batch-${Date.now()}-${++n}-${Math.random().toString(36).slice(2, 8)}`,
    observedAt: new Date(observedAtMs).toISOString(),
    readings,
  });
  return fetch(`${url}/api/feeds/carrier`, { method: 'POST', headers: carrierHeaders(raw, nowMs), body: raw });
}

/** POSTs a signed batch; returns the status. */
export async function postCarrier(
  url: string,
  nowMs: number,
  readings: readonly CarrierReading[],
  observedAtMs = nowMs,
): Promise<number> {
  const res = await sendCarrierBatch(url, readings, nowMs, observedAtMs);
  await res.arrayBuffer();
  return res.status;
}
