// Carrier feed signatures: HMAC-SHA256 over "<timestamp>.<raw body>" with the key's secret.
// Several "sha256=" values may be sent and a key may have several secrets (rotation): one match
// is enough. The timestamp must be within the window both ways, which bounds replays together
// with the batch id.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { AppError } from '../errors.js';

export const SIGNATURE_WINDOW_S = 300;

export function sign(secret: string, timestamp: number | string, body: Buffer | string): string {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex');
}

export interface FeedHeaders {
  key: string | undefined;
  timestamp: string | undefined;
  signature: string | undefined;
}

const unauthorized = (code: string, message: string) => new AppError(401, code, message);

/** Throws a 401 AppError unless the request is signed by a known key within the window. */
export function verifyFeed(keys: ReadonlyMap<string, string[]>, h: FeedHeaders, body: Buffer, nowMs: number): string {
  if (!h.key) throw unauthorized('missing_key', 'X-Feed-Key header is required.');
  const secrets = keys.get(h.key);
  if (!secrets) throw unauthorized('unknown_key', 'Unknown feed key.');
  if (!h.timestamp || !/^\d{1,12}$/.test(h.timestamp)) {
    throw unauthorized('bad_timestamp', 'X-Feed-Timestamp must be unix seconds.');
  }
  const skew = Math.abs(nowMs / 1000 - Number(h.timestamp));
  if (skew > SIGNATURE_WINDOW_S) {
    throw unauthorized(
      'stale_timestamp',
      `X-Feed-Timestamp is ${Math.round(skew)} s off; at most ${SIGNATURE_WINDOW_S} s allowed.`,
    );
  }
  const given = (h.signature ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => /^sha256=[0-9a-f]{64}$/i.test(s))
    .slice(0, 5)
    .map((s) => Buffer.from(s.slice(7).toLowerCase(), 'hex'));
  if (given.length === 0) throw unauthorized('bad_signature', 'X-Feed-Signature must be sha256=<hex>.');
  for (const secret of secrets) {
    const expected = Buffer.from(sign(secret, h.timestamp, body), 'hex');
    if (given.some((g) => timingSafeEqual(g, expected))) return h.key;
  }
  throw unauthorized('bad_signature', 'Signature does not match.');
}
